// Upgrading a database whose record was written before 007_token_lifecycle: its plain entries
// (no recorded state) keep verifying, with and without XIANSUO_AUDIT_KEY; the first start records
// the state of the older leads; setting the key keys the chain from the next entry on.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Migrator } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../migrations/index.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { chain, GENESIS_HASH } from '../src/domain/audit.ts';
import { write } from '../src/db/commit.ts';
import { loadConfig } from '../src/runtime/config.ts';
import { connect } from '../src/runtime/database.ts';
import { prepareDatabase } from '../src/runtime/services.ts';
import { dialects, freshDatabase, type TestDatabase } from './helpers/dialects.ts';
import { fixedClock } from './helpers/clock.ts';

const run = promisify(execFile);
/** Each test runs the CLI as node processes; on a busy 2-core machine that can take a while. */
const TIMEOUT = 180_000;
const KEY = 'upgrade-test-audit-key-0123456789abcdef';
const LEAD = 'XS-2026-000001';

describe.each(await dialects())('upgrading a record written before the key on %s', (dialect) => {
  let database: TestDatabase;
  const clock = fixedClock('2026-03-02T02:00:00.000Z');

  async function verify(key?: string): Promise<{ code: number; stdout: string }> {
    const env: Record<string, string> = { ...process.env as Record<string, string>, DATABASE_URL: database.url };
    delete env.XIANSUO_AUDIT_KEY;
    if (key) env.XIANSUO_AUDIT_KEY = key;
    if (database.pgSchema) env.PGOPTIONS = `-c search_path=${database.pgSchema}`;
    try {
      return { code: 0, stdout: (await run(process.execPath, ['bin/xiansuo.js', 'audit', 'verify'], { env })).stdout };
    } catch (err) {
      const e = err as { code: number; stdout: string };
      return { code: e.code, stdout: e.stdout };
    }
  }

  /** A start of the service's preparation with or without the key, on a connection of its own. */
  async function start(key?: string): Promise<void> {
    const d = connect(database.url, { pgSchema: database.pgSchema });
    try {
      await prepareDatabase(d, loadConfig({ DATABASE_URL: database.url, ...(key ? { XIANSUO_AUDIT_KEY: key } : {}) }), clock);
    } finally {
      await d.close();
    }
  }

  beforeAll(async () => {
    database = await freshDatabase(dialect);
    const migrator = new Migrator({
      db: database.db, provider: { getMigrations: async () => MIGRATIONS },
      ...(database.pgSchema ? { migrationTableSchema: database.pgSchema } : {}),
    });
    const to005 = await migrator.migrateTo('005_dedupe_sketch');
    expect(to005.error).toBeUndefined();
    // What the code before the upgrade wrote: a lead and plain entries without a recorded state.
    const at = clock.now().toISOString();
    await database.db.insertInto('leads').values({
      id: LEAD, status: 'triage', merged_into: null, title: '渣土车夜间抛洒', content: '渣土车夜间抛洒，路面脏乱', priority: 'normal',
      address: null, township: null, subject: null, category: null, routing_agency: 'urban', routing_transfer: null,
      routing_reason: null, routing_detail: null, problem_types: '[]', domain: null, candidates: '[]', channels: '["hotline"]',
      report_count: 1, lifecycle: '{}', created_at: at, updated_at: at,
    } as never).execute();
    const old = chain({ seq: 0, hash: GENESIS_HASH }, [
      { leadId: LEAD, actor: 'system', action: 'lead.created', at, data: { title: '渣土车夜间抛洒' } },
      { leadId: null, actor: 'cli', action: 'token.created', at, data: { tokenId: 'tok_1', role: 'bureau' } },
    ]);
    await database.db.insertInto('events').values(old.map((e) => ({
      seq: e.seq, lead_id: e.leadId, report_id: e.reportId, actor: e.actor, action: e.action, at: e.at, data: e.data,
      prev_hash: e.prevHash, hash: e.hash,
    })) as never).execute();
    await database.db.updateTable('audit_head').set({ seq: 2, hash: old[1]!.hash }).where('id', '=', 1).execute();
  });
  afterAll(async () => { await database?.drop(); });

  it('keeps verifying after the upgrade, without the key; the first start records the older leads\' state', async () => {
    await migrateToLatest(database.db, database.pgSchema);
    const before = await verify();
    expect(before.code).toBe(0);
    expect(before.stdout).toContain('已校验 2 条（未启用密钥');
    expect(before.stdout).toContain('1 条升级前的线索尚无状态记载');
    await start();
    const recorded = await database.db.selectFrom('events').selectAll().where('seq', '=', 3).executeTakeFirstOrThrow();
    expect(recorded).toMatchObject({ action: 'audit.state-recorded', lead_id: LEAD });
    const r = await verify();
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('已校验 3 条（未启用密钥');
    expect(r.stdout).toContain('线索状态：1 条线索已与记录核对');
    // Once: a second start records nothing more.
    await start();
    expect((await database.db.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow()).seq).toBe(3);
  }, TIMEOUT);

  it('keys the chain from the next entry once the key is set; older entries still verify', async () => {
    await start(KEY);
    const keyed = await database.db.selectFrom('events').selectAll().where('seq', '=', 4).executeTakeFirstOrThrow();
    expect(keyed.action).toBe('audit.keyed');
    const r = await verify(KEY);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('已校验 4 条（自第 4 条起以密钥签名）');
    // A second start with the same key changes nothing.
    await start(KEY);
    expect((await database.db.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow()).seq).toBe(4);
  }, TIMEOUT);

  it('refuses to start without the key, or with another, once the chain is keyed', async () => {
    await expect(start()).rejects.toThrow(/自第 4 条起以密钥签名，但未设置 XIANSUO_AUDIT_KEY/);
    await expect(start('some-other-key-of-more-than-32-characters')).rejects.toThrow(/密钥.*不符/);
    expect((await database.db.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow()).seq).toBe(4);
  }, TIMEOUT);

  it('finds an older lead changed by direct SQL, and follows its next change', async () => {
    await database.db.updateTable('leads').set({ status: 'closed' }).where('id', '=', LEAD).execute();
    const changed = await verify(KEY);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toContain(`线索 ${LEAD} 的状态为 “closed”，全过程记录第 3 条记载为 “triage”`);
    const d = connect(database.url, { pgSchema: database.pgSchema });
    try {
      await prepareDatabase(d, loadConfig({ DATABASE_URL: database.url, XIANSUO_AUDIT_KEY: KEY }), clock);
      await write(d.db, async (tx, rec) => {
        await tx.updateTable('leads').set({ status: 'rejected' }).where('id', '=', LEAD).execute();
        rec.record({ leadId: LEAD, actor: 'test', action: 'lead.rejected', at: clock.now().toISOString(), data: { reason: '重复' } });
      });
    } finally {
      await d.close();
    }
    const r = await verify(KEY);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('线索状态：1 条线索已与记录核对');
    await database.db.updateTable('leads').set({ status: 'triage' }).where('id', '=', LEAD).execute();
    const again = await verify(KEY);
    expect(again.code).toBe(1);
    expect(again.stdout).toContain(`线索 ${LEAD} 的状态为 “triage”，全过程记录第 5 条记载为 “rejected”`);
  }, TIMEOUT);
});
