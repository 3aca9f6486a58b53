// Inside workerd (run from workerd.test.ts): the worker serves the same app over D1 (health, the API with the admin token,
// the directory seeded), and its cron handler runs delivery (the sweep: journey.cases.ts).
import { SELF, env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../../src/runtime/worker.ts';
import { DELIVER_CRON, SWEEP_CRON, runScheduled } from '../../src/runtime/workerStart.ts';
import type { WorkerEnv } from '../../src/runtime/workerEnv.ts';
import { d1Database } from '../../src/runtime/workerDeps.ts';
import { createToken, revokeToken } from '../../src/db/stores/tokens.ts';
import { createLoginLink, createSession, endSession, findSession, redeemLoginLink } from '../../src/db/stores/sessions.ts';
import { ADMIN_TOKEN, CLOCK } from './shared.ts';

const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

describe('the worker over D1', () => {
  it('answers /healthz with the D1 dialect', async () => {
    const res = await SELF.fetch('http://xiansuo.test/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', database: { dialect: 'd1', ok: true } });
  });

  it('serves the API: an empty lead list for the admin token, 401 without it', async () => {
    const list = await SELF.fetch('http://xiansuo.test/api/leads', { headers: auth });
    expect(list.status).toBe(200);
    expect(await list.json()).toMatchObject({ items: [] });
    const anonymous = await SELF.fetch('http://xiansuo.test/api/leads');
    expect(anonymous.status).toBe(401);
  });

  it('seeds the directory into D1 at start', async () => {
    await SELF.fetch('http://xiansuo.test/healthz');
    const agencies = await env.DB.prepare('select count(*) as n from agencies').first<{ n: number }>();
    const sources = await env.DB.prepare('select code from sources order by code').all<{ code: string }>();
    expect(agencies?.n).toBeGreaterThan(5);
    expect(sources.results.map((r) => r.code)).toEqual(['bureau', 'hotline', 'media', 'public', 'supervisor']);
  });

  it('logs a refused delivery per source (GET /api/sources), written after the response', async () => {
    type Overview = { source: string; inbound: { total: number; byStatus: Record<string, number>; lastRefusal: { status: number; detail: string | null } | null } };
    const hotline = async () => ((await (await SELF.fetch('http://xiansuo.test/api/sources', { headers: auth })).json()) as { items: Overview[] })
      .items.find((o) => o.source === 'hotline')!;
    const before = await hotline();
    const refused = await SELF.fetch('http://xiansuo.test/webhooks/hotline', {
      method: 'POST', body: '{}',
      headers: { 'content-type': 'application/json', 'webhook-id': 'msg_source_log', 'webhook-timestamp': String(Date.parse(CLOCK) / 1000), 'webhook-signature': 'v1,AAAA' },
    });
    expect(refused.status).toBe(401);
    const { detail } = (await refused.json()) as { detail: string };
    // The count is written in the request's waitUntil, after the answer: read until it is there.
    let after = await hotline();
    for (let i = 0; i < 50 && after.inbound.total === before.inbound.total; i++) {
      await new Promise((r) => setTimeout(r, 100));
      after = await hotline();
    }
    expect(after.inbound.total).toBe(before.inbound.total + 1);
    expect(after.inbound.byStatus['401']).toBe((before.inbound.byStatus['401'] ?? 0) + 1);
    expect(after.inbound.lastRefusal).toMatchObject({ status: 401, detail });
  });

  it('answers /metrics with a problem saying it is Node-only', async () => {
    const res = await SELF.fetch('http://xiansuo.test/metrics');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(((await res.json()) as { detail: string }).detail).toMatch(/只在 Node\.js 运行时提供/);
  });

  it('a delivery cron event delivers the outbox over D1 as plans; a second at the same time sends nothing new', async () => {
    const at = new Date('2026-03-02T02:05:00.000Z');
    const first = await runScheduled(env as unknown as WorkerEnv, DELIVER_CRON, at) as { sent: number; retried: number; dead: number };
    expect(first).toMatchObject({ retried: 0, dead: 0 });
    const pending = await env.DB.prepare("select count(*) as n from outbox where status = 'pending' and next_attempt_at <= ?").bind(at.toISOString()).first<{ n: number }>();
    expect(pending?.n).toBe(0);
    const sent = await env.DB.prepare("select count(*) as n from outbox where status = 'sent'").first<{ n: number }>();
    expect(sent?.n).toBe(first.sent);
    expect(await runScheduled(env as unknown as WorkerEnv, DELIVER_CRON, at)).toMatchObject({ sent: 0, retried: 0, dead: 0 });
    expect(typeof worker.scheduled).toBe('function');
    expect(SWEEP_CRON).toBe('*/5 * * * *');
  });

  it('tokens and sessions commit their plans as D1 batches: created, used, revoked; a sign-in link once only', async () => {
    const { db } = d1Database(env as unknown as WorkerEnv);
    const at = '2026-03-02T02:10:00.000Z';
    const { id, token } = await createToken(db, { role: 'bureau', label: 'workerd' }, at, 'test');
    const list = await SELF.fetch('http://xiansuo.test/api/leads', { headers: { authorization: `Bearer ${token}` } });
    expect(list.status).toBe(200);
    const code = await createLoginLink(db, id, at, '2026-03-02T02:20:00.000Z', 'test');
    const p = await redeemLoginLink(db, code, '2026-03-02T02:11:00.000Z');
    expect(p).toMatchObject({ tokenId: id, role: 'bureau' });
    expect(await redeemLoginLink(db, code, '2026-03-02T02:11:00.000Z')).toBeUndefined();
    const s = await createSession(db, p!, { now: at, expiresAt: '2026-03-03T02:10:00.000Z' });
    expect(await findSession(db, s.id, '2026-03-02T02:12:00.000Z', '2026-03-02T00:00:00.000Z')).toMatchObject({ principal: { tokenId: id } });
    await endSession(db, s.id, '2026-03-02T02:13:00.000Z');
    expect(await findSession(db, s.id, '2026-03-02T02:14:00.000Z', '2026-03-02T00:00:00.000Z')).toBeUndefined();
    expect(await revokeToken(db, id, '2026-03-02T02:15:00.000Z', 'test')).toEqual({ kind: 'revoked', at: '2026-03-02T02:15:00.000Z' });
    expect(await revokeToken(db, id, '2026-03-02T02:16:00.000Z', 'test')).toEqual({ kind: 'already', at: '2026-03-02T02:15:00.000Z' });
    const refused = await SELF.fetch('http://xiansuo.test/api/leads', { headers: { authorization: `Bearer ${token}` } });
    expect(refused.status).toBe(401);
    const actions = await env.DB.prepare("select action from events where action like 'token.%' or action like 'session.%' or action like 'login-link.%' order by seq").all<{ action: string }>();
    expect(actions.results.map((r) => r.action)).toEqual([
      'token.created', 'login-link.created', 'login-link.used', 'session.started', 'session.ended', 'token.revoked',
    ]);
  });
});
