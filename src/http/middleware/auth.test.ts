// Bearer authentication across instances: two apps on one database, as two instances behind a
// load balancer. Nothing is cached, so a revocation or an expiry holds at the next request on both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { connect } from '../../runtime/database.ts';
import { loadConfig } from '../../runtime/config.ts';
import { silentLogger } from '../../runtime/log.ts';
import { buildDeps } from '../../runtime/services.ts';
import { createToken, revokeToken } from '../../db/stores/tokens.ts';
import { sha256Hex } from '../../domain/crypto.ts';
import { ADMIN_TOKEN, testApp, type TestApp } from '../../../test/helpers/app.ts';
import { dialects } from '../../../test/helpers/dialects.ts';

describe.each(await dialects())('bearer tokens on two instances of one %s database', (dialect) => {
  let a: TestApp;
  let b: { request(path: string, token: string): Promise<Response>; close(): Promise<void> };

  beforeAll(async () => {
    a = await testApp(dialect);
    // The second instance: its own connections, its own app, the same database and clock.
    const database = connect(a.database.url, { pgSchema: a.database.pgSchema });
    const deps = await buildDeps(database, loadConfig({ XIANSUO_ADMIN_TOKEN: ADMIN_TOKEN, XIANSUO_DEDUPE_THREAD: 'off' }), a.clock, silentLogger);
    const app = createApp(deps);
    b = {
      request: async (path, token) => app.request(path, { headers: { authorization: `Bearer ${token}` } }),
      close: async () => { await deps.close?.(); await database.close(); },
    };
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  const at = () => a.clock.now().toISOString();

  async function refused(res: Response, detail: string): Promise<void> {
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect((await res.json()).detail).toContain(detail);
  }

  it('refuses a revoked token at the next request on the other instance, which had just accepted it', async () => {
    const { id, token } = await createToken(a.database.db, { role: 'bureau' }, at(), 'test');
    expect((await b.request('/api/leads', token)).status).toBe(200);
    expect((await a.get('/api/leads', token)).status).toBe(200);
    expect(await revokeToken(a.database.db, id, at(), 'test')).toMatchObject({ kind: 'revoked' });
    await refused(await b.request('/api/leads', token), '吊销');
    await refused(await a.get('/api/leads', token), '吊销');
    expect(await revokeToken(a.database.db, id, at(), 'test')).toMatchObject({ kind: 'already' });
  });

  it('refuses an expired token on both instances from the instant it expires', async () => {
    const expiresAt = new Date(a.clock.now().getTime() + 3_600_000).toISOString();
    const { token } = await createToken(a.database.db, { role: 'agency', agency: 'urban', expiresAt }, at(), 'test');
    expect((await b.request('/api/leads', token)).status).toBe(200);
    a.clock.advance(3_600_000);
    await refused(await b.request('/api/leads', token), '过期');
    await refused(await a.get('/api/leads', token), '过期');
    a.clock.advance(-3_600_000);
    expect((await a.get('/api/leads', token)).status).toBe(200);
  });

  it('refuses an unknown token and a missing header, and the env admin token still works', async () => {
    await refused(await b.request('/api/leads', 'xs_not-a-token'), '无效');
    const res = await a.app.request('/api/leads');
    expect(res.status).toBe(401);
    expect((await b.request('/api/leads', ADMIN_TOKEN)).status).toBe(200);
  });

  it('writes the last use at most once a minute per token, not once per request', async () => {
    const { id, token } = await createToken(a.database.db, { role: 'viewer' }, at(), 'test');
    const lastUsed = async () => (await a.database.db.selectFrom('tokens').select('last_used_at').where('id', '=', id).executeTakeFirstOrThrow()).last_used_at;
    const settled = async (want: string) => {
      // The note is written beside the request, not before its answer: wait for it to land.
      for (let i = 0; i < 200 && (await lastUsed()) !== want; i++) await new Promise((r) => setTimeout(r, 25));
      return lastUsed();
    };
    expect(await lastUsed()).toBeNull();
    const first = at();
    for (let i = 0; i < 5; i++) expect((await b.request('/api/leads', token)).status).toBe(200);
    expect(await settled(first)).toBe(first);
    a.clock.advance(30_000);
    for (let i = 0; i < 5; i++) expect((await a.get('/api/leads', token)).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await b.request('/api/leads', token)).status).toBe(200);
    // Let any write that was (wrongly) started land before looking.
    await a.database.db.selectFrom('tokens').select('id').execute();
    await new Promise((r) => setTimeout(r, 100));
    expect(await lastUsed()).toBe(first);
    a.clock.advance(31_000);
    const later = at();
    expect((await b.request('/api/leads', token)).status).toBe(200);
    expect(await settled(later)).toBe(later);
  });

  it('lists tokens to admin at GET /api/tokens, never a token or its hash; anyone else gets 403', async () => {
    const { id, token } = await createToken(a.database.db, { role: 'agency', agency: 'urban', label: '城管局' }, at(), 'test');
    const res = await a.get('/api/tokens');
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(token);
    expect(text).not.toContain(sha256Hex(token));
    const { items } = JSON.parse(text) as { items: Record<string, unknown>[] };
    expect(items.find((i) => i.id === id)).toEqual({
      id, role: 'agency', agency: 'urban', supervisorId: null, label: '城管局', createdAt: at(), lastUsedAt: null, expiresAt: null, revokedAt: null,
    });
    expect(items.find((i) => i.revokedAt !== null)).toBeDefined();
    const forbidden = await b.request('/api/tokens', (await createToken(a.database.db, { role: 'bureau' }, at(), 'test')).token);
    expect(forbidden.status).toBe(403);
  });
});
