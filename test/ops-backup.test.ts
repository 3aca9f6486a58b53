// `xiansuo backup FILE` while the service takes in webhooks: the copy is consistent (SQLite's
// integrity check, and the full-process record's hash chain verified on the copy). On
// PostgreSQL the command says to use pg_dump.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../src/db/stores/audit.ts';
import { connect } from '../src/runtime/database.ts';
import { dialects, freshDatabase, type TestDatabase } from './helpers/dialects.ts';
import { PROBLEMS } from './helpers/problems.ts';
import { startServer, type ServerProcess } from './helpers/server.ts';
import { SECRETS, signedHeaders } from './helpers/sign.ts';
import { checkedFetch as fetch } from './helpers/openapi.ts'; // every /api and /webhooks answer checked against the document

const exec = promisify(execFile);

async function cli(args: string[], env: Record<string, string>) {
  try {
    return { code: 0, ...await exec(process.execPath, [resolve('bin/xiansuo.js'), ...args], { env: { ...process.env as Record<string, string>, ...env } }) };
  } catch (err) {
    return err as { code: number; stdout: string; stderr: string };
  }
}

describe.each((await dialects()).filter((d) => d === 'sqlite'))('backup on %s while the service writes', (dialect) => {
  let database: TestDatabase;
  let server: ServerProcess;
  const dir = mkdtempSync(join(tmpdir(), 'xiansuo-backup-'));
  beforeAll(async () => {
    database = await freshDatabase(dialect);
    server = await startServer({ DATABASE_URL: database.url, WEBHOOK_SECRET_HOTLINE: SECRETS.hotline, XIANSUO_AUTO_DISPATCH: 'on' });
  });
  afterAll(async () => {
    await server.kill();
    await database.drop();
  });

  it('copies a consistent database in the middle of a stream of deliveries', async () => {
    let sent = 0;
    let stop = false;
    const stream = (async () => {
      const accepted: number[] = [];
      while (!stop || sent < 40) {
        const i = sent++;
        const p = PROBLEMS[i % PROBLEMS.length]!;
        const body = JSON.stringify({ orderNo: `GD-BAK-${i}`, createdAt: '2026-03-02T09:15:00+08:00', ...p, title: `${p.title}（${i}）` });
        const res = await fetch(`${server.base}/webhooks/hotline`, { method: 'POST', body, headers: signedHeaders(SECRETS.hotline, `bak-${i}`, new Date(), body) });
        accepted.push(res.status);
      }
      return accepted;
    })();
    // Wait until writes are under way, then back up while they go on.
    while (sent < 10) await new Promise((r) => setTimeout(r, 20));
    const file = join(dir, 'copy.db');
    const atStart = sent;
    const r = await cli(['backup', file], { DATABASE_URL: database.url });
    const atEnd = sent;
    stop = true;
    const statuses = await stream;
    expect(statuses.every((s) => s === 202), statuses.join(',')).toBe(true);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^已备份到 .*copy\.db（[\d.]+ MiB，完整性检查通过，全过程记录 \d+ 条校验完好）/);
    expect(atEnd).toBeGreaterThan(atStart); // deliveries were committed while the command ran

    const copy = connect(file);
    try {
      const audit = await verifyAudit(copy.db);
      expect(audit.ok).toBe(true);
      const leads = Number((await copy.db.selectFrom('leads').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      const reports = Number((await copy.db.selectFrom('reports').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      expect(leads).toBeGreaterThan(0);
      expect(reports).toBeGreaterThanOrEqual(leads);
      // Every report in the copy has its lead and its intake events: nothing half-written.
      const orphans = await copy.db.selectFrom('reports').leftJoin('leads', 'leads.id', 'reports.lead_id').select('reports.id').where('leads.id', 'is', null).execute();
      expect(orphans).toEqual([]);
    } finally {
      await copy.close();
    }
  });

  it('never overwrites a file, and says so in one line', async () => {
    const file = join(dir, 'copy.db');
    expect(existsSync(file)).toBe(true);
    const r = await cli(['backup', file], { DATABASE_URL: database.url });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n').at(-1)).toBe(`xiansuo: 目标文件 ${file} 已存在，不会覆盖；请换一个文件名`);
  });
});

describe.each((await dialects()).filter((d) => d === 'postgres'))('backup on %s', (dialect) => {
  it('says to use pg_dump, and how to restore', async () => {
    const database = await freshDatabase(dialect);
    try {
      const r = await cli(['backup', join(tmpdir(), 'never.db')], { DATABASE_URL: database.url, PGOPTIONS: `-c search_path=${database.pgSchema}` });
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n').at(-1)).toMatch(/^xiansuo: PostgreSQL 数据库请用 pg_dump 备份，例如：pg_dump .*pg_restore/);
    } finally {
      await database.drop();
    }
  });
});
