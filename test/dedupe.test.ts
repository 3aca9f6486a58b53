// One lead per problem (issue 3), through the real intake path and the SQL index, on every database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samples as hotline } from '../webhooks/hotline.ts';
import { testApp, type TestApp } from './helpers/app.ts';
import { dialects } from './helpers/dialects.ts';
import { DocFreq, docFreqOf } from '../src/db/stores/docFreq.ts';

const BASE = hotline.valid;

describe.each(await dialects())('de-duplication on %s', (dialect) => {
  let t: TestApp;
  let bureau: string;
  let first: { reportId: string; leadId: string };

  beforeAll(async () => {
    t = await testApp(dialect);
    bureau = await t.token('bureau');
    first = await (await t.deliver('hotline', BASE)).json();
  });
  afterAll(async () => { await t.close(); });

  it('answers an exact redelivery with the first answer, not as a duplicate', async () => {
    const again = await t.deliver('hotline', BASE);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ ...first, duplicate: false });
  });

  it('attaches a repost of the same problem from another channel automatically, and says why', async () => {
    t.clock.advance(3_600_000);
    const res = await t.deliver('supervisor', {
      submissionId: 'SV-REPOST-1', supervisor: { id: 'S07', name: '李监督员' }, submittedAt: '2026-03-02T11:00:00+08:00',
      content: `监督员转述：${BASE.content}`, township: '梅湾街道', subject: '城管',
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ leadId: first.leadId, duplicate: true });
    const lead = await (await t.get(`/api/leads/${first.leadId}`, bureau)).json();
    expect(lead).toMatchObject({ reportCount: 2, channels: ['hotline', 'supervisor'] });
    expect(lead.reports.map((r: { reporter: { name: string } }) => r.reporter.name)).toEqual(['张先生', '李监督员']);
    const merged = (await (await t.get(`/api/leads/${first.leadId}/events`, bureau)).json()).items
      .find((e: { action: string }) => e.action === 'lead.report-merged');
    expect(merged.data.score).toBeGreaterThanOrEqual(0.5);
    expect(merged.data.why).toMatch(/综合得分/);
  });

  it('lists an independent report of the same incident as a candidate for a person to confirm', async () => {
    t.clock.advance(86_400_000);
    const res = await t.deliver('media', {
      articleId: 'YZRB-CAND-1', outlet: '永州日报', publishedAt: '2026-03-03T07:30:00+08:00',
      title: '菱角塘市场门口城管收走老人菜摊引发围观',
      content: '本报讯 3月1日下午，冷水滩区梅湾街道菱角塘市场门口，数名城管队员收走一位七旬老人的三轮车和蔬菜，老人在拉扯中摔倒。围观市民质疑执法方式过于粗暴。',
      township: '梅湾街道', subject: '区城管局',
    });
    const answer = await res.json();
    expect(answer.duplicate).toBe(false);
    const lead = await (await t.get(`/api/leads/${answer.leadId}`, bureau)).json();
    expect(lead.duplicateCandidates).toEqual([{ leadId: first.leadId, score: expect.any(Number) }]);
    // Listed (≥ low), not merged: a merge also needs the texts themselves to be alike (≥ 0.3).
    expect(lead.duplicateCandidates[0].score).toBeGreaterThanOrEqual(0.16);
    // The bureau confirms: merge, and the reporters of both stay on the lead.
    expect((await t.post(`/api/leads/${answer.leadId}/merge`, { into: first.leadId }, bureau)).status).toBe(200);
    const merged = await (await t.get(`/api/leads/${first.leadId}`, bureau)).json();
    expect(merged).toMatchObject({ reportCount: 3, channels: ['hotline', 'supervisor', 'media'] });
  });

  it('keeps a look-alike about another market in another township as its own lead', async () => {
    const res = await t.deliver('hotline', {
      ...BASE, orderNo: 'GD-LOOKALIKE-1', title: '菱角山街道城管暴力没收三轮车', township: '菱角山街道',
      content: '市民来电反映：3月1日下午在菱角山街道长丰市场门口，几名城管执法人员强行将一名老人的三轮车连同水果一起收走，也没有开具暂扣清单。',
      address: '冷水滩区菱角山街道长丰市场',
    });
    const answer = await res.json();
    expect(answer).toMatchObject({ duplicate: false });
    expect(answer.leadId).not.toBe(first.leadId);
  });

  it('sends a later report of a merged lead to the lead it was merged into', async () => {
    const res = await t.deliver('supervisor', {
      submissionId: 'SV-REPOST-2', supervisor: { id: 'S08' }, submittedAt: '2026-03-04T11:00:00+08:00',
      content: `监督员再次反映：本报讯 3月1日下午，冷水滩区梅湾街道菱角塘市场门口，数名城管队员收走一位七旬老人的三轮车和蔬菜，老人在拉扯中摔倒。围观市民质疑执法方式过于粗暴。`,
      township: '梅湾街道',
    });
    expect(await res.json()).toMatchObject({ leadId: first.leadId, duplicate: true });
  });

  it('does not reopen a closed problem: a new report becomes a lead that lists the closed one', async () => {
    const closable = await (await t.post('/api/leads', { title: '蔡市镇农贸市场乱收费', content: '来访群众反映蔡市镇农贸市场管理方向摊主乱收卫生费，市场监管不查。' }, bureau)).json();
    expect((await t.post(`/api/leads/${closable.id}/close`, { reason: '已当场答复，不属于行政执法问题' }, bureau)).status).toBe(200);
    const again = await (await t.post('/api/leads', { title: '蔡市镇农贸市场乱收费', content: '来访群众反映蔡市镇农贸市场管理方向摊主乱收卫生费，市场监管不查。' }, bureau)).json();
    expect(again.id).not.toBe(closable.id);
    expect(again.duplicateCandidates.map((c: { leadId: string }) => c.leadId)).toContain(closable.id);
  });

  it('counts every report\'s features once in every instance, before and after compaction', async () => {
    const { db, reader } = t.database;
    const fingerprints = await db.selectFrom('dedupe_fingerprint').select('report_id').execute();
    const live = await docFreqOf(reader).current();
    expect(live.docs).toBe(fingerprints.length);
    // A phrase every stored report here has, and one none has.
    expect(live.count('place:菱角塘市场')).toBeGreaterThanOrEqual(3);
    expect(live.count('place:不存在的市场')).toBe(0);
    const before = live.counters.slice();

    // Two other instances compact at once: one folds the log, the other finds it folded.
    const folded = await Promise.all([new DocFreq(db).compact(db, 0), new DocFreq(db).compact(db, 0)]);
    expect(folded.filter((n) => n > 0)).toEqual([fingerprints.length]);
    expect(await db.selectFrom('dedupe_df_log').select('seq').execute()).toEqual([]);

    // Another report after the snapshot; then a new instance (snapshot + log) and the live one agree.
    t.clock.advance(60_000);
    const res = await t.deliver('media', {
      articleId: 'SKETCH-1', outlet: '永州日报', publishedAt: '2026-03-05T08:00:00+08:00',
      title: '伊塘镇沙场夜间运砂车噪音', content: '伊塘镇河边沙场运砂车通宵作业，附近村民无法入睡，多次反映无果。',
    });
    expect(res.status).toBe(202);
    const fresh = await new DocFreq(db).current();
    const again = await docFreqOf(reader).current();
    expect(fresh.docs).toBe(fingerprints.length + 1);
    expect(again.docs).toBe(fresh.docs);
    expect(Buffer.compare(Buffer.from(again.counters.buffer), Buffer.from(fresh.counters.buffer))).toBe(0);
    expect(fresh.count('place:菱角塘市场')).toBe(live.count('place:菱角塘市场'));
    expect(sum(fresh.counters)).toBeGreaterThan(sum(before));
  });
});

function sum(counters: Uint32Array): number {
  return counters.reduce((a, b) => a + b, 0);
}
