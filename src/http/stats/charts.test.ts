import { describe, expect, it } from 'vitest';
import { computeStats } from '../../domain/stats.ts';
import { barChart, statsCharts } from './charts.ts';

const stats = computeStats({
  period: { from: '2026-01-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' },
  groups: [
    { status: 'closed', channels: ['hotline'], problemTypes: ['不作为'], domain: '城市管理', township: '梅湾街道', routingTransfer: null, leads: 37, reports: 40 },
    { status: 'triage', channels: ['media'], problemTypes: ['逐利执法'], domain: '交通运输', township: '凤凰街道', routingTransfer: null, leads: 11, reports: 11 },
  ],
  assignments: [{
    leadId: 'L1', leadStatus: 'closed', agency: 'urban', role: 'primary', status: 'closed', assignedAt: '2026-03-02T03:00:00.000Z',
    ackDueAt: '2026-03-03T15:59:59.000Z', acknowledgedAt: '2026-03-03T01:00:00.000Z', dueAt: '2026-03-23T15:59:59.000Z',
    feedbackAt: '2026-03-10T01:00:00.000Z', closedAt: '2026-03-11T01:00:00.000Z',
  }],
  followUps: [], now: '2026-06-01T00:00:00.000Z',
  routingWindow: { from: '2026-01-01T00:00:00.000Z', to: '2026-06-01T00:00:00.000Z' }, routingLeads: [], routingAssignments: [],
});

describe('charts (ECharts server-side SVG)', () => {
  it('draws every chart of the page as a standalone SVG with Chinese labels and the figures', () => {
    const charts = statsCharts(stats, (code) => (code === 'urban' ? '区城市管理和综合执法局' : code));
    expect(charts.map((c) => c.key)).toEqual(['handling', 'channel', 'agency', 'township', 'problemType', 'domain', 'timeliness']);
    for (const c of charts) {
      expect(c.svg.startsWith('<svg'), c.key).toBe(true);
      expect(c.svg).toContain(`>${c.title}<`);
      expect(c.svg).not.toContain('<script');
    }
    const byKey = Object.fromEntries(charts.map((c) => [c.key, c.svg]));
    expect(byKey.channel).toContain('>12345热线<');
    expect(byKey.channel).toContain('>新闻媒体<');
    expect(byKey.channel).toContain('>37<');
    expect(byKey.channel).toContain('>11<');
    expect(byKey.township).toContain('>梅湾街道<');
    expect(byKey.problemType).toContain('>逐利执法<');
    expect(byKey.agency).toContain('>区城市管理和综合执法局<');
    expect(byKey.timeliness).toContain('>100%<'); // 签收 and 整改 both on time
    expect(byKey.handling).toContain('已办结：37');
  });

  it('keeps the largest entries when there are many, largest on top', () => {
    const entries = Array.from({ length: 20 }, (_, i) => [`单位${i}`, 100 - i] as [string, number]);
    const svg = barChart('按承办单位', entries, { max: 5 });
    expect(svg).toContain('>单位0<');
    expect(svg).toContain('>单位4<');
    expect(svg).not.toContain('>单位5<');
  });
});
