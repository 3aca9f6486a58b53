// A thousand random payloads and headers: never a 500, and nothing stored when refused.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samples as hotline } from '../webhooks/hotline.ts';
import { testApp, type TestApp } from './helpers/app.ts';
import { dialects } from './helpers/dialects.ts';
import { SECRETS, signedHeaders } from './helpers/sign.ts';

async function counts(t: TestApp) {
  const tables = ['reports', 'leads', 'events', 'deliveries', 'report_revisions'] as const;
  return Promise.all(tables.map(async (x) => Number((await t.database.db.selectFrom(x).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)));
}

const jsonish = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.json({ maxDepth: 3 }),
  fc.record({
    orderNo: fc.oneof(fc.string({ maxLength: 140 }), fc.integer()),
    createdAt: fc.oneof(fc.constant('2026-03-02T09:15:00+08:00'), fc.string()),
    title: fc.oneof(fc.string(), fc.constant('')),
    caller: fc.anything({ maxDepth: 2 }),
    urgency: fc.string(),
  }, { requiredKeys: [] }).map((o) => JSON.stringify(o)),
);

describe.each(await dialects())('webhook fuzzing on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => { t = await testApp(dialect); });
  afterAll(async () => { await t.close(); });

  it('never answers 500 and never stores a refused delivery', async () => {
    const statuses = new Map<number, number>();
    await fc.assert(fc.asyncProperty(
      jsonish,
      fc.constantFrom('hotline', 'media', 'supervisor', 'other'),
      fc.constantFrom('valid', 'wrong-secret', 'garbage', 'none', 'stale'),
      fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', ''),
      fc.string({ maxLength: 60 }),
      async (body, source, sigKind, contentType, id) => {
        const before = await counts(t);
        const now = t.clock.now();
        const headers: Record<string, string> = sigKind === 'valid'
          ? signedHeaders(source === 'other' ? SECRETS.hotline : SECRETS[source as 'hotline'], id || 'x', now, body)
          : sigKind === 'wrong-secret' ? signedHeaders(SECRETS.media, id || 'x', now, body)
          : sigKind === 'stale' ? signedHeaders(SECRETS.hotline, id || 'x', new Date(now.getTime() - 3_600_000), body)
          : sigKind === 'garbage' ? { 'webhook-id': id, 'webhook-timestamp': id, 'webhook-signature': id }
          : {};
        if (contentType) headers['content-type'] = contentType;
        else delete headers['content-type'];
        let res: Response;
        try {
          res = await t.app.request(`/webhooks/${source}`, { method: 'POST', body, headers });
        } catch {
          // A header value that is not a valid HTTP header never reaches a server; skip it.
          return;
        }
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect(res.status).not.toBeGreaterThanOrEqual(500);
        if (res.status >= 400) {
          expect(res.headers.get('content-type')).toMatch(/problem\+json/);
          expect(await counts(t)).toEqual(before);
        }
      },
    ), { numRuns: 1000 });
    // The generator must reach the deep checks, not only the cheap refusals.
    expect(statuses.get(401)).toBeGreaterThan(0);
    expect(statuses.get(422)).toBeGreaterThan(0);
    expect(statuses.get(415)).toBeGreaterThan(0);
  });

  it('still takes a valid delivery after the fuzzing', async () => {
    expect((await t.deliver('hotline', { ...hotline.valid, orderNo: 'GD-AFTER-FUZZ' })).status).toBe(202);
  });
});
