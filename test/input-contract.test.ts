// Every input gets a contract answer (API.md §2, §3), the same on every database: per-source
// webhook ids, NUL and unpaired surrogates (422 naming the field), nesting over 64 levels (422),
// body limits before role checks (413), webhook-id length (400), and no 500 from query strings,
// cursors or path ids.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samples as hotline } from '../webhooks/hotline.ts';
import { samples as media } from '../webhooks/media.ts';
import { samples as supervisor } from '../webhooks/supervisor.ts';
import { testApp, type TestApp } from './helpers/app.ts';
import { dialects } from './helpers/dialects.ts';

async function stored(t: TestApp): Promise<number[]> {
  const tables = ['reports', 'leads', 'deliveries', 'events'] as const;
  return Promise.all(tables.map(async (x) => Number((await t.database.db.selectFrom(x).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)));
}

/** `{"k": {"k": … {}}}` with `levels` objects in all. */
const nested = (levels: number): string => '{"k":'.repeat(levels - 1) + '{}' + '}'.repeat(levels - 1);

let serial = 0;
const fresh = (o: Record<string, unknown>, idKey: string) => ({ ...o, [idKey]: `IC-${++serial}-${Math.random().toString(36).slice(2, 8)}` });

describe.each(await dialects())('the input contract on %s', (dialect) => {
  let t: TestApp;
  let bureau: string;
  let viewer: string;
  beforeAll(async () => {
    t = await testApp(dialect, { env: { XIANSUO_API_BODY_LIMIT: String(64 * 1024) } });
    bureau = await t.token('bureau');
    viewer = await t.token('viewer');
  });
  afterAll(async () => { await t.close(); });

  it('takes the same webhook-id from two sources as two deliveries, and each source\'s redelivery as one', async () => {
    const h = fresh(hotline.valid, 'orderNo');
    const m = fresh(media.valid, 'articleId');
    const first = await t.deliver('hotline', h, { id: 'evt-1' });
    const second = await t.deliver('media', m, { id: 'evt-1' });
    expect([first.status, second.status]).toEqual([202, 202]);
    const [a, b] = [await first.json(), await second.json()];
    expect(a.reportId).not.toBe(b.reportId);
    const again = await t.deliver('media', m, { id: 'evt-1' });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(b);
    expect((await t.deliver('hotline', { ...h, title: '另一个标题' }, { id: 'evt-1' })).status).toBe(409);
  });

  const poisoned: [string, string, (body: Record<string, unknown>) => string][] = [
    ['a NUL in a known field', '/content', (b) => JSON.stringify({ ...b, content: `${b.content}\u0000` })],
    ['an unpaired surrogate in a known field', '/title', (b) => JSON.stringify({ ...b, title: `标题\ud800` })],
    ['a NUL in an unknown extra field', '/extra/notes/1', (b) => JSON.stringify({ ...b, extra: { notes: ['ok', 'x\u0000y'] } })],
    ['an unpaired low surrogate deep in an extra field', '/extra/a/b/c', (b) => JSON.stringify({ ...b, extra: { a: { b: { c: '\udc00' } } } })],
    ['a NUL in an object key', '/extra/bad\\u0000key', (b) => JSON.stringify({ ...b, extra: { 'bad\u0000key': 1 } })],
    ['an unpaired surrogate in a key', '/\\ud83d', (b) => JSON.stringify({ ...b, '\ud83d': 'x' })],
  ];
  const sources = [['hotline', hotline.valid, 'orderNo'], ['media', media.valid, 'articleId'], ['supervisor', supervisor.valid, 'submissionId']] as const;

  it.each(poisoned)('refuses %s with 422 naming it, on every source, storing nothing', async (_what, path, poison) => {
    for (const [source, sample, idKey] of sources) {
      const before = await stored(t);
      const res = await t.deliver(source, poison(fresh(sample, idKey)));
      expect(res.status, source).toBe(422);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const p = await res.json();
      expect(p.errors.map((e: { path: string }) => e.path)).toContain(path);
      expect(await stored(t)).toEqual(before);
    }
  });

  it('keeps unknown extra fields nested 64 levels deep, and refuses 65 levels or 100,000 with 422, never 500', async () => {
    const body = (extra: string) => JSON.stringify(fresh(hotline.valid, 'orderNo')).replace(/}$/, `,"extra":${extra}}`);
    expect((await t.deliver('hotline', body(nested(63)))).status).toBe(202); // the body itself is level 1
    const before = await stored(t);
    const deep = await t.deliver('hotline', body(nested(64)));
    expect(deep.status).toBe(422);
    expect((await deep.json()).errors[0].message).toContain('64');
    const deeper = await t.deliver('hotline', body('['.repeat(100_000) + ']'.repeat(100_000)));
    expect(deeper.status).toBe(422);
    expect(await stored(t)).toEqual(before);
  });

  it('refuses a webhook-id longer than 256 characters with 400, and takes one of 256', async () => {
    const long = await t.deliver('hotline', fresh(hotline.valid, 'orderNo'), { id: 'x'.repeat(257) });
    expect(long.status).toBe(400);
    expect((await long.json()).type).toBe('/problems/invalid-webhook-id');
    expect((await t.deliver('hotline', fresh(hotline.valid, 'orderNo'), { id: 'y'.repeat(256) })).status).toBe(202);
  });

  it('applies the same text and nesting rule to /api bodies: 422 naming the field, nothing stored', async () => {
    const before = await stored(t);
    const cases: [string, unknown, string][] = [
      ['/api/leads', { title: '来访\u0000', content: '内容' }, '/title'],
      ['/api/leads', { title: '来访', content: '内容', reporter: { name: '\udfff' } }, '/reporter/name'],
      ['/api/routing/explain', { content: '城管\u0000' }, '/content'],
      ['/api/leads/XS-2026-000001/assign', { agency: 'urban\u0000' }, '/agency'],
    ];
    for (const [path, body, field] of cases) {
      const res = await t.post(path, body, bureau);
      expect(res.status, path).toBe(422);
      expect((await res.json()).errors.map((e: { path: string }) => e.path)).toContain(field);
    }
    const deep = await t.app.request('/api/leads', {
      method: 'POST', body: `{"title":"t","content":"c","x":${nested(70)}}`,
      headers: { authorization: `Bearer ${bureau}`, 'content-type': 'application/json' },
    });
    expect(deep.status).toBe(422);
    expect(await stored(t)).toEqual(before);
  });

  it('limits /api bodies (here 64 KiB) while reading, before authentication and role checks: 413', async () => {
    const big = JSON.stringify({ title: '大', content: 'x'.repeat(64 * 1024) });
    for (const headers of [{}, { authorization: 'Bearer wrong-token-0123456789' }, { authorization: `Bearer ${viewer}` }] as Record<string, string>[]) {
      const res = await t.app.request('/api/leads', { method: 'POST', body: big, headers: { ...headers, 'content-type': 'application/json' } });
      expect(res.status).toBe(413);
      expect(await res.json()).toMatchObject({ status: 413, detail: '请求体不能超过 64 KiB' });
    }
    const declared = await t.app.request('/api/leads/XS-2026-000001/merge', {
      method: 'POST', body: big, headers: { 'content-length': String(big.length), 'content-type': 'application/json' },
    });
    expect(declared.status).toBe(413);
    // Just under the limit, the request goes on to the role check.
    const small = JSON.stringify({ title: '小', content: 'x'.repeat(60 * 1024) });
    const res = await t.app.request('/api/leads', { method: 'POST', body: small, headers: { authorization: `Bearer ${viewer}`, 'content-type': 'application/json' } });
    expect(res.status).toBe(403);
  });

  it('answers query strings, cursors and path ids with 400/404 (or the filter\'s own 422), never 500', async () => {
    const bytes = fc.uint8Array({ maxLength: 24 }).map((b) => Array.from(b, (x) => `%${x.toString(16).padStart(2, '0')}`).join(''));
    const text = fc.oneof(bytes, fc.string({ maxLength: 24 }).map(encodeURIComponent), fc.constantFrom('%00', 'a%00b', '%ED%A0%80', '%', '%E0%A4'));
    const seen = new Set<number>();
    await fc.assert(fc.asyncProperty(
      fc.constantFrom('status', 'agency', 'source', 'overdue', 'q', 'cursor', 'limit'), text,
      async (key, value) => {
        const res = await t.get(`/api/leads?${key}=${value}`, bureau);
        seen.add(res.status);
        expect([200, 400, 422]).toContain(res.status);
      },
    ), { numRuns: 150 });
    await fc.assert(fc.asyncProperty(text, fc.constantFrom('', '/events'), async (id, tail) => {
      if (id === '' || /^(%2e|\.)+$/i.test(id)) return; // the list itself, or a dot segment the URL resolves
      const res = await t.get(`/api/leads/${id}${tail}`, bureau);
      seen.add(res.status);
      expect(res.status).toBe(404);
    }), { numRuns: 150 });
    expect(seen.has(500)).toBe(false);
    // The named cases, each with its answer.
    expect((await t.get('/api/leads?q=a%00b', bureau)).status).toBe(400);
    expect((await t.get('/api/leads?agency=%00', bureau)).status).toBe(400);
    expect((await t.get(`/api/leads?cursor=${btoa('2026-03-01T00:00:00.000Z|XS-2026-000001\u0000')}`, bureau)).status).toBe(400);
    expect((await t.get(`/api/leads?cursor=${btoa('\u0000|\u0000')}`, bureau)).status).toBe(400);
    expect((await t.get('/api/leads/XS%00', bureau)).status).toBe(404);
    expect((await t.post('/api/leads/XS%00/merge', { into: 'XS-2026-000001' }, bureau)).status).toBe(404);
    // A cursor the service gave still pages.
    const page = await (await t.get('/api/leads?limit=1', bureau)).json();
    expect((await t.get(`/api/leads?limit=1&cursor=${page.nextCursor}`, bureau)).status).toBe(200);
  });

  it('sets X-Content-Type-Options: nosniff on answers of every kind', async () => {
    for (const res of [await t.get('/healthz'), await t.get('/api/leads', bureau), await t.get('/api/leads/XS-2026-999999', bureau), await t.get('/nowhere'), await t.deliver('hotline', '{')]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });
});
