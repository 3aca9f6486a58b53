// Opens the database that DATABASE_URL names: SQLite (a file or :memory:) or PostgreSQL.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { sqlBackend, type Backend } from '../db/commit.ts';
import { walSync } from './walSync.ts';
import { BACKSTOP_PAGES, startCheckpointer } from './checkpointer.ts';
import type { DB } from '../db/schema/index.ts';

export type DialectName = 'sqlite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  /**
   * For reads outside a write: on SQLite a second connection (WAL lets it read while the writer
   * commits, so reads never queue behind a group commit); on PostgreSQL the same pool.
   */
  reader: Kysely<DB>;
  dialect: DialectName;
  /** The one object that writes: commit(plan), the group commit, durability, change probes. */
  backend: Backend;
  /** What DATABASE_URL said (another connection, e.g. a worker thread's, opens the same). */
  url: string;
  /** The PostgreSQL schema everything lives in, when not the default search path. */
  pgSchema?: string;
  close(): Promise<void>;
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

// int8 (counts, sums) as numbers: our counts stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

export interface ConnectOptions {
  pgSchema?: string;
  poolSize?: number;
  /**
   * SQLite file: checkpoint the WAL in a thread of its own (checkpointer.ts), reporting failures
   * to `onError`. For the serving process; short-lived commands let SQLite checkpoint as usual.
   */
  checkpointThread?: { onError(err: string): void };
}

export function connect(url: string, opts: ConnectOptions = {}): Database {
  if (isPostgresUrl(url)) {
    const pool = new pg.Pool({
      connectionString: url,
      max: opts.poolSize ?? 10,
      ...(opts.pgSchema ? { options: `-c search_path=${opts.pgSchema}` } : {}),
    });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    const backend = sqlBackend({ db, dialect: 'postgres' });
    return { db, reader: db, dialect: 'postgres', backend, url, pgSchema: opts.pgSchema, close: () => db.destroy() };
  }
  if (url !== ':memory:') mkdirSync(dirname(url), { recursive: true });
  const sqlite = new SQLite(url);
  const wal = sqlite.pragma('journal_mode = WAL', { simple: true }) === 'wal';
  sqlite.pragma('busy_timeout = 5000');
  // A commit returns once its frames are in the WAL file; the group commit (src/db/commit.ts) then
  // waits for the WAL to reach the disk (the backend's commit sync in src/db/commit.ts, walSync.ts: fdatasync on libuv's thread pool) before
  // anyone hears of it, so a 2xx survives a power cut too. NORMAL keeps SQLite's own syncs around
  // checkpoints; under FULL the same sync ran inside COMMIT and stopped the event loop for ~5 ms
  // per group. Where WAL is not possible (an in-memory database), FULL.
  sqlite.pragma(wal ? 'synchronous = NORMAL' : 'synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('cache_size = -65536'); // 64 MiB of page cache
  sqlite.pragma('temp_store = MEMORY');
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  const commitSync = wal ? walSync(`${sqlite.name}-wal`) : undefined;
  const checkpointer = wal && opts.checkpointThread ? startCheckpointer(sqlite.name, opts.checkpointThread.onError) : undefined;
  if (checkpointer) sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  // The writer's data_version moves only when another process commits (another instance).
  const writerVersion = sqlite.prepare('PRAGMA data_version').pluck();
  if (url === ':memory:') {
    const backend = sqlBackend({ db, dialect: 'sqlite', commitSync });
    return { db, reader: db, dialect: 'sqlite', backend, url, close: () => db.destroy() };
  }
  const readConnection = new SQLite(url);
  readConnection.pragma('busy_timeout = 5000');
  readConnection.pragma('cache_size = -32768');
  const reader = new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(readConnection) }) });
  // The writer is another connection: the reader's data_version moves with each of its commits.
  const dataVersion = readConnection.prepare('PRAGMA data_version').pluck();
  const backend = sqlBackend({
    db, reader, dialect: 'sqlite', commitSync,
    changeProbes: { db: () => writerVersion.get() as number, reader: () => dataVersion.get() as number },
  });
  return {
    db, reader, dialect: 'sqlite', backend, url,
    close: async () => {
      await checkpointer?.close();
      await backend.close();
      await reader.destroy();
      await db.destroy();
      // Kysely closes only a connection it has used; an idle reader would keep the file open.
      if (readConnection.open) readConnection.close();
    },
  };
}

/**
 * Kysely prepares every query anew; preparing costs more than running our small statements.
 * Cache prepared statements by their SQL text (a bounded set: our queries are built from code).
 */
function withStatementCache(sqlite: SQLite.Database): SQLite.Database {
  const cache = new Map<string, SQLite.Statement>();
  return new Proxy(sqlite, {
    get(target, prop, receiver) {
      if (prop === 'prepare') {
        return (source: string) => {
          let stmt = cache.get(source);
          if (!stmt) {
            stmt = target.prepare(source);
            if (cache.size >= 500) cache.delete(cache.keys().next().value!);
            cache.set(source, stmt);
          }
          return stmt;
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

