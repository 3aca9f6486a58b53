// Webhook intake, API.md §2: every answer, on every database of the matrix.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samples as hotline } from '../webhooks/hotline.ts';
import { samples as media } from '../webhooks/media.ts';
import { samples as supervisor } from '../webhooks/supervisor.ts';
import { testApp, type TestApp } from './helpers/app.ts';
import { dialects } from './helpers/dialects.ts';
import { SECRETS, signedHeaders } from './helpers/sign.ts';

async function count(t: TestApp, table: 'reports' | 'leads' | 'events' | 'deliveries' | 'report_revisions') {
  const row = await t.database.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

async function snapshot(t: TestApp) {
  return Promise.all((['reports', 'leads', 'events', 'deliveries', 'report_revisions'] as const).map((x) => count(t, x)));
}

describe.each(await dialects())('webhook intake on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => { t = await testApp(dialect); });
  afterAll(async () => { await t.close(); });

  it('accepts each source with 202 and a readable lead id, keeping unknown fields', async () => {
    for (const [source, payload] of [['hotline', hotline.urgent], ['media', media.valid], ['supervisor', supervisor.valid]] as const) {
      const res = await t.deliver(source, payload);
      expect(res.status).toBe(202);
      const body = await res.json();
      expect(body).toEqual({ reportId: expect.stringMatching(/^RP-2026-\d{6}$/), leadId: expect.stringMatching(/^XS-2026-\d{6}$/), duplicate: false });
      const stored = await t.database.db.selectFrom('reports').select(['payload', 'lead_id']).where('id', '=', body.reportId).executeTakeFirstOrThrow();
      expect(stored.lead_id).toBe(body.leadId);
      expect(JSON.parse(stored.payload)).toEqual(payload);
    }
    const lead = await (await t.get(`/api/leads/${(await (await t.deliver('hotline', { ...hotline.valid, orderNo: 'GD-KEEP-1' })).json()).leadId}`)).json();
    expect(lead.status).toBe('triage');
    expect(lead.priority).toBe('normal');
  });

  it('takes a body of declared length whole (as real HTTP delivers it) and keeps it byte for byte', async () => {
    const payload = { ...hotline.valid, orderNo: 'GD-LENGTH-1', content: `${hotline.valid.content}　全角空格与 emoji 🚧` };
    const text = JSON.stringify(payload);
    const res = await t.deliver('hotline', text, { headers: { 'content-length': String(Buffer.byteLength(text)) } });
    expect(res.status).toBe(202);
    const { reportId } = await res.json();
    const stored = await t.database.db.selectFrom('reports').select('payload').where('id', '=', reportId).executeTakeFirstOrThrow();
    expect(stored.payload).toBe(text);
  });

  it('answers a redelivery (same webhook-id) with 200 and the same body, storing nothing', async () => {
    const payload = { ...hotline.valid, orderNo: 'GD-REDELIVER-1' };
    const first = await t.deliver('hotline', payload, { id: 'msg_redeliver_1' });
    expect(first.status).toBe(202);
    const before = await snapshot(t);
    const again = await t.deliver('hotline', payload, { id: 'msg_redeliver_1' });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(await first.json());
    expect(await snapshot(t)).toEqual(before);
  });

  it('answers the same external id and content under a new webhook-id with 200, storing nothing', async () => {
    const payload = { ...hotline.valid, orderNo: 'GD-REDELIVER-2' };
    const first = await (await t.deliver('hotline', payload)).json();
    const before = await snapshot(t);
    const again = await t.deliver('hotline', { ...payload }, { id: 'msg_other_id' });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(first);
    expect(await snapshot(t)).toEqual(before);
  });

  it('keeps changed content for a known external id as a new revision, recorded and answered 200', async () => {
    const payload = { ...hotline.valid, orderNo: 'GD-REVISE-1' };
    const first = await (await t.deliver('hotline', payload)).json();
    const res = await t.deliver('hotline', { ...payload, content: payload.content + '（补充）来电人再次来电，称财物仍未归还。' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(first);
    const report = await t.database.db.selectFrom('reports').selectAll().where('id', '=', first.reportId).executeTakeFirstOrThrow();
    expect(Number(report.revision)).toBe(2);
    expect(report.content).toContain('仍未归还');
    const revisions = await t.database.db.selectFrom('report_revisions').select('revision').where('report_id', '=', first.reportId).orderBy('revision').execute();
    expect(revisions.map((r) => Number(r.revision))).toEqual([1, 2]);
    const events = await (await t.get(`/api/leads/${first.leadId}/events`)).json();
    expect(events.items.map((e: { action: string }) => e.action)).toContain('report.revised');
  });

  it('refuses a webhook-id sent again with a different body: 409, nothing stored', async () => {
    await t.deliver('hotline', { ...hotline.valid, orderNo: 'GD-CONFLICT-1' }, { id: 'msg_conflict' });
    const before = await snapshot(t);
    const res = await t.deliver('hotline', { ...hotline.valid, orderNo: 'GD-CONFLICT-2' }, { id: 'msg_conflict' });
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await snapshot(t)).toEqual(before);
  });

  it('gives every refusal as problem+json and stores nothing', async () => {
    const before = await snapshot(t);
    const body = JSON.stringify({ ...hotline.valid, orderNo: 'GD-REFUSED' });
    const big = JSON.stringify({ ...hotline.valid, content: 'x'.repeat(300_000) });
    const now = t.clock.now();
    const cases: [string, RequestInit & { path?: string }, number][] = [
      ['unknown source', { path: '/webhooks/wechat', body, headers: signedHeaders(SECRETS.hotline, 'a1', now, body) }, 404],
      ['not JSON', { body: 'not json{', headers: signedHeaders(SECRETS.hotline, 'a2', now, 'not json{') }, 400],
      ['wrong content type', { body, headers: { ...signedHeaders(SECRETS.hotline, 'a3', now, body), 'content-type': 'text/plain' } }, 415],
      ['no signature', { body, headers: { 'content-type': 'application/json', 'webhook-id': 'a4', 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)) } }, 401],
      ['wrong secret', { body, headers: signedHeaders(SECRETS.media, 'a5', now, body) }, 401],
      ['tampered body', { body: body.replace('张先生', '李先生'), headers: signedHeaders(SECRETS.hotline, 'a6', now, body) }, 401],
      ['old timestamp', { body, headers: signedHeaders(SECRETS.hotline, 'a7', new Date(now.getTime() - 301_000), body) }, 401],
      ['future timestamp', { body, headers: signedHeaders(SECRETS.hotline, 'a8', new Date(now.getTime() + 301_000), body) }, 401],
      ['too large', { body: JSON.stringify({ ...hotline.valid, content: 'x'.repeat(300_000) }), headers: { 'content-type': 'application/json' } }, 413],
      ['too large, length declared', { body: big, headers: { 'content-type': 'application/json', 'content-length': String(big.length) } }, 413],
    ];
    for (const [name, init, status] of cases) {
      const res = await t.app.request(init.path ?? '/webhooks/hotline', { method: 'POST', ...init });
      expect(res.status, name).toBe(status);
      expect(res.headers.get('content-type'), name).toMatch(/^application\/problem\+json/);
      const p = await res.json();
      expect(p, name).toMatchObject({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String) });
    }
    expect(await snapshot(t)).toEqual(before);
  });

  it('accepts timestamps just inside ±300 s', async () => {
    const body = JSON.stringify({ ...hotline.valid, orderNo: 'GD-EDGE-1' });
    const res = await t.app.request('/webhooks/hotline', {
      method: 'POST', body, headers: signedHeaders(SECRETS.hotline, 'edge1', new Date(t.clock.now().getTime() - 299_000), body),
    });
    expect(res.status).toBe(202);
  });

  it('answers 422 with the path of every schema error', async () => {
    const before = await snapshot(t);
    const res = await t.deliver('hotline', { orderNo: 'GD-BAD', createdAt: 'yesterday', title: '', urgency: 'now' });
    expect(res.status).toBe(422);
    const p = await res.json();
    const paths = p.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['/createdAt', '/title', '/content', '/urgency']));
    expect(await snapshot(t)).toEqual(before);
  });

  it('answers 404 for a source whose secret is not set', async () => {
    const off = await testApp(dialect, { env: { WEBHOOK_SECRET_MEDIA: '' } });
    try {
      const res = await off.deliver('media', media.valid);
      expect(res.status).toBe(404);
    } finally {
      await off.close();
    }
  });

  it('limits each source\'s rate with 429 and Retry-After', async () => {
    const limited = await testApp(dialect, { env: { WEBHOOK_RATE_PER_MINUTE: '60', WEBHOOK_RATE_BURST: '2' } });
    try {
      // Unsigned floods are refused before the limit, and use none of the allowance.
      for (let i = 0; i < 5; i++) {
        const res = await limited.app.request('/webhooks/hotline', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
        expect(res.status).toBe(401);
      }
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await limited.deliver('hotline', { ...hotline.valid, orderNo: `RL-${i}` })).status);
      expect(statuses).toEqual([202, 202, 429]);
      const res = await limited.deliver('hotline', { ...hotline.valid, orderNo: 'RL-9' });
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect((await limited.deliver('media', media.valid)).status).toBe(202);
    } finally {
      await limited.close();
    }
  });

  it('answers 503 when storage is unavailable, and stores nothing', async () => {
    const broken = await testApp(dialect);
    await broken.database.close();
    const res = await broken.deliver('hotline', hotline.valid);
    expect(res.status).toBe(503);
    expect((await res.json()).type).toBe('/problems/storage-unavailable');
    await broken.close().catch(() => {});
  });

  it('creates exactly one report from 200 concurrent deliveries of one webhook', async () => {
    const payload = { ...hotline.valid, orderNo: 'GD-CONCURRENT-1' };
    const responses = await Promise.all(Array.from({ length: 200 }, () => t.deliver('hotline', payload, { id: 'msg_concurrent' })));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(199);
    const bodies = new Set(await Promise.all(responses.map((r) => r.text())));
    expect(bodies.size).toBe(1);
    const n = await t.database.db.selectFrom('reports').select((eb) => eb.fn.countAll().as('n'))
      .where('external_id', '=', 'GD-CONCURRENT-1').executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(1);
  });
});
