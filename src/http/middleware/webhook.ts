// The middleware of POST /webhooks/{source}, as named factories, each with its test beside it
// (webhook.<name>.test.ts, through app.request()): bodyLimit (413; the API uses it too),
// webhookSignature (401) and rateLimit (429).
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit as honoBodyLimit } from 'hono/body-limit';
import { constantTimeEqual, hmacSha256 } from '../../domain/crypto.ts';
import { problem } from '../problem.ts';

// ---------------------------------------------------------------------------------------------
// bodyLimit
// Request bodies are limited while they are read, before anything parses them and before any
// role check: a declared Content-Length over the limit is refused at once, a chunked body is
// counted as it arrives and refused the moment it passes the limit (hono/body-limit).

export const DEFAULT_API_BODY_LIMIT = 1024 * 1024;

/** How a limit reads to a person: 1 MiB, 256 KiB, 1000 字节. */
export function sizeText(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} 字节`;
}

/** 413 problem+json for bodies over `maxBytes`. */
export function bodyLimit(maxBytes: number): MiddlewareHandler {
  return honoBodyLimit({
    maxSize: maxBytes,
    onError: (c) => problem(c, 413, 'payload-too-large', '请求体过大', `请求体不能超过 ${sizeText(maxBytes)}`),
  });
}

// ---------------------------------------------------------------------------------------------
// webhookSignature
// Standard Webhooks verification (https://www.standardwebhooks.com): HMAC-SHA256 over
// "{id}.{timestamp}.{body}", keyed by the base64 part of a whsec_ secret, compared in constant time.

export const TOLERANCE_SECONDS = 300;

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

const keyCache = new Map<string, Uint8Array>();

function hmacKey(secret: string): Uint8Array {
  let key = keyCache.get(secret);
  if (!key) {
    key = Uint8Array.from(atob(secret.replace(/^whsec_/, '')), (ch) => ch.charCodeAt(0));
    keyCache.set(secret, key);
  }
  return key;
}

/** Throws on a secret that is not whsec_ + base64: checked once at start-up. */
export function assertSecret(secret: string): void {
  if (!/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(secret) || atob(secret.slice(6)).length < 16) {
    throw new Error('webhook secret must be "whsec_" followed by at least 16 bytes in base64');
  }
}

export function sign(secret: string, id: string, timestamp: string, body: Uint8Array): string {
  const prefix = new TextEncoder().encode(`${id}.${timestamp}.`);
  const data = new Uint8Array(prefix.length + body.length);
  data.set(prefix, 0);
  data.set(body, prefix.length);
  const mac = hmacSha256(hmacKey(secret), data);
  let bin = '';
  for (const b of mac) bin += String.fromCharCode(b);
  return btoa(bin);
}

export async function verifySignature(opts: {
  secrets: string[];
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
  body: Uint8Array;
  now: Date;
}): Promise<SignatureCheck> {
  const { id, timestamp, signature } = opts;
  if (!id || !timestamp || !signature) {
    return { ok: false, reason: '缺少 webhook-id、webhook-timestamp 或 webhook-signature 请求头' };
  }
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'webhook-timestamp 应为 Unix 秒数' };
  const skew = Math.abs(Math.floor(opts.now.getTime() / 1000) - Number(timestamp));
  if (skew > TOLERANCE_SECONDS) {
    return { ok: false, reason: `webhook-timestamp 与服务器时间相差 ${skew} 秒，超过允许的 ${TOLERANCE_SECONDS} 秒` };
  }
  const offered = signature.split(' ').filter((s) => s.startsWith('v1,')).map((s) => s.slice(3));
  if (offered.length === 0) return { ok: false, reason: 'webhook-signature 中没有 v1 签名' };
  for (const secret of opts.secrets) {
    const expected = sign(secret, id, timestamp, opts.body);
    // Compare against every offered signature so timing does not reveal which one matched.
    let match = false;
    for (const o of offered) match = constantTimeEqual(o, expected) || match;
    if (match) return { ok: true };
  }
  return { ok: false, reason: '签名不正确' };
}

/**
 * Refuses a delivery whose Standard Webhooks signature does not verify against one of the
 * secrets (several: key rotation) with 401 problem+json. Reads the whole body (Hono keeps it for
 * the handler).
 */
export function webhookSignature<E extends { Variables: object }>(opts: {
  secrets(c: Context<E>): string[];
  now(c: Context<E>): Date;
}): MiddlewareHandler<E> {
  return async (c, next) => {
    const body = new Uint8Array(await c.req.arrayBuffer());
    const check = await verifySignature({
      secrets: opts.secrets(c), id: c.req.header('webhook-id'), timestamp: c.req.header('webhook-timestamp'),
      signature: c.req.header('webhook-signature'), body, now: opts.now(c),
    });
    if (!check.ok) return problem(c, 401, 'invalid-signature', '签名校验失败', check.reason);
    await next();
  };
}

// ---------------------------------------------------------------------------------------------
// rateLimit
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
