// Our verifier against vectors made by the official `standardwebhooks` package.
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { assertSecret, sign, verifySignature, webhookSignature } from './webhook.ts';

const secret = 'whsec_' + Buffer.from('a-32-byte-secret-for-the-tests!!').toString('base64');
const other = 'whsec_' + Buffer.from('another-secret-of-32-bytes-long!').toString('base64');
const enc = (s: string) => new TextEncoder().encode(s);
const now = new Date('2026-03-02T02:00:00Z');

function official(id: string, at: Date, body: string, key = secret) {
  return new Webhook(key).sign(id, at, body);
}

describe('Standard Webhooks signature', () => {
  it('produces the same signature as the official package', async () => {
    await fc.assert(fc.asyncProperty(fc.string({ minLength: 1, maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 300 }), async (id, body) => {
      const ts = String(Math.floor(now.getTime() / 1000));
      expect(`v1,${sign(secret, id, ts, enc(body))}`).toBe(official(id, now, body));
    }), { numRuns: 200 });
  });

  it('accepts what the official package signs, and the official package accepts ours', async () => {
    const body = JSON.stringify({ hello: '世界' });
    const sig = official('msg_1', now, body);
    const ok = await verifySignature({ secrets: [secret], id: 'msg_1', timestamp: String(now.getTime() / 1000), signature: sig, body: enc(body), now });
    expect(ok).toEqual({ ok: true });
    const ours = `v1,${sign(secret, 'msg_2', String(now.getTime() / 1000), enc(body))}`;
    const headers = { 'webhook-id': 'msg_2', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': '' };
    headers['webhook-signature'] = `v1,${sign(secret, 'msg_2', headers['webhook-timestamp'], enc(body))}`;
    expect(new Webhook(secret).verify(body, headers)).toEqual({ hello: '世界' });
    expect(ours).toMatch(/^v1,/);
  });

  it('refuses a tampered body, a wrong secret, old and future timestamps and missing headers', async () => {
    const body = '{"a":1}';
    const ts = String(now.getTime() / 1000);
    const sig = official('m', now, body);
    const base = { secrets: [secret], id: 'm', timestamp: ts, signature: sig, body: enc(body), now };
    expect((await verifySignature({ ...base, body: enc('{"a":2}') })).ok).toBe(false);
    expect((await verifySignature({ ...base, secrets: [other] })).ok).toBe(false);
    expect((await verifySignature({ ...base, id: 'n' })).ok).toBe(false);
    const old = new Date(now.getTime() - 301_000);
    expect(await verifySignature({ ...base, timestamp: String(old.getTime() / 1000), signature: official('m', old, body) }))
      .toMatchObject({ ok: false, reason: expect.stringContaining('301') });
    const future = new Date(now.getTime() + 301_000);
    expect((await verifySignature({ ...base, timestamp: String(future.getTime() / 1000), signature: official('m', future, body) })).ok).toBe(false);
    const edge = new Date(now.getTime() + 300_000);
    expect((await verifySignature({ ...base, timestamp: String(edge.getTime() / 1000), signature: official('m', edge, body) })).ok).toBe(true);
    for (const missing of ['id', 'timestamp', 'signature'] as const) {
      expect((await verifySignature({ ...base, [missing]: undefined })).ok).toBe(false);
    }
    expect((await verifySignature({ ...base, timestamp: 'soon' })).ok).toBe(false);
    expect((await verifySignature({ ...base, signature: sig.replace('v1,', 'v2,') })).ok).toBe(false);
  });

  it('accepts any one of several signatures in the header, and any of several secrets (key rotation)', async () => {
    const body = '{"a":1}';
    const ts = String(now.getTime() / 1000);
    const both = `${official('m', now, body, other)} ${official('m', now, body)}`;
    expect((await verifySignature({ secrets: [secret], id: 'm', timestamp: ts, signature: both, body: enc(body), now })).ok).toBe(true);
    expect((await verifySignature({ secrets: [other, secret], id: 'm', timestamp: ts, signature: official('m', now, body), body: enc(body), now })).ok).toBe(true);
  });

  it('refuses secrets that are not whsec_ and base64 of at least 16 bytes', () => {
    expect(() => assertSecret(secret)).not.toThrow();
    expect(() => assertSecret('plain-password')).toThrow(/whsec_/);
    expect(() => assertSecret('whsec_c2hvcnQ=')).toThrow();
  });
});

describe('webhookSignature() middleware', () => {
  const secret = `whsec_${btoa('middleware-test-secret-0123456789')}`;
  const now = new Date('2026-03-02T02:00:00.000Z');
  const app = new Hono();
  app.post('/in', webhookSignature({ secrets: () => [secret], now: () => now }), async (c) => c.text(await c.req.text()));
  const send = (headers: Record<string, string>, body = '{"a":1}') => app.request('/in', { method: 'POST', body, headers });
  const ts = String(Math.floor(now.getTime() / 1000));

  it('lets a signed delivery through, the body still readable by the handler', async () => {
    const body = '{"a":1}';
    const sig = sign(secret, 'msg_1', ts, new TextEncoder().encode(body));
    const res = await send({ 'webhook-id': 'msg_1', 'webhook-timestamp': ts, 'webhook-signature': `v1,${sig}` }, body);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(body);
  });

  it('answers 401 problem+json for a wrong signature, a missing header or an old timestamp', async () => {
    const good = sign(secret, 'msg_1', ts, new TextEncoder().encode('{"a":1}'));
    const cases: Record<string, string>[] = [
      { 'webhook-id': 'msg_1', 'webhook-timestamp': ts, 'webhook-signature': `v1,${good.slice(1)}x` },
      { 'webhook-id': 'msg_1', 'webhook-timestamp': ts },
      { 'webhook-id': 'msg_1', 'webhook-timestamp': String(Number(ts) - 301), 'webhook-signature': `v1,${good}` },
    ];
    for (const headers of cases) {
      const res = await send(headers);
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
  });
});
