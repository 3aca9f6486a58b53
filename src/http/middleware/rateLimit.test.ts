import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rateLimit.ts';

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
