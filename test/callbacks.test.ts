// Callbacks to the sources (API.md §7), end to end: a real HTTP receiver that verifies every
// signature with the official `standardwebhooks` package; a 12345 work order is accepted,
// assigned (the receiver refuses three times, then takes it once), rectified and approved, and
// the hotline hears `lead.closed` with its order number and the approved summary. A media report
// merged into the lead hears `report.merged` and the close, with only its own ids.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samples as hotline } from '../webhooks/hotline.ts';
import { samples as media } from '../webhooks/media.ts';
import { deliverCallbacks } from '../src/app/deliverCallbacks.ts';
import { callbackCounts } from '../src/db/stores/callbacks.ts';
import { testApp, type TestApp } from './helpers/app.ts';
import { dialects } from './helpers/dialects.ts';
import { PROBLEMS } from './helpers/problems.ts';
import { SECRETS } from './helpers/sign.ts';
import { callbackEnv, startCallbackReceiver, type CallbackReceiver } from './helpers/callbackReceiver.ts';

const HOUR = 3_600_000;
const exec = promisify(execFile);

describe.each(await dialects())('callbacks to the sources on %s', (dialect) => {
  let rx: CallbackReceiver;
  let t: TestApp;
  let bureau: string;
  let urban: string;
  let leadId: string;
  let reportId: string;
  let mediaReport: string;
  let mediaLead: string;
  const pass = () => deliverCallbacks(t.deps, t.clock.now());

  beforeAll(async () => {
    rx = await startCallbackReceiver();
    // hotline and media call back; supervisor has no callback configured.
    t = await testApp(dialect, { env: callbackEnv(rx, ['hotline', 'media']) });
    bureau = await t.token('bureau');
    urban = await t.token('agency', { agency: 'urban' });
  });
  afterAll(async () => {
    await t?.close();
    await rx?.close();
  });

  it('tells the hotline its work order was accepted: report.accepted, signed, with the order number', async () => {
    const res = await t.deliver('hotline', hotline.valid);
    expect(res.status).toBe(202);
    ({ leadId, reportId } = await res.json());
    expect(await pass()).toEqual({ sent: 1, retried: 0, dead: 0 });
    const [got] = rx.delivered('hotline');
    expect(got?.body).toEqual({
      type: 'report.accepted', timestamp: t.clock.now().toISOString(),
      data: { source: 'hotline', externalId: hotline.valid.orderNo, reportId, leadId, status: 'triage', duplicate: false },
    });
    expect(await pass()).toEqual({ sent: 0, retried: 0, dead: 0 }); // nothing twice
  });

  it('a source without a callback gets none, and its reports queue nothing', async () => {
    const res = await t.deliver('supervisor', {
      submissionId: 'SV-CB-1', supervisor: { id: 'S07' }, submittedAt: '2026-03-02T10:00:00+08:00', ...PROBLEMS[2],
    });
    expect(res.status).toBe(202);
    expect(await pass()).toEqual({ sent: 0, retried: 0, dead: 0 });
    expect((await callbackCounts(t.deps.reader)).supervisor).toBeUndefined();
  });

  it('a second report from the media, merged into the lead by the bureau, hears report.accepted then report.merged', async () => {
    const res = await t.deliver('media', { ...media.valid, articleId: 'YZRB-CB-1', ...PROBLEMS[1], subject: undefined });
    expect(res.status).toBe(202);
    ({ reportId: mediaReport, leadId: mediaLead } = await res.json());
    expect(mediaLead).not.toBe(leadId);
    expect((await t.post(`/api/leads/${mediaLead}/merge`, { into: leadId }, bureau)).status).toBe(200);
    expect(await pass()).toEqual({ sent: 2, retried: 0, dead: 0 });
    expect(rx.delivered('media').map((r) => r.body.type)).toEqual(['report.accepted', 'report.merged']);
    expect(rx.delivered('media')[1]!.body.data).toEqual({
      source: 'media', externalId: 'YZRB-CB-1', reportId: mediaReport, leadId, status: 'triage', mergedFrom: mediaLead,
    });
    // The hotline hears nothing of the media's report.
    expect(rx.delivered('hotline')).toHaveLength(1);
  });

  it('交办 → lead.assigned: the hotline answers 503 three times, then takes it once, with the same webhook-id; the media meanwhile is served', async () => {
    expect((await t.post(`/api/leads/${leadId}/assign`, { agency: 'urban' }, bureau)).status).toBe(200);
    rx.answers.hotline = [503, 503, 503];
    expect(await pass()).toEqual({ sent: 1, retried: 1, dead: 0 }); // media delivered, hotline 503
    // While lead.assigned waits, the lead goes on: 签收, 整改反馈 with personal data in it, 审核 通过.
    expect((await t.post(`/api/leads/${leadId}/acknowledge`, {}, urban)).status).toBe(200);
    expect((await t.post(`/api/leads/${leadId}/feedback`, {
      summary: '已核实，涉事队员停职检查，已归还三轮车并赔礼道歉，已电话告知张先生（13800000000）处理结果',
      measures: '全队开展规范执法培训',
    }, urban)).status).toBe(200);
    expect((await t.post(`/api/leads/${leadId}/review`, { decision: 'approve', comment: '整改到位' }, bureau)).status).toBe(200);
    // lead.closed for the hotline is held behind its pending lead.assigned (in order per report);
    // the media's is not held up.
    const held = await pass();
    expect(held.sent).toBe(1);
    expect(rx.delivered('media').map((r) => r.body.type)).toEqual(['report.accepted', 'report.merged', 'lead.assigned', 'lead.closed']);
    for (let i = 0; i < 6 && rx.delivered('hotline').length < 3; i++) {
      t.clock.advance(2 * HOUR); // past any back-off of the first attempts
      await pass();
    }
    const attempts = rx.received.filter((r) => r.source === 'hotline' && r.body.type === 'lead.assigned');
    expect(attempts.map((r) => r.answered)).toEqual([503, 503, 503, 204]);
    expect(new Set(attempts.map((r) => r.id)).size).toBe(1);
    expect(rx.delivered('hotline').map((r) => r.body.type)).toEqual(['report.accepted', 'lead.assigned', 'lead.closed']);
    expect(rx.received.every((r) => r.verified)).toBe(true);
    expect(rx.received.map((r) => r.misfit).filter(Boolean)).toEqual([]); // every body fits the document's `webhooks`
  });

  it('lead.closed carries the order number and the approved summary, masked; other reporters never appear', async () => {
    const closed = rx.delivered('hotline')[2]!.body;
    expect(closed.data).toMatchObject({
      source: 'hotline', externalId: hotline.valid.orderNo, reportId, leadId, status: 'closed',
      summary: '已核实，涉事队员停职检查，已归还三轮车并赔礼道歉，已电话告知张**（138****0000）处理结果',
    });
    const assigned = rx.delivered('hotline')[1]!.body;
    expect(assigned.data).toMatchObject({ agency: 'urban', agencyName: '区城市管理和综合执法局', role: 'primary', status: expect.any(String) });
    expect(typeof assigned.data.dueAt).toBe('string');
    for (const r of rx.delivered('media')) {
      const text = JSON.stringify(r.body);
      expect(text).not.toContain(hotline.valid.orderNo);
      expect(text).not.toContain(reportId);
      expect(text).not.toContain('13800000000');
      expect(text).not.toContain('张先生');
    }
    const counts = await callbackCounts(t.deps.reader);
    expect(counts.hotline).toMatchObject({ pending: 0, failed: 0, delivered: 3, lastError: { error: 'HTTP 503', type: 'lead.assigned' } });
    expect(counts.media).toMatchObject({ pending: 0, failed: 0, delivered: 4, lastError: null });
  });

  it('gives up after 72 hours of refusals, and a rejection then still reaches the source', async () => {
    const res = await t.deliver('hotline', { ...hotline.valid, orderNo: 'GD-CB-DEAD', ...PROBLEMS[3] });
    const { leadId: other } = await res.json();
    rx.answers.hotline = Array(200).fill(500);
    await pass();
    expect((await t.post(`/api/leads/${other}/reject`, { reason: '不属于行政执法监督范围，来电人李四电话 13912345678' }, bureau)).status).toBe(200);
    let dead = 0;
    for (let i = 0; i < 80 && dead === 0; i++) {
      t.clock.advance(HOUR);
      dead += (await pass()).dead;
    }
    expect(dead).toBe(1);
    rx.answers.hotline = [];
    t.clock.advance(2 * HOUR);
    await pass();
    const rejected = rx.delivered('hotline').at(-1)!.body;
    expect(rejected).toMatchObject({ type: 'lead.rejected', data: { externalId: 'GD-CB-DEAD', status: 'rejected' } });
    expect(rejected.data.reason).toBe('不属于行政执法监督范围，来电人李四电话 139****5678');
    expect(rx.received.map((r) => r.misfit).filter(Boolean)).toEqual([]);
    expect((await callbackCounts(t.deps.reader)).hotline).toMatchObject({ failed: 1, pending: 0 });
  });

  it('GET /api/sources and `xiansuo sources` show deliveries by answer, the last refusal and the callbacks', async () => {
    expect((await t.deliver('hotline', hotline.valid)).status).toBe(200); // a redelivery
    const bad = await t.deliver('hotline', { ...hotline.valid, orderNo: 'GD-CB-BAD', createdAt: 'yesterday' });
    expect(bad.status).toBe(422);
    const unsigned = await t.app.request('/webhooks/media', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(unsigned.status).toBe(401);
    expect((await t.get('/api/sources', urban)).status).toBe(403);
    const res = await t.get('/api/sources', bureau);
    expect(res.status).toBe(200);
    const { items } = await res.json();
    const by = Object.fromEntries(items.map((i: { source: string }) => [i.source, i]));
    expect(by.hotline).toMatchObject({
      name: '12345热线', enabled: true,
      inbound: { total: 4, byStatus: { 200: 1, 202: 2, 422: 1 }, lastRefusal: { status: 422, detail: expect.stringContaining('createdAt') } },
      callback: { url: rx.url('hotline'), pending: 0, failed: 1, delivered: 4, lastError: { type: 'report.accepted', error: 'HTTP 500' } },
    });
    expect(by.media).toMatchObject({ inbound: { byStatus: { 202: 1, 401: 1 }, lastRefusal: { status: 401 } }, callback: { delivered: 4 } });
    expect(by.supervisor).toMatchObject({ inbound: { byStatus: { 202: 1 } }, callback: null });

    const env: Record<string, string> = { ...process.env as Record<string, string>, DATABASE_URL: t.database.url, ...callbackEnv(rx, ['hotline', 'media']),
      WEBHOOK_SECRET_HOTLINE: SECRETS.hotline, WEBHOOK_SECRET_MEDIA: SECRETS.media, WEBHOOK_SECRET_SUPERVISOR: SECRETS.supervisor };
    if (t.database.pgSchema) env.PGOPTIONS = `-c search_path=${t.database.pgSchema}`;
    const cli = await exec(process.execPath, ['bin/xiansuo.js', 'sources'], { env });
    expect(cli.stdout).toContain('12345热线（hotline）');
    expect(cli.stdout).toContain('接收 4 次：200×1，202×2，422×1');
    expect(cli.stdout).toContain(`回调 ${rx.url('hotline')}：待发送 0，已放弃 1，已送达 4`);
    expect(cli.stdout).toContain('社会监督员（supervisor）');
    const json = JSON.parse((await exec(process.execPath, ['bin/xiansuo.js', 'sources', '--json'], { env })).stdout);
    expect(json).toEqual(items);
  }, 60_000);

  it('a process without the endpoint (an operator\'s sweep without CALLBACK_*) leaves the callbacks alone', async () => {
    const res = await t.deliver('hotline', { ...hotline.valid, orderNo: 'GD-CB-NOENV', ...PROBLEMS[4] });
    expect(res.status).toBe(202);
    const before = (await callbackCounts(t.deps.reader)).hotline!;
    const bare = { ...t.deps, config: { ...t.deps.config, callbacks: {} } };
    expect(await deliverCallbacks(bare, t.clock.now())).toEqual({ sent: 0, retried: 0, dead: 0 });
    expect((await callbackCounts(t.deps.reader)).hotline).toEqual({ ...before, pending: 1 });
    expect(await pass()).toEqual({ sent: 1, retried: 0, dead: 0 });
    expect(rx.delivered('hotline').at(-1)!.body.data).toMatchObject({ externalId: 'GD-CB-NOENV' });
  });
});
