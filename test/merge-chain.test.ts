// Merges never hide a report: a lead shows every report of every lead merged into it, however long
// the chain; a later match on the deepest lead joins the live one; unmerge in the middle restores
// both halves; merging into a lead that does not exist is 404.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from './helpers/app.ts';
import { dialects } from './helpers/dialects.ts';

const CHAIN = 30;

describe.each(await dialects())('a chain of %s merges on %s', (dialect) => {
  let t: TestApp;
  let bureau: string;
  const leads: string[] = []; // leads[i] is merged into leads[i + 1]; leads[CHAIN] is live
  const reports: string[] = [];

  beforeAll(async () => {
    t = await testApp(dialect);
    bureau = await t.token('bureau');
    // De-duplication would join look-alike texts by itself: here every lead is new, merged by hand.
    t.deps.dedupe = async () => ({ decision: { kind: 'new', candidates: [] } });
    for (let i = 0; i <= CHAIN; i++) {
      const res = await t.post('/api/leads', { title: `第${i}号线索`, content: `来访人反映第${i}件事：执法人员态度粗暴。` }, bureau);
      expect(res.status).toBe(201);
      const body = await res.json();
      leads.push(body.id);
      reports.push(body.reportId);
    }
    for (let i = 0; i < CHAIN; i++) {
      const res = await t.post(`/api/leads/${leads[i]}/merge`, { into: leads[i + 1] }, bureau);
      expect(res.status).toBe(200);
    }
  }, 120_000);
  afterAll(async () => { await t.close(); });

  it(`shows all ${CHAIN + 1} reports on the live lead, and counts them`, async () => {
    const live = await (await t.get(`/api/leads/${leads[CHAIN]}`, bureau)).json();
    expect(live.reportCount).toBe(CHAIN + 1);
    expect(live.reports.map((r: { id: string }) => r.id).sort()).toEqual([...reports].sort());
    // Each lead of the chain carries its own part of it.
    const middle = await (await t.get(`/api/leads/${leads[15]}`, bureau)).json();
    expect(middle).toMatchObject({ status: 'merged', mergedInto: leads[16], reportCount: 16 });
    expect(middle.reports).toHaveLength(16);
  });

  it('sends a later report that matches the deepest lead to the live one', async () => {
    const dedupe = t.deps.dedupe;
    t.deps.dedupe = async () => ({ decision: { kind: 'merge', leadId: leads[0]!, score: 0.9, why: '测试：与链底线索相同' } });
    try {
      const res = await t.deliver('supervisor', { submissionId: 'SV-CHAIN-LATER', supervisor: { id: 'S09' }, submittedAt: '2026-03-02T10:00:00+08:00', content: '监督员反映：第0件事仍未处理。' });
      expect(res.status).toBe(202);
      expect(await res.json()).toMatchObject({ leadId: leads[CHAIN], duplicate: true });
    } finally {
      t.deps.dedupe = dedupe;
    }
    expect((await (await t.get(`/api/leads/${leads[CHAIN]}`, bureau)).json()).reportCount).toBe(CHAIN + 2);
  });

  it('unmerges in the middle: both halves show their own reports, every lead above counts one half fewer, the totals stay', async () => {
    const res = await t.post(`/api/leads/${leads[15]}/unmerge`, {}, bureau);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: leads[15], status: 'triage', mergedInto: null, reportCount: 16 });
    const live = await (await t.get(`/api/leads/${leads[CHAIN]}`, bureau)).json();
    expect(live.reportCount).toBe(CHAIN - 15 + 1);
    expect(live.reports).toHaveLength(CHAIN - 15 + 1);
    expect(live.reports.map((r: { id: string }) => r.id)).not.toContain(reports[0]);
    // A lead between the one unmerged and the live one no longer counts the part that left.
    expect((await (await t.get(`/api/leads/${leads[20]}`, bureau)).json()).reportCount).toBe(5);
    const stats = await (await t.get('/api/stats', bureau)).json();
    expect(stats).toMatchObject({ leads: 2, reports: CHAIN + 2 });
  });

  it('answers 404 for a merge into a lead that does not exist, and changes nothing', async () => {
    const res = await t.post(`/api/leads/${leads[15]}/merge`, { into: 'XS-2026-999999' }, bureau);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await res.json()).detail).toContain('XS-2026-999999');
    expect((await (await t.get(`/api/leads/${leads[15]}`, bureau)).json()).status).toBe('triage');
  });
});
