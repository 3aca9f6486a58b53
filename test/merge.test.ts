// People decide the doubtful ones: merge and unmerge by hand (bureau), nothing lost, recorded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samples as hotline } from '../webhooks/hotline.ts';
import { samples as media } from '../webhooks/media.ts';
import { testApp, type TestApp } from './helpers/app.ts';
import { dialects } from './helpers/dialects.ts';
import { PROBLEMS } from './helpers/problems.ts';

describe.each(await dialects())('manual merge on %s', (dialect) => {
  let t: TestApp;
  let bureau: string;
  let a: string;
  let b: string;
  beforeAll(async () => {
    t = await testApp(dialect);
    bureau = await t.token('bureau');
    a = (await (await t.deliver('hotline', hotline.valid)).json()).leadId;
    const other = await t.deliver('media', {
      ...media.valid, articleId: 'YZRB-MERGE-1', title: '梅湾街道一菜市场管理混乱', township: '梅湾街道', subject: undefined,
      content: '本报讯 近日有读者反映，梅湾街道一菜市场内摊位乱搭乱建，执法人员偶尔来一次就收走几家摊位的秤，被指执法随意。',
    });
    b = (await other.json()).leadId;
    expect(b).not.toBe(a);
  });
  afterAll(async () => { await t.close(); });

  it('merges B into A: B answers merged, A carries both reports, both channels, both reporters', async () => {
    const agency = await t.token('agency', { agency: 'urban' });
    expect((await t.post(`/api/leads/${b}/merge`, { into: a }, agency)).status).toBe(404); // not its lead
    expect((await t.post(`/api/leads/${b}/merge`, { into: a }, await t.token('viewer'))).status).toBe(403);
    const res = await t.post(`/api/leads/${b}/merge`, { into: a }, bureau);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: b, status: 'merged', mergedInto: a });
    const lead = await (await t.get(`/api/leads/${a}`, bureau)).json();
    expect(lead).toMatchObject({ reportCount: 2, channels: ['hotline', 'media'] });
    expect(lead.reports.map((r: { source: string }) => r.source)).toEqual(['hotline', 'media']);
    expect(lead.reports[1].reporter).toMatchObject({ outlet: '永州日报' });
    const actions = (await (await t.get(`/api/leads/${a}/events`, bureau)).json()).items.map((e: { action: string }) => e.action);
    expect(actions).toContain('lead.merge.received');
  });

  it('sends a later report that matches the merged lead to the lead it was merged into', async () => {
    const dedupe = t.deps.dedupe;
    t.deps.dedupe = async () => ({ decision: { kind: 'merge', leadId: b, score: 0.9, why: '测试：与已归并线索相同' } });
    try {
      const res = await t.deliver('supervisor', { submissionId: 'SV-MERGE-LATER', supervisor: { id: 'S09' }, submittedAt: '2026-03-02T10:00:00+08:00', content: '监督员反映：菱角塘市场城管收走老人菜摊一事仍未处理。' });
      expect(res.status).toBe(202);
      expect(await res.json()).toMatchObject({ leadId: a, duplicate: true });
    } finally {
      t.deps.dedupe = dedupe;
    }
    const lead = await (await t.get(`/api/leads/${a}`, bureau)).json();
    expect(lead).toMatchObject({ reportCount: 3, channels: ['hotline', 'media', 'supervisor'] });
  });

  it('refuses to merge into a merged lead or into itself, with 409 and a reason', async () => {
    const c = (await (await t.deliver('hotline', { orderNo: 'GD-MERGE-C', createdAt: hotline.valid.createdAt, ...PROBLEMS[0]! })).json()).leadId;
    expect(c).not.toBe(a);
    const intoMerged = await t.post(`/api/leads/${c}/merge`, { into: b }, bureau);
    expect(intoMerged.status).toBe(409);
    expect((await intoMerged.json()).detail).toBeTruthy();
    expect((await t.post(`/api/leads/${c}/merge`, { into: c }, bureau)).status).toBe(422); // not a state: a wrong request
    expect((await t.post(`/api/leads/${c}/merge`, { into: 'nonsense' }, bureau)).status).toBe(422);
  });

  it('unmerges: B is back in triage with its own report, A counts one report again', async () => {
    const res = await t.post(`/api/leads/${b}/unmerge`, {}, bureau);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: b, status: 'triage', mergedInto: null, reportCount: 1 });
    const lead = await (await t.get(`/api/leads/${a}`, bureau)).json();
    expect(lead).toMatchObject({ reportCount: 2, channels: ['hotline', 'supervisor'] });
    const actions = (await (await t.get(`/api/leads/${b}/events`, bureau)).json()).items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['lead.merged', 'lead.unmerged']));
  });
});
