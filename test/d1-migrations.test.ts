// The D1 migration files are generated from the one migration source (migrations/index.ts) and
// must match it: regenerate with `npm run d1:migrations` after adding a migration.
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateToLatest } from '../src/db/migrate.ts';
import { d1MigrationFiles, inline, readD1MigrationFiles } from '../src/runtime/d1Migrations.ts';
import { MIGRATIONS } from '../migrations/index.ts';

function schemaOf(db: SQLite.Database): string[] {
  return (db.prepare(`select type, name, sql from sqlite_master where name not like 'kysely_%' and name not like 'sqlite_%' order by type, name`)
    .all() as { type: string; name: string; sql: string | null }[]).map((r) => `${r.type} ${r.name}: ${r.sql}`);
}

describe('D1 migrations', () => {
  it('migrations/d1 holds exactly what migrations/index.ts generates, one file per migration', async () => {
    const generated = await d1MigrationFiles();
    expect(generated.map((f) => f.file)).toEqual(Object.keys(MIGRATIONS).map((n) => `${n}.sql`));
    const onDisk = readD1MigrationFiles();
    expect(onDisk.map((f) => f.file), 'run `npm run d1:migrations`').toEqual(generated.map((f) => f.file));
    for (const [i, f] of generated.entries()) expect(onDisk[i]!.sql, `${f.file} is stale: run \`npm run d1:migrations\``).toBe(f.sql);
  });

  it('the files, applied in order, give the schema the Node service migrates to (no transaction statements in them)', async () => {
    const files = readD1MigrationFiles();
    const d1 = new SQLite(':memory:');
    for (const f of files) {
      expect(f.sql).not.toMatch(/^\s*(begin|commit)\b/im);
      d1.exec(f.sql);
    }
    const node = new SQLite(':memory:');
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: node }) });
    await migrateToLatest(db);
    expect(schemaOf(d1)).toEqual(schemaOf(node));
    expect(d1.prepare('select id, seq from audit_head').all()).toEqual(node.prepare('select id, seq from audit_head').all());
    await db.destroy();
    d1.close();
  });

  it('inlines parameters as literals, leaving question marks inside quoted text alone', () => {
    expect(inline(`insert into t (a, b, c) values (?, ?, '?') -- x`, ["it's", 3])).toBe(`insert into t (a, b, c) values ('it''s', 3, '?') -- x`);
    expect(() => inline('select ?', [])).toThrow(/more placeholders/);
    expect(() => inline('select 1', [1])).toThrow(/left over/);
  });
});
