import { describe, expect, it } from 'vitest';
import type { EventView, LeadRecord, ReportRecord, Viewer } from '../lead.ts';
import { sealEvents, sealLead, sealSummary } from './sealLead.ts';

function report(id: string, patch: Partial<Omit<ReportRecord, 'reporter'>> & { reporter?: Partial<ReportRecord['reporter']> } = {}): ReportRecord {
  const { reporter, ...rest } = patch;
  return {
    id, leadId: 'XS-2026-000001', source: 'hotline', externalId: `ext-${id}`, receivedAt: `2026-03-02T0${id.length}:00:00.000Z`,
    reportedAt: '2026-03-02T01:00:00.000Z', revision: 1, duplicate: false, title: `标题${id}`, content: `内容${id}`,
    address: null, township: null, subject: null, category: null, url: null, evidence: [],
    reporter: { name: null, phone: null, confidential: false, supervisorId: null, outlet: null, ...reporter },
    ...rest,
  };
}

const caller = report('R1', {
  title: '王建国反映占道', content: '我是王建国，电话13812345678，身份证43110219900101123X。',
  reporter: { name: '王建国', phone: '13812345678' },
});
const s07 = report('R22', { source: 'supervisor', title: 'S07的标题', content: 'S07看到的情况', evidence: [{ url: 'https://e/7.jpg' }], reporter: { name: '李监督员', supervisorId: 'S07' } });
const s08 = report('R333', { source: 'supervisor', title: 'S08的标题', content: 'S08看到的情况', reporter: { name: '周监督员', supervisorId: 'S08' } });

const record: LeadRecord = {
  summary: {
    id: 'XS-2026-000001', status: 'closed', mergedInto: null, title: caller.title, content: caller.content, priority: 'normal',
    address: null, township: '梅湾', subject: null, category: null, channels: ['hotline', 'supervisor'], reportCount: 3,
    routing: { agency: 'urban', transfer: 'discipline', reason: '王建国所述：城管' }, problemTypes: ['粗暴执法'], domain: '城市管理',
    duplicateCandidates: [{ leadId: 'XS-2026-000009', score: 0.3 }], createdAt: '2026-03-02T01:00:00.000Z', updatedAt: '2026-03-09T01:00:00.000Z',
  },
  reports: [caller, s07, s08],
  assignments: [{ id: 'as1', agency: 'urban', role: 'primary', status: 'closed', assignedAt: 'a', ackDueAt: 'b', dueAt: 'c', calendarProvisional: false }],
  rectification: { agency: 'urban', summary: '已向王建国道歉并归还', approvedAt: '2026-03-09T01:00:00.000Z' },
};

const bureau: Viewer = { role: 'bureau', tokenId: 'tok_b' };
const agency: Viewer = { role: 'agency', tokenId: 'tok_a', agency: 'urban' };
const viewer: Viewer = { role: 'viewer', tokenId: 'tok_v' };
const sup08: Viewer = { role: 'supervisor', tokenId: 'tok_s', supervisorId: 'S08' };

describe('sealLead', () => {
  it('gives the bureau everything and names the reports it unmasked', () => {
    const { view, unmaskedReports } = sealLead(record, bureau);
    expect(view.content).toBe(caller.content);
    expect(view.reports[0]!.reporter).toMatchObject({ name: '王建国', phone: '13812345678' });
    expect(unmaskedReports).toEqual(['R1', 'R22', 'R333']);
  });

  it('masks it for the bureau too when asked (workflow answers), and records nothing', () => {
    const { view, unmaskedReports } = sealLead(record, bureau, { unmask: false });
    expect(view.content).toBe('我是王**，电话138****5678，身份证4****************X。');
    expect(unmaskedReports).toEqual([]);
  });

  it('masks fields and texts for an agency, and hides the reporters from a viewer', () => {
    const a = sealLead(record, agency).view;
    expect(a.title).toBe('王**反映占道');
    expect(a.routing.reason).toBe('王**所述：城管');
    expect(a.rectification?.summary).toBe('已向王**道歉并归还');
    expect(a.reports.map((r) => r.reporter?.name)).toEqual(['王**', '李***', '周***']);
    expect(JSON.stringify(sealLead(record, viewer).view)).not.toMatch(/王建国|13812345678|李监督员|周监督员/);
    expect(sealLead(record, viewer).view.reports.every((r) => r.reporter === null)).toBe(true);
  });

  it('gives a supervisor the progress and its own report only', () => {
    const { view } = sealLead(record, sup08);
    expect(view).toMatchObject({
      status: 'closed', title: 'S08的标题', content: 'S08看到的情况', channels: ['supervisor'], reportCount: 1,
      routing: { agency: 'urban', transfer: null, reason: null }, problemTypes: [], domain: null, duplicateCandidates: [],
      assignments: [{ agency: 'urban', status: 'closed' }], rectification: { summary: '已向王**道歉并归还' },
    });
    expect(view.reports.map((r) => r.id)).toEqual(['R333']);
    expect(JSON.stringify(view)).not.toMatch(/R22|R1"|ext-R1|ext-R22|7\.jpg|王建国|李监督员|S07/);
    expect(sealSummary(record.summary, record.reports, sup08).title).toBe('S08的标题');
  });
});

describe('sealEvents', () => {
  const events: EventView[] = [
    { seq: 1, at: 't1', actor: 'webhook:hotline', action: 'lead.created', reportId: 'R1', data: { title: caller.title }, hash: 'h1' },
    { seq: 2, at: 't2', actor: 'system:routing', action: 'lead.routed', reportId: null, data: { reason: '王建国' }, hash: 'h2' },
    { seq: 3, at: 't3', actor: 'webhook:supervisor', action: 'report.received', reportId: 'R22', data: { externalId: 'ext-R22' }, hash: 'h3' },
    { seq: 4, at: 't4', actor: 'webhook:supervisor', action: 'report.received', reportId: 'R333', data: { externalId: 'ext-R333' }, hash: 'h4' },
    { seq: 5, at: 't5', actor: 'tok_b', action: 'lead.assigned', reportId: null, data: { agency: 'urban', dueAt: 'd', note: '联系王建国' }, hash: 'h5' },
    { seq: 6, at: 't6', actor: 'tok_a', action: 'assignment.feedback', reportId: null, data: { agency: 'urban', summary: 's', evidence: [{ url: 'x' }] }, hash: 'h6' },
    { seq: 7, at: 't7', actor: 'tok_b', action: 'reporter.unmasked', reportId: null, data: { reports: ['R1'] }, hash: 'h7' },
  ];

  it('masks every string for an agency and keeps every event', () => {
    const out = sealEvents(events, record.reports, agency);
    expect(out).toHaveLength(events.length);
    expect(JSON.stringify(out)).not.toContain('王建国');
    expect(out[0]!.data.title).toBe('王**反映占道');
  });

  it('gives a supervisor its own reports\' events and the steps of the lead, with dates and agency only', () => {
    const out = sealEvents(events, record.reports, sup08);
    expect(out.map((e) => e.seq)).toEqual([4, 5, 6]);
    expect(out[1]!.data).toEqual({ agency: 'urban', dueAt: 'd' });
    expect(out[2]!.data).toEqual({ agency: 'urban' });
  });

  it('gives the bureau the record as stored', () => {
    expect(sealEvents(events, record.reports, bureau)).toEqual(events);
  });
});
