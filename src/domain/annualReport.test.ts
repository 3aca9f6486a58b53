import { describe, expect, it } from 'vitest';
import { annualReport, campaignReport } from './annualReport.ts';
import { computeStats, type StatsLeadGroup } from './stats.ts';

const stats = (groups: StatsLeadGroup[]) => computeStats({
  period: { from: '2026-01-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' }, groups, assignments: [], followUps: [],
  now: '2026-12-31T00:00:00.000Z', routingWindow: { from: '2026-10-01T00:00:00.000Z', to: '2026-12-31T00:00:00.000Z' },
  routingLeads: [], routingAssignments: [],
});
const name = (c: string) => c;

describe('annualReport', () => {
  it('says so when nothing came in, with no division by zero', () => {
    const r = annualReport(stats([]), 2026, name, '2027-01-12');
    expect(r.sections[1]!.paragraphs[0]).toBe('2026年，共收到行政执法问题线索0条（来件0件次，重复反映归并0条）。');
    expect(r.sections[1]!.paragraphs[1]).toContain('整改率—');
    expect(r.sections[2]!.paragraphs[0]).toBe('本年度未收到问题线索。');
    expect(r.sections[4]!.paragraphs[0]).toBe('本年度尚无回访记录。');
    expect(r.date).toBe('2027年1月12日');
  });
  it('says when the leads are not classified rather than naming 未分类 as standing out', () => {
    const r = annualReport(stats([{ status: 'triage', channels: ['hotline'], problemTypes: [], domain: null, township: null, routingTransfer: null, leads: 3, reports: 3 }]), 2026, name, '2027-01-12');
    expect(r.sections[2]!.paragraphs[0]).toBe('本年度线索均未归类到执法领域、问题类型或乡镇（街道）。');
  });
});

describe('campaignReport', () => {
  it('opens with the campaign and its period', () => {
    const r = campaignReport({ name: '道路交通安全和运输执法领域突出问题专项整治', startsOn: '2026-03-01', endsOn: '2026-06-30', status: 'closed' },
      stats([{ status: 'triage', channels: ['hotline'], problemTypes: [], domain: '交通运输', township: null, routingTransfer: null, leads: 2, reports: 2 }]), name, '2026-07-02');
    expect(r.title).toBe('道路交通安全和运输执法领域突出问题专项整治工作情况报告');
    expect(r.intro).toContain('2026年3月1日至2026年6月30日');
    expect(r.sections[0]!.paragraphs[0]).toBe('专项整治期间共收集问题线索2条，已整改到位0条，整改率—；仍在办理0条。');
  });
});
