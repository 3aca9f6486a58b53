// A token bucket per key (per source): steady rate with a burst allowance, in this process.
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
