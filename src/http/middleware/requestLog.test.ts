import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv, Logger } from '../context.ts';
import { requestLog } from './requestLog.ts';

function harness() {
  const lines: Record<string, unknown>[] = [];
  const log: Logger = { info: (f) => lines.push({ level: 'info', ...f }), error: (f) => lines.push({ level: 'error', ...f }), warn: (f) => lines.push({ level: 'warn', ...f }) };
  let now = Date.parse('2026-03-02T02:00:10.000Z');
  const app = new Hono<AppEnv>();
  app.use('*', async (c, next) => {
    c.set('deps', { log, clock: { now: () => new Date(now) } } as never);
    await next();
  });
  app.use('*', requestLog());
  app.post('/webhooks/:source', (c) => c.text('refused', c.req.header('x-status') === '429' ? 429 : 401));
  app.get('/api/leads', (c) => (c.req.header('authorization') ? c.json({ items: [] }) : c.text('no', 401)));
  app.post('/api/leads', (c) => c.text('too big', 413));
  return { app, lines, advance: (ms: number) => { now += ms; } };
}

describe('requestLog', () => {
  it('logs each answered request on a line of its own', async () => {
    const { app, lines } = harness();
    await app.request('/api/leads', { headers: { authorization: 'Bearer x' } });
    expect(lines).toEqual([expect.objectContaining({ msg: 'request', method: 'GET', path: '/api/leads', status: 200 })]);
  });

  it('writes a flood of refused requests as one line per source and minute, with counts by status', async () => {
    const { app, lines, advance } = harness();
    for (let i = 0; i < 300; i++) await app.request('/webhooks/hotline', { method: 'POST' });
    for (let i = 0; i < 20; i++) await app.request('/webhooks/hotline', { method: 'POST', headers: { 'x-status': '429' } });
    for (let i = 0; i < 40; i++) await app.request(`/webhooks/guess-${i}`, { method: 'POST' });
    for (let i = 0; i < 50; i++) await app.request('/api/leads');
    for (let i = 0; i < 5; i++) await app.request('/api/leads', { method: 'POST', body: 'x' });
    await app.request('/nowhere');
    expect(lines).toEqual([]); // nothing yet: the minute is not over
    advance(60_000);
    await app.request('/api/leads', { headers: { authorization: 'Bearer x' } });
    const refused = lines.filter((l) => l.msg === 'refused requests');
    expect(refused).toEqual([
      { level: 'info', msg: 'refused requests', source: 'webhook:hotline', address: 'unknown', minute: '2026-03-02T02:00:00.000Z', count: 320, statuses: { 401: 300, 429: 20 } },
      { level: 'info', msg: 'refused requests', source: 'webhook:unknown', address: 'unknown', minute: '2026-03-02T02:00:00.000Z', count: 40, statuses: { 401: 40 } },
      { level: 'info', msg: 'refused requests', source: 'api', address: 'unknown', minute: '2026-03-02T02:00:00.000Z', count: 55, statuses: { 401: 50, 413: 5 } },
      { level: 'info', msg: 'refused requests', source: 'other', address: 'unknown', minute: '2026-03-02T02:00:00.000Z', count: 1, statuses: { 404: 1 } },
    ]);
    expect(lines.filter((l) => l.msg === 'request')).toHaveLength(1);
    // The next minute starts counting afresh.
    await app.request('/api/leads');
    advance(60_000);
    await app.request('/api/leads', { headers: { authorization: 'Bearer x' } });
    expect(lines.filter((l) => l.msg === 'refused requests').at(-1)).toMatchObject({ source: 'api', count: 1, minute: '2026-03-02T02:01:00.000Z' });
  });
});
