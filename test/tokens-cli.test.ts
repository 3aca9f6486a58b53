// Tokens' life cycle through the operator's command line, run as separate processes: create with an
// expiry (180 days by default for every role but admin), list (never the token or its hash), revoke
// (refused at the next request), each recorded in the full-process record with the actor `cli`.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../src/domain/crypto.ts';
import { testApp, type TestApp } from './helpers/app.ts';
import { dialects } from './helpers/dialects.ts';

const exec = promisify(execFile);
/** Each test runs the CLI as node processes; on a busy 2-core machine that can take a while. */
const TIMEOUT = 180_000;
const DAY = 86_400_000;

describe.each(await dialects())('token life cycle by the CLI on %s', (dialect) => {
  let t: TestApp;
  let env: Record<string, string>;
  const made: { id: string; token: string }[] = [];

  beforeAll(async () => {
    t = await testApp(dialect);
    env = { ...process.env as Record<string, string>, DATABASE_URL: t.database.url, XIANSUO_CLOCK: t.clock.now().toISOString() };
    if (t.database.pgSchema) env.PGOPTIONS = `-c search_path=${t.database.pgSchema}`;
  });
  afterAll(async () => { await t?.close(); });

  const cli = async (...args: string[]) => {
    try {
      return { code: 0, ...(await exec(process.execPath, ['bin/xiansuo.js', ...args], { env })) };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };
  const create = async (...args: string[]) => {
    const r = await cli('token', 'create', ...args);
    expect(r.code, r.stderr).toBe(0);
    const token = r.stdout.trim().split('\n').at(-1)!;
    const id = /已创建令牌 (tok_\w+)/.exec(r.stdout)![1]!;
    made.push({ id, token });
    return { id, token, stdout: r.stdout };
  };
  const row = (id: string) => t.database.db.selectFrom('tokens').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('gives every role but admin an expiry: 180 days by default, or --expires Nd / Nh', async () => {
    const agency = await create('--role', 'agency', '--agency', 'urban');
    const r1 = await row(agency.id);
    expect(Date.parse(r1.expires_at!) - Date.parse(r1.created_at)).toBe(180 * DAY);
    expect(agency.stdout).toContain('到期');
    const admin = await create('--role', 'admin');
    expect((await row(admin.id)).expires_at).toBeNull();
    const shortLived = await create('--role', 'supervisor', '--supervisor', 'S07', '--expires', '12h', '--label', '临时');
    const r3 = await row(shortLived.id);
    expect(Date.parse(r3.expires_at!) - Date.parse(r3.created_at)).toBe(12 * 3_600_000);
    const admin90 = await create('--role', 'admin', '--expires', '90d');
    const r4 = await row(admin90.id);
    expect(Date.parse(r4.expires_at!) - Date.parse(r4.created_at)).toBe(90 * DAY);
  }, TIMEOUT);

  it('refuses a bad --expires, and never for other roles than admin, with one line, changing nothing', async () => {
    const before = (await t.database.db.selectFrom('tokens').select('id').execute()).length;
    for (const args of [['--role', 'bureau', '--expires', 'never'], ['--role', 'bureau', '--expires', '3x'], ['--role', 'viewer', '--expires', '0d'], ['--role', 'viewer', '--expires', '-5d']]) {
      const r = await cli('token', 'create', ...args);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(/^xiansuo: /);
    }
    expect((await t.database.db.selectFrom('tokens').select('id').execute()).length).toBe(before);
  }, TIMEOUT);

  it('lists every token with its role, scope, dates and state, never the token or its hash', async () => {
    const used = made[0]!;
    expect((await t.get('/api/leads', used.token)).status).toBe(200);
    for (let i = 0; i < 200 && (await row(used.id)).last_used_at === null; i++) await new Promise((r) => setTimeout(r, 25));
    const table = await cli('token', 'list');
    const json = await cli('token', 'list', '--json');
    expect(table.code).toBe(0);
    expect(json.code).toBe(0);
    for (const { id, token } of made) {
      for (const out of [table.stdout, json.stdout]) {
        expect(out).toContain(id);
        expect(out).not.toContain(token);
        expect(out).not.toContain(token.slice(3, 20));
        expect(out).not.toContain(sha256Hex(token));
        expect(out).not.toContain(sha256Hex(token).slice(12, 40));
      }
    }
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/编号\s+角色\s+范围\s+创建时间\s+最近使用\s+到期时间\s+吊销时间\s+状态/);
    const agencyLine = lines.find((l) => l.startsWith(used.id))!;
    expect(agencyLine).toContain('单位 urban');
    expect(agencyLine).toContain('2026-03-02 10:00'); // created and last used, in Beijing time
    expect(agencyLine).toContain('2026-08-29 10:00'); // 180 days later
    expect(agencyLine).toContain('有效');
    expect(lines.find((l) => l.startsWith(made[1]!.id))).toContain('不过期');
    const items = JSON.parse(json.stdout) as Record<string, unknown>[];
    expect(Object.keys(items[0]!).sort()).toEqual(
      ['agency', 'createdAt', 'expiresAt', 'id', 'label', 'lastUsedAt', 'revokedAt', 'role', 'supervisorId']);
    expect(items.find((i) => i.id === used.id)).toMatchObject({ role: 'agency', agency: 'urban', lastUsedAt: expect.any(String), revokedAt: null });
  }, TIMEOUT);

  it('revokes a token: the running service refuses it at its next request; recorded with the actor cli', async () => {
    const { id, token } = await create('--role', 'bureau');
    expect((await t.get('/api/leads', token)).status).toBe(200);
    const r = await cli('token', 'revoke', id);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`已吊销令牌 ${id}`);
    const refused = await t.get('/api/leads', token);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect((await cli('token', 'list')).stdout.split('\n').find((l) => l.startsWith(id))).toContain('已吊销');
    const again = await cli('token', 'revoke', id);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('无需再次吊销');
    const unknown = await cli('token', 'revoke', 'tok_nosuchtoken');
    expect(unknown.code).not.toBe(0);
    // One line of reason, after the line that names the database the command opened.
    const lines = unknown.stderr.trim().split('\n');
    expect(lines.length).toBeLessThanOrEqual(2);
    expect(lines.at(-1)).toMatch(/^xiansuo: .*tok_nosuchtoken/);
    const events = await t.database.db.selectFrom('events').select(['actor', 'action', 'data']).where('action', 'like', 'token.%').orderBy('seq').execute();
    expect(events.filter((e) => e.action === 'token.revoked')).toEqual([
      { actor: 'cli', action: 'token.revoked', data: JSON.stringify({ role: 'bureau', tokenId: id }) },
    ]);
    expect(events.filter((e) => e.action === 'token.created').every((e) => e.actor === 'cli')).toBe(true);
    expect(events.filter((e) => e.action === 'token.created').map((e) => JSON.parse(e.data).tokenId)).toEqual(made.map((m) => m.id));
    expect(JSON.stringify(events)).not.toContain(token);
  }, TIMEOUT);
});
