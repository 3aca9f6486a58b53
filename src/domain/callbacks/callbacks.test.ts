import { describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { maskText } from './mask.ts';
import { planCallbacks, type LeadFacts, type RecordedEvent } from './plan.ts';
import { isCallbackSecret, signCallback } from './sign.ts';
import { callbackBodySchema } from './types.ts';

const at = '2026-03-02T02:00:00.000Z';
const reports = [
  { id: 'RP-1', source: 'hotline', externalId: 'GD1', reporterName: '张先生' },
  { id: 'RP-2', source: 'media', externalId: 'A1', reporterName: null },
  { id: 'RP-3', source: 'supervisor', externalId: 'S1', reporterName: '李四' },
];
const facts = (over: Partial<LeadFacts> = {}): LeadFacts => ({ leadId: 'XS-1', status: 'assigned', reports, ...over });
const ev = (action: string, data: Record<string, unknown> = {}, reportId: string | null = null, seq = 10): RecordedEvent =>
  ({ seq, action, leadId: 'XS-1', reportId, at, data });
const all = new Set(['hotline', 'media', 'supervisor']);

describe('planCallbacks', () => {
  it('sends a report-level event to that report only, and a lead-level one to every report with a callback', () => {
    const accepted = planCallbacks([ev('report.received', {}, 'RP-2')], () => facts(), all);
    expect(accepted.map((c) => [c.reportId, c.type])).toEqual([['RP-2', 'report.accepted']]);
    const assigned = planCallbacks([ev('lead.assigned', { agency: 'urban', role: 'primary', dueAt: at })], () => facts({ agencyName: '区城管局' }), new Set(['hotline', 'media']));
    expect(assigned.map((c) => c.reportId)).toEqual(['RP-1', 'RP-2']);
    expect(assigned[0]!.body.data).toEqual({ source: 'hotline', externalId: 'GD1', reportId: 'RP-1', leadId: 'XS-1', status: 'assigned', agency: 'urban', agencyName: '区城管局', role: 'primary', dueAt: at });
  });

  it('marks a report that joined a lead at intake as a duplicate and sends report.merged after report.accepted', () => {
    const out = planCallbacks([ev('report.received', {}, 'RP-1', 1), ev('lead.report-merged', {}, 'RP-1', 2)], () => facts(), all);
    expect(out.map((c) => [c.type, c.seq, (c.body.data as { duplicate?: boolean }).duplicate])).toEqual([['report.accepted', 1, true], ['report.merged', 2, undefined]]);
  });

  it('masks the approved summary and reasons: phones, 身份证, e-mails and the reporters\' names', () => {
    const [closed] = planCallbacks([ev('lead.review.approved')], () => facts({ status: 'closed', summary: '约谈李四（13912345678，430602199001011234，li@example.com）' }), new Set(['hotline']));
    expect(closed!.body.data).toMatchObject({ summary: '约谈李*（139****5678，4****************4，l***@example.com）', closedAt: at });
    expect(callbackBodySchema('lead.closed').parse(closed!.body)).toEqual(closed!.body);
  });

  it('leaves out other events and sources with no callback', () => {
    expect(planCallbacks([ev('assignment.acknowledged'), ev('lead.routed')], () => facts(), all)).toEqual([]);
    expect(planCallbacks([ev('lead.rejected', { reason: 'x' })], () => facts(), new Set())).toEqual([]);
  });
});

describe('maskText', () => {
  it('keeps text without personal data as it is', () => {
    expect(maskText('已整改到位，处罚决定书编号 2026-001')).toBe('已整改到位，处罚决定书编号 2026-001');
  });
});

describe('signCallback', () => {
  it('signs so that the official standardwebhooks package verifies it', () => {
    const secret = 'whsec_' + Buffer.from('a-callback-secret-of-32-bytes-ok').toString('base64');
    expect(isCallbackSecret(secret)).toBe(true);
    expect(isCallbackSecret('whsec_c2hvcnQ=')).toBe(false);
    const body = JSON.stringify({ type: 'report.accepted', data: { note: '中文' } });
    const headers = signCallback(secret, 'msg_1', Date.now(), body);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(secret).verify(body + ' ', headers)).toThrow();
  });
});
