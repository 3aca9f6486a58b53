import { describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { createRateLimiter, rateLimit } from './webhook.ts';

describe('per-source rate limit', () => {
  it('allows the burst, then the steady rate, and says when to retry', () => {
    const l = createRateLimiter({ perMinute: 60, burst: 3 });
    const t0 = 1_000_000;
    expect([1, 2, 3, 4].map(() => l.take('hotline', t0).ok)).toEqual([true, true, true, false]);
    expect(l.take('hotline', t0)).toEqual({ ok: false, retryAfter: 1 });
    expect(l.take('media', t0).ok).toBe(true);
    expect(l.take('hotline', t0 + 1000).ok).toBe(true);
  });

  it('does not take tokens away when the clock is set back', () => {
    const l = createRateLimiter({ perMinute: 60, burst: 3 });
    expect(l.take('hotline', 10_000_000).ok).toBe(true);
    expect(l.take('hotline', 1_000).ok).toBe(true);
    expect(l.take('hotline', 1_000).ok).toBe(true);
  });
});

describe('rateLimit() middleware', () => {
  it('answers 429 problem+json with Retry-After once a key has used its burst, per key', async () => {
    const now = new Date('2026-03-02T02:00:00.000Z');
    const app = new Hono();
    app.post('/:key', rateLimit({ limit: () => ({ perMinute: 60, burst: 2 }), key: (c) => c.req.param('key') ?? '', now: () => now }), (c) => c.text('ok'));
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await app.request('/hotline', { method: 'POST' })).status);
    expect(statuses).toEqual([200, 200, 429]);
    const refused = await app.request('/hotline', { method: 'POST' });
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect((await app.request('/media', { method: 'POST' })).status).toBe(200);
  });
});
