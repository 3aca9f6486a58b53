// Inside workerd (run from workerd.test.ts): callbacks to the sources (API.md §7) on D1. The worker
// has CALLBACK_URL_HOTLINE and CALLBACK_URL_MEDIA (vitest.workers.config.ts) pointing at the
// receiver of the Node callback tests, which globalSetup.ts runs: it verifies each request with
// the official `standardwebhooks` package and checks the body against the OpenAPI document.
// A callback is queued in the same D1 batch as the event that causes it (its seq is the event's),
// and the delivery cron sends it.
import { env, SELF } from 'cloudflare:test';
import { describe, expect, inject, it } from 'vitest';
import { DELIVER_CRON, runScheduled } from '../../src/runtime/workerStart.ts';
import type { WorkerEnv } from '../../src/runtime/workerEnv.ts';
import type { ReceivedCallback } from '../helpers/callbackReceiver.ts';
import { SECRETS, signedHeaders } from '../helpers/sign.ts';
import { ADMIN_TOKEN, CLOCK } from './shared.ts';

const received = async (): Promise<ReceivedCallback[]> => (await fetch(`http://127.0.0.1:${inject('mailPort')}/callbacks`)).json();

async function deliver(source: 'hotline' | 'media', payload: unknown, id: string) {
  const body = JSON.stringify(payload);
  return SELF.fetch(`http://xiansuo.test/webhooks/${source}`, { method: 'POST', body, headers: signedHeaders(SECRETS[source], id, new Date(CLOCK), body) });
}

interface Queued { seq: number; source: string; type: string; body: string; status: string }
const queued = async (reportId: string): Promise<Queued[]> =>
  (await env.DB.prepare('select seq, source, type, body, status from callbacks where report_id = ? order by seq').bind(reportId).all<Queued>()).results;

const PROBLEM = {
  title: '凤凰街道农贸市场管理员向摊主索要好处费',
  content: '市民来电反映：凤凰街道东门农贸市场的管理员近两个月以“卫生费”名义向每个摊位每月多收两百元，不交就不让出摊，没有任何收据，摊主们敢怒不敢言。要求查处市场管理员乱收费行为并退还费用。',
  township: '凤凰街道', subject: '市场服务中心',
};

describe('callbacks on workerd (D1)', () => {
  let hotlineReport = '';
  let mediaReport = '';
  let leadId = '';

  it('a signed webhook queues report.accepted for its source in the same D1 batch as its event', async () => {
    const res = await deliver('hotline', {
      orderNo: 'GD2026030299001', createdAt: '2026-03-02T09:30:00+08:00',
      caller: { name: '王女士', phone: '13700000001', confidential: false }, ...PROBLEM, category: '市场监管', urgency: 'normal',
    }, 'cb-hotline-1');
    const a = await res.json() as { leadId: string; reportId: string; duplicate: boolean };
    expect(res.status, JSON.stringify(a)).toBe(202);
    expect(a.duplicate).toBe(false);
    ({ leadId, reportId: hotlineReport } = a);
    const rows = await queued(hotlineReport);
    const accepted = rows.filter((r) => r.type === 'report.accepted');
    expect(accepted).toHaveLength(1);
    expect(accepted[0]).toMatchObject({ source: 'hotline', status: 'pending' });
    expect(JSON.parse(accepted[0]!.body).data).toEqual({
      source: 'hotline', externalId: 'GD2026030299001', reportId: hotlineReport, leadId, status: expect.any(String), duplicate: false,
    });
    // The event that caused it was committed with it: its place in the record is the callback's seq.
    const event = await env.DB.prepare("select seq from events where action = 'report.received' and report_id = ?").bind(hotlineReport).first<{ seq: number }>();
    expect(event?.seq).toBe(accepted[0]!.seq);
  });

  it('a repeat from the media joined at intake queues report.accepted (duplicate) and report.merged for the media only', async () => {
    const res = await deliver('media', {
      articleId: 'YZRB-CB-WORKERD-1', outlet: '永州日报', url: 'https://example.com/yzrb/cb/1.html', publishedAt: '2026-03-02T12:00:00+08:00',
      ...PROBLEM, content: `转载：${PROBLEM.content}`,
    }, 'cb-media-1');
    const b = await res.json() as { leadId: string; reportId: string; duplicate: boolean };
    expect(res.status, JSON.stringify(b)).toBe(202);
    expect(b).toMatchObject({ leadId, duplicate: true });
    mediaReport = b.reportId;
    const rows = await queued(mediaReport);
    expect(rows.map((r) => [r.source, r.type])).toEqual([['media', 'report.accepted'], ['media', 'report.merged']]);
    const own = { source: 'media', externalId: 'YZRB-CB-WORKERD-1', reportId: mediaReport, leadId };
    expect(JSON.parse(rows[0]!.body).data).toMatchObject({ ...own, duplicate: true });
    expect(JSON.parse(rows[1]!.body).data).toMatchObject({ ...own, mergedFrom: null });
    // The hotline hears nothing of the media's report.
    expect((await queued(hotlineReport)).map((r) => r.body).join('')).not.toContain('YZRB-CB-WORKERD-1');
  });

  it('a lead merged by the bureau queues report.merged for the merged lead\'s source, with the target\'s status', async () => {
    // Texts no routing rule claims (as plans.cases.ts): both leads stay in triage and can be merged.
    const t = await deliver('hotline', {
      orderNo: 'GD2026030299002', createdAt: '2026-03-02T10:30:00+08:00', caller: { phone: '13700000002', confidential: true },
      title: '办事大厅窗口推诿', content: '来电人反映：到某单位办事大厅办理证明，工作人员互相推诿，跑了四趟仍未办结。',
      urgency: 'normal',
    }, 'cb-hotline-2');
    const target = await t.json() as { leadId: string; reportId: string };
    expect(t.status, JSON.stringify(target)).toBe(202);
    const res = await deliver('media', {
      articleId: 'YZRB-CB-WORKERD-2', outlet: '永州日报', url: 'https://example.com/yzrb/cb/2.html', publishedAt: '2026-03-02T13:00:00+08:00',
      title: '群众办事排长队', content: '本报讯 记者走访发现，某办事大厅只开一个窗口，群众排队两个小时无人过问。',
    }, 'cb-media-2');
    const c = await res.json() as { leadId: string; reportId: string; duplicate: boolean };
    expect(res.status, JSON.stringify(c)).toBe(202);
    expect(c.leadId).not.toBe(target.leadId);
    const merge = await SELF.fetch(`http://xiansuo.test/api/leads/${c.leadId}/merge`, {
      method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ into: target.leadId }),
    });
    expect(merge.status, await merge.clone().text()).toBe(200);
    const status = await env.DB.prepare('select status from leads where id = ?').bind(target.leadId).first<{ status: string }>();
    const merged = (await queued(c.reportId)).filter((r) => r.type === 'report.merged');
    expect(merged).toHaveLength(1);
    expect(JSON.parse(merged[0]!.body).data).toEqual({
      source: 'media', externalId: 'YZRB-CB-WORKERD-2', reportId: c.reportId, leadId: target.leadId, status: status!.status, mergedFrom: c.leadId,
    });
    const event = await env.DB.prepare("select seq from events where action = 'lead.merged' and lead_id = ?").bind(c.leadId).first<{ seq: number }>();
    expect(event?.seq).toBe(merged[0]!.seq);
    // The target's own source hears no report.merged: its report did not move.
    expect((await queued(target.reportId)).map((r) => r.type)).not.toContain('report.merged');
  });

  it('the delivery cron sends them, signed (verified with standardwebhooks by the receiver), in order per report', async () => {
    const at = new Date(Date.now() + 86_400_000); // past every event of the shifted clock
    const first = await runScheduled(env as unknown as WorkerEnv, DELIVER_CRON, at) as { callbacks: { sent: number; retried: number; dead: number } };
    expect(first.callbacks).toMatchObject({ retried: 0, dead: 0 });
    expect(first.callbacks.sent).toBeGreaterThanOrEqual(4);
    // markCallbackSent's durable(db) on D1 resolves at once: every claimed callback is marked sent.
    for (const r of [hotlineReport, mediaReport]) expect((await queued(r)).every((q) => q.status === 'sent')).toBe(true);
    const again = await runScheduled(env as unknown as WorkerEnv, DELIVER_CRON, at) as { callbacks: { sent: number } };
    expect(again.callbacks.sent).toBe(0);

    const got = await received();
    const of = (reportId: string) => got.filter((r) => r.body.data.reportId === reportId);
    for (const r of got) {
      expect(r.verified, r.error).toBe(true);
      expect(r.misfit).toBeNull();
      expect(r.id).toMatch(/^msg_/);
    }
    const hotline = of(hotlineReport);
    expect(hotline[0]).toMatchObject({ source: 'hotline', body: { type: 'report.accepted', data: { externalId: 'GD2026030299001', duplicate: false } } });
    expect(of(mediaReport).map((r) => [r.source, r.body.type])).toEqual([['media', 'report.accepted'], ['media', 'report.merged']]);
    expect(of(mediaReport)[0]!.body.data).toMatchObject({ duplicate: true, externalId: 'YZRB-CB-WORKERD-1' });
    // Each callback once: the webhook-ids are distinct.
    expect(new Set(got.map((r) => r.id)).size).toBe(got.length);
  });
});
