// Inside workerd (run from workerd.test.ts): the worker serves the same app over D1 (health, the API with the admin token,
// the directory seeded), and its cron handler runs the sweep and delivery.
import { SELF, env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../../src/runtime/worker.ts';
import { DELIVER_CRON, SWEEP_CRON, runScheduled } from '../../src/runtime/workerStart.ts';
import type { WorkerEnv } from '../../src/runtime/workerEnv.ts';
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

  it('a cron event that would write refuses plainly instead of half-writing (sweep and delivery are not plans yet)', async () => {
    const at = new Date('2026-03-10T01:00:00.000Z');
    await expect(runScheduled(env as unknown as WorkerEnv, SWEEP_CRON, at)).rejects.toThrow(/D1 没有交互式事务/);
    expect(typeof worker.scheduled).toBe('function');
    expect(DELIVER_CRON).toBe('* * * * *');
  });
});
