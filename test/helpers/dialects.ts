// The dialect matrix: every integration suite runs once per database (as in Kysely's own tests).
// DIALECTS=sqlite,postgres (default both). PostgreSQL comes from TEST_POSTGRES_URL; when it cannot
// be reached the postgres runs are skipped with a printed reason, unless XIANSUO_REQUIRE_POSTGRES=1
// (CI), where an unreachable server fails the run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { connect, type Database, type DialectName } from '../../src/runtime/database.ts';

export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let postgresReachable: Promise<string | null> | undefined;

/** null when reachable, or the reason it is not. */
function probePostgres(): Promise<string | null> {
  postgresReachable ??= (async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('select 1');
      return null;
    } catch (err) {
      return `PostgreSQL at ${POSTGRES_URL} unreachable: ${(err as Error).message}`;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return postgresReachable;
}

export async function dialects(): Promise<DialectName[]> {
  const wanted = (process.env.DIALECTS ?? 'sqlite,postgres').split(',').map((s) => s.trim()) as DialectName[];
  const out: DialectName[] = [];
  for (const d of wanted) {
    if (d !== 'postgres') {
      out.push(d);
      continue;
    }
    const reason = await probePostgres();
    if (!reason) out.push(d);
    else if (process.env.XIANSUO_REQUIRE_POSTGRES === '1') throw new Error(`${reason} (XIANSUO_REQUIRE_POSTGRES=1)`);
    else console.warn(`SKIPPED postgres runs: ${reason}`);
  }
  return out;
}

export interface TestDatabase extends Database {
  /** A URL another process can use to reach the same database. */
  url: string;
  pgSchema?: string;
  drop(): Promise<void>;
}

/** A fresh, empty database: a SQLite file in a temp folder, or a PostgreSQL schema of its own. */
export async function freshDatabase(dialect: DialectName): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'xiansuo-test-'));
    const url = join(dir, 'test.db');
    const database = connect(url);
    return {
      ...database, url,
      drop: async () => {
        await database.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const database = connect(POSTGRES_URL, { pgSchema: schema });
  return {
    ...database, url: POSTGRES_URL, pgSchema: schema,
    drop: async () => {
      await database.close();
      const c = new pg.Client({ connectionString: POSTGRES_URL });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    },
  };
}
