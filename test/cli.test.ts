// The operator's command line, run as a separate process as an operator would.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects, freshDatabase, type TestDatabase } from './helpers/dialects.ts';
import { startServer } from './helpers/server.ts';
import { checkedFetch as fetch } from './helpers/openapi.ts'; // every /api and /webhooks answer checked against the document

const exec = promisify(execFile);

describe.each(await dialects())('xiansuo CLI on %s', (dialect) => {
  let database: TestDatabase;
  let env: Record<string, string>;
  beforeAll(async () => {
    database = await freshDatabase(dialect);
    env = { ...process.env as Record<string, string>, DATABASE_URL: database.url };
    if (database.pgSchema) env.PGOPTIONS = `-c search_path=${database.pgSchema}`;
  });
  afterAll(async () => { await database.drop(); });

  const cli = async (...args: string[]) => {
    try {
      const r = await exec(process.execPath, ['bin/xiansuo.js', ...args], { env });
      return { code: 0, ...r };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };

  it('migrates, then says the database is current', async () => {
    expect((await cli('migrate')).stdout).toContain('001_initial');
    expect((await cli('migrate')).stdout).toContain('已是最新');
  });

  it('creates a token, prints it alone on the last line, stores only its hash, and the API accepts it', async () => {
    const r = await cli('token', 'create', '--role', 'agency', '--agency', 'urban');
    expect(r.code).toBe(0);
    const token = r.stdout.trim().split('\n').at(-1)!;
    expect(token).toMatch(/^xs_[A-Za-z0-9_-]{40,}$/);
    const rows = await database.db.selectFrom('tokens').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows.find((x) => x.role === 'agency')).toMatchObject({ agency: 'urban' });
    const server = await startServer({ DATABASE_URL: database.url }, { pgSchema: database.pgSchema });
    try {
      const list = await fetch(`${server.base}/api/leads`, { headers: { authorization: `Bearer ${token}` } });
      expect(list.status).toBe(200);
      expect(server.output()).toMatch(/"msg":"request".*"status":200/);
    } finally {
      await server.kill();
    }
  });

  it('refuses bad input with a one-line reason and a non-zero exit, changing nothing', async () => {
    const before = (await database.db.selectFrom('tokens').selectAll().execute()).length;
    const cases = [
      ['token', 'create', '--role', 'king'],
      ['token', 'create', '--role', 'agency'],
      ['token', 'create', '--role', 'agency', '--agency', 'nowhere'],
      ['token', 'create', '--role', 'supervisor'],
      ['token', 'create', '--role', 'bureau', '--bogus', 'x'],
      ['frobnicate'],
    ];
    const results = await Promise.all(cases.map((args) => cli(...args)));
    for (const [i, r] of results.entries()) {
      const args = cases[i]!;
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(/^xiansuo: /);
    }
    expect((await database.db.selectFrom('tokens').selectAll().execute()).length).toBe(before);
  });

  it('reports a broken environment in one line', async () => {
    const r = await exec(process.execPath, ['bin/xiansuo.js', 'migrate'], { env: { ...env, XIANSUO_TZ: 'Mars/Olympus' } }).catch((e) => e);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('XIANSUO_TZ');
  });
});
