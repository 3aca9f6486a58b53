// A merge is one plan guarded by the versions it was decided on. When somebody else writes in
// between (here: a report that joins the target lead, committed after the merge read the leads and
// before its plan commits), the guard fails, nothing of the first plan is kept, and the use case
// reads again and plans again: the target then counts the new report too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlanConflict, type Committed, type Plan, type PlanCommitter } from '../src/domain/plan.ts';
import { testApp, type TestApp } from './helpers/app.ts';
import { dialects } from './helpers/dialects.ts';

describe.each(await dialects())('a merge that loses a race on %s', (dialect) => {
  let t: TestApp;
  let bureau: string;
  let a: string;
  let b: string;

  beforeAll(async () => {
    t = await testApp(dialect);
    bureau = await t.token('bureau');
    t.deps.dedupe = async () => ({ decision: { kind: 'new', candidates: [] } });
    a = (await (await t.post('/api/leads', { title: '甲线索', content: '来访人反映：城管执法人员态度粗暴。' }, bureau)).json()).id;
    b = (await (await t.post('/api/leads', { title: '乙线索', content: '来访人反映：菜市场摊位被随意收走。' }, bureau)).json()).id;
  });
  afterAll(async () => { await t.close(); });

  it('a report joining the target between read and commit fails the guard; the merge re-plans and counts it', async () => {
    const store = t.deps.store;
    const merges: ('conflict' | 'committed')[] = [];
    let raced = false;
    const racing: PlanCommitter = {
      async commit(plan: Plan, onCommitted?: (c: Committed) => void) {
        const isMerge = plan.events.some((e) => e.action === 'lead.merged');
        if (isMerge && !raced) {
          raced = true;
          // Somebody else writes first: a supervisor's report that de-duplication joins to A.
          t.deps.dedupe = async () => ({ decision: { kind: 'merge', leadId: a, score: 0.9, why: '测试：与甲线索相同' } });
          const res = await t.deliver('supervisor', {
            submissionId: 'SV-RACE-1', supervisor: { id: 'S11' }, submittedAt: '2026-03-02T10:00:00+08:00',
            content: '监督员反映：城管执法人员态度粗暴一事仍未处理。',
          });
          expect(res.status).toBe(202);
          expect(await res.json()).toMatchObject({ leadId: a, duplicate: true });
        }
        try {
          const done = await store.commit(plan, onCommitted);
          if (isMerge) merges.push('committed');
          return done;
        } catch (err) {
          if (isMerge && err instanceof PlanConflict) merges.push('conflict');
          throw err;
        }
      },
    };
    t.deps.store = racing;
    try {
      const res = await t.post(`/api/leads/${b}/merge`, { into: a }, bureau);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ id: b, status: 'merged', mergedInto: a });
    } finally {
      t.deps.store = store;
    }
    expect(merges).toEqual(['conflict', 'committed']);
    // Counted on the second reading: A's own report, the racing one, and B's.
    const lead = await (await t.get(`/api/leads/${a}`, bureau)).json();
    expect(lead).toMatchObject({ reportCount: 3, channels: ['bureau', 'supervisor'] });
    expect(lead.reports).toHaveLength(3);
    // The failed plan left nothing: one merge event on each lead.
    const events = async (id: string) => (await (await t.get(`/api/leads/${id}/events`, bureau)).json()).items.map((e: { action: string }) => e.action);
    expect((await events(b)).filter((x: string) => x === 'lead.merged')).toHaveLength(1);
    expect((await events(a)).filter((x: string) => x === 'lead.merge.received')).toHaveLength(1);
  });
});
