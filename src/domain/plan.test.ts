import { describe, expect, it } from 'vitest';
import { counterId, fillIn, formatCounter, hasPlaceholder, planAndCommit, PlanConflict, type Plan } from './plan.ts';
import { planNewReport, type IncomingReport } from './intake.ts';

describe('plan placeholders', () => {
  it('fills a placeholder standing alone with its value (a number stays a number) and inside texts and JSON', () => {
    const lead = counterId('lead', 'lead-2026', { prefix: 'XS-2026-', width: 6 });
    const seq = counterId('seq', 'dedupe-log');
    const ids = { [lead.placeholder]: formatCounter(lead, 7), [seq.placeholder]: formatCounter(seq, 42) };
    const bytes = new Uint8Array([1, 2, 3]);
    const filled = fillIn({ id: lead.placeholder, seq: seq.placeholder, json: JSON.stringify({ leadId: lead.placeholder }), bytes }, ids);
    expect(filled).toEqual({ id: 'XS-2026-000007', seq: 42, json: '{"leadId":"XS-2026-000007"}', bytes });
    expect(filled.bytes).toBe(bytes);
    expect(hasPlaceholder(lead.placeholder)).toBe(true);
    expect(hasPlaceholder(filled.json)).toBe(false);
  });

  it('plans again after a conflict, at most the given number of times', async () => {
    const plan: Plan = { guards: [], writes: [], events: [], counters: [] };
    let tries = 0;
    const store = { commit: async () => { tries++; throw new PlanConflict('测试'); } };
    await expect(planAndCommit(store, async () => ({ plan, answer: () => 1 }), 3)).rejects.toBeInstanceOf(PlanConflict);
    expect(tries).toBe(3);
  });
});

describe('planNewReport', () => {
  const incoming: IncomingReport = {
    source: 'hotline', webhookId: 'msg_1', bodyHash: 'b', contentHash: 'c', payload: '{}',
    draft: {
      source: 'hotline', externalId: 'GD-1', reportedAt: '2026-03-02T01:00:00.000Z', title: '标题', content: '内容',
      priority: 'urgent', reporter: { confidential: false }, evidence: [],
    },
  };
  const routing = { agency: null, transfer: null, confident: false, reason: '无', problemTypes: [], domain: null, detail: null };
  const at = '2026-03-02T02:00:00.000Z';

  it('guards the delivery and the report keys, and numbers a new lead and report from counters', () => {
    const p = planNewReport({ incoming, at, year: 2026, dedupe: { kind: 'new', candidates: [] }, routing });
    expect(p.newLead).toBe(true);
    expect(p.plan.guards.map((g) => [g.kind, g.table])).toEqual([['absent', 'reports'], ['absent', 'deliveries']]);
    expect(p.plan.counters.map((c) => c.counter)).toEqual(['report-2026', 'lead-2026']);
    expect(p.plan.writes.map((w) => `${w.kind} ${w.table}`)).toEqual(['insert leads', 'insert reports', 'insert deliveries']);
    expect(p.plan.events.map((e) => e.action)).toEqual(['report.received', 'lead.created', 'lead.routed']);
  });

  it('merges into a live lead, guarded by its status and channels, and never reopens a closed one', () => {
    const merge = { kind: 'merge' as const, leadId: 'XS-2026-000001', score: 0.9, why: '相同' };
    const live = { id: 'XS-2026-000003', status: 'assigned', channels: ['media' as const], priority: 'normal' };
    const p = planNewReport({ incoming, at, year: 2026, dedupe: merge, routing, target: live });
    expect([p.newLead, p.leadId]).toEqual([false, 'XS-2026-000003']);
    expect(p.plan.guards.at(-1)).toMatchObject({ kind: 'exists', table: 'leads', where: { id: live.id, status: 'assigned', channels: '["media"]' } });
    expect(p.plan.writes[0]).toMatchObject({ kind: 'update', table: 'leads', set: { channels: '["media","hotline"]', priority: 'urgent' } });
    const closed = planNewReport({ incoming, at, year: 2026, dedupe: merge, routing, target: { ...live, status: 'closed' } });
    expect(closed.newLead).toBe(true);
    expect(closed.dedupe).toEqual({ kind: 'new', candidates: [{ leadId: live.id, score: 0.9 }] });
  });
});
