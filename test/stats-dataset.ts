// A fixed data set for the statistics tests, made through the real API (webhooks, workflow calls,
// one sweep), with every figure it should give worked out by hand in test/stats-figures.test.ts.
//
// 2026 (all hotline unless said; 交办 at 03-02 11:00, 签收 due end of 03-03, 整改 due end of 03-23):
//   L1 urban      签收 03-03, 反馈 03-10, 通过 03-11 → closed; 回访 satisfied
//   L2 urban      签收 03-05 (late), 反馈 03-12, 退回 03-13, 反馈 03-20, 通过 03-21 → closed
//   L3 market     never 签收; the sweep of 04-20 records 超期 and 督办 → assigned, overdue
//   L4 transport  签收 03-03, 延期 5 working days 03-20, 反馈 03-26, 通过 03-27; 回访 not satisfied → triage
//   L5 supervisor 不予受理      L6 media 移送 judicial     L7 merged into L3     L8 left in triage
//   L9 2025-12-20, outside the period
import type { TestApp } from './helpers/app.ts';

const local = (s: string) => new Date(`${s}+08:00`).toISOString();

export interface Dataset {
  leads: Record<string, string>;
  reports: Record<string, string>;
  bureau: string;
}

const texts = {
  L1: ['梅湾街道夜市占道经营无人管', '梅湾街道步行街夜市摊贩长期占道经营，堵塞消防通道，多次反映城管未处理。', '梅湾街道'],
  L2: ['城管队员粗暴收缴水果摊', '城管执法人员在梅湾街道凤凰花园门口粗暴收缴老人水果摊，未开具暂扣清单。', '梅湾街道'],
  L3: ['餐馆一月被市场监管检查六次', '凤凰街道一家面馆一个月内被市场监管部门检查六次，每次都要求停业配合，严重影响经营。', '凤凰街道'],
  L4: ['运政执法人员随意扣车', '凤凰街道货运司机反映交通运输执法人员在检查中随意扣押车辆，不出具扣押决定书。', '凤凰街道'],
} as const;

export async function buildDataset(t: TestApp): Promise<Dataset> {
  const bureau = await t.token('bureau');
  const urban = await t.token('agency', { agency: 'urban' });
  const transport = await t.token('agency', { agency: 'transport' });
  const leads: Record<string, string> = {};
  const reports: Record<string, string> = {};
  const ok = async (res: Response | Promise<Response>) => {
    const r = await res;
    if (r.status >= 300) throw new Error(`${r.status} ${await r.text()}`);
    return r.json();
  };
  const at = (s: string) => t.clock.set(local(s));

  at('2025-12-20T10:00:00');
  leads.L9 = (await ok(t.deliver('hotline', {
    orderNo: 'GD-STATS-L9', createdAt: local('2025-12-20T09:00:00'), caller: { phone: '13700000009' },
    title: '去年的线索：林业执法', content: '伊塘镇林业站执法人员对农户砍伐自家竹子重复罚款。', township: '伊塘镇',
  }))).leadId;

  at('2026-03-02T10:00:00');
  let n = 0;
  for (const [key, [title, content, township]] of Object.entries(texts)) {
    const body = await ok(t.deliver('hotline', {
      orderNo: `GD-STATS-${key}`, createdAt: local('2026-03-02T09:00:00'),
      caller: { name: `市民${++n}`, phone: `1380000000${n}` }, title, content, township,
    }));
    leads[key] = body.leadId;
    reports[key] = body.reportId;
  }
  leads.L5 = (await ok(t.deliver('supervisor', {
    submissionId: 'SV-STATS-L5', supervisor: { id: 'S09' }, submittedAt: local('2026-03-02T09:30:00'),
    content: '监督员反映：梅湾街道一处违建拆除公告张贴位置不当，群众看不到。', township: '梅湾街道',
  }))).leadId;
  leads.L6 = (await ok(t.deliver('media', {
    articleId: 'STATS-L6', outlet: '永州日报', publishedAt: local('2026-03-02T07:00:00'),
    title: '非法采砂屡罚不止 涉嫌犯罪未移送', content: '记者调查发现，某河段非法采砂多次只罚款了事，以罚代刑，数量巨大涉嫌犯罪却未移送司法机关。',
  }))).leadId;
  leads.L7 = (await ok(t.deliver('media', {
    articleId: 'STATS-L7', outlet: '冷水滩新闻', publishedAt: local('2026-03-02T08:00:00'),
    title: '小店老板：检查太多吃不消', content: '本报记者走访发现，有个体店主称一个月要接待好几拨执法检查，希望减少重复检查。',
  }))).leadId;
  leads.L8 = (await ok(t.deliver('hotline', {
    orderNo: 'GD-STATS-L8', createdAt: local('2026-03-02T09:50:00'), caller: { phone: '13800000008' },
    title: '咨询行政复议流程', content: '来电人咨询如何对一份处罚决定申请行政复议，需要准备什么材料。',
  }))).leadId;

  const post = (lead: string, action: string, body: unknown, token: string) => ok(t.post(`/api/leads/${leads[lead]}/${action}`, body, token));
  at('2026-03-02T11:00:00');
  await post('L1', 'assign', { agency: 'urban' }, bureau);
  await post('L2', 'assign', { agency: 'urban' }, bureau);
  await post('L3', 'assign', { agency: 'market' }, bureau);
  await post('L4', 'assign', { agency: 'transport' }, bureau);
  await post('L5', 'reject', { reason: '不属于行政执法监督范围' }, bureau);
  await post('L6', 'transfer', { to: 'judicial', note: '涉嫌犯罪，移送司法机关' }, bureau);
  await post('L7', 'merge', { into: leads.L3 }, bureau);

  at('2026-03-03T09:00:00');
  await post('L1', 'acknowledge', {}, urban);
  await post('L4', 'acknowledge', {}, transport);
  at('2026-03-05T09:00:00');
  await post('L2', 'acknowledge', {}, urban);
  at('2026-03-10T09:00:00');
  await post('L1', 'feedback', { summary: '已清理夜市占道摊点，设置临时疏导区', measures: '每晚安排两名队员巡查' }, urban);
  at('2026-03-11T09:00:00');
  await post('L1', 'review', { decision: 'approve', comment: '整改到位' }, bureau);
  at('2026-03-12T09:00:00');
  await post('L1', 'follow-up', { reportId: reports.L1, satisfied: true }, bureau);
  await post('L2', 'feedback', { summary: '已退还水果摊', measures: '批评教育' }, urban);
  at('2026-03-13T09:00:00');
  await post('L2', 'review', { decision: 'return', comment: '请补充处理决定' }, bureau);
  at('2026-03-20T09:00:00');
  await post('L2', 'feedback', { summary: '已退还财物并对涉事队员作出处理', measures: '全队开展文明执法培训' }, urban);
  await post('L4', 'extension', { workingDays: 5, reason: '需调取执法记录仪视频' }, transport);
  await post('L4', 'extension/decision', { approve: true }, bureau);
  at('2026-03-21T09:00:00');
  await post('L2', 'review', { decision: 'approve', comment: '整改到位' }, bureau);
  at('2026-03-26T09:00:00');
  await post('L4', 'feedback', { summary: '已归还车辆并补办手续', measures: '规范扣押程序' }, transport);
  at('2026-03-27T09:00:00');
  await post('L4', 'review', { decision: 'approve', comment: '同意办结' }, bureau);
  at('2026-03-28T09:00:00');
  await post('L4', 'follow-up', { reportId: reports.L4, satisfied: false, comment: '车辆有损坏' }, bureau);

  const { sweepAndDeliver } = await import('../src/jobs/index.ts');
  at('2026-04-20T09:00:00');
  await sweepAndDeliver(t.deps, t.clock.now());
  return { leads, reports, bureau };
}
