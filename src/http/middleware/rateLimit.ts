// A token bucket per key (per source): steady rate with a burst allowance, in this process.
import type { Context, MiddlewareHandler } from 'hono';
import { problem } from '../problem.ts';

export interface RateLimit { perMinute: number; burst: number }

export function createRateLimiter(limit: RateLimit) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const perMs = limit.perMinute / 60_000;
  return {
    /** Takes one token; answers the seconds to wait when there is none. */
    take(key: string, nowMs: number): { ok: true } | { ok: false; retryAfter: number } {
      const b = buckets.get(key) ?? { tokens: limit.burst, at: nowMs };
      // A clock set back (XIANSUO_CLOCK, a corrected system clock) must not take tokens away.
      b.tokens = Math.min(limit.burst, b.tokens + Math.max(0, nowMs - b.at) * perMs);
      b.at = nowMs;
      buckets.set(key, b);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return { ok: true };
      }
      return { ok: false, retryAfter: Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000)) };
    },
  };
}

/**
 * 429 problem+json with Retry-After once a key (a source) has used its allowance. The limit is
 * read at the first request (the app's configuration), the buckets live as long as the middleware.
 */
export function rateLimit<E extends { Variables: object }>(opts: {
  limit(c: Context<E>): RateLimit;
  key(c: Context<E>): string;
  now(c: Context<E>): Date;
}): MiddlewareHandler<E> {
  let limiter: ReturnType<typeof createRateLimiter> | undefined;
  return async (c, next) => {
    limiter ??= createRateLimiter(opts.limit(c));
    const key = opts.key(c);
    const slot = limiter.take(key, opts.now(c).getTime());
    if (!slot.ok) {
      return problem(c, 429, 'rate-limited', '请求过于频繁', `来源“${key}”超过速率限制，请 ${slot.retryAfter} 秒后重试`,
        {}, { 'retry-after': String(slot.retryAfter) });
    }
    await next();
  };
}
