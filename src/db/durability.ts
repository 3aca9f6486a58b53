// Durable commits on SQLite without stopping the event loop.
//
// better-sqlite3 runs every statement on the calling thread. Under `synchronous = FULL` each COMMIT
// waited there for the WAL's fsync: ~5 ms per group commit in which the service served nobody.
// Instead the connection runs at NORMAL (a COMMIT hands its frames to the operating system and
// returns; SQLite still syncs around checkpoints, so the file stays consistent), and whoever must
// not answer before the commit is on disk awaits `durable(db)`: on Node, an fdatasync of the WAL
// file on libuv's thread pool (src/runtime/walSync.ts). Once that resolves, every transaction
// committed before the call is on the disk. Concurrent callers share one sync; a caller that
// arrives while a sync runs waits for the next one (the running one may have started before its
// commit).
//
// A handle without a registered commit sync (PostgreSQL, whose COMMIT is durable and asynchronous
// already; an in-memory SQLite) resolves at once. This module knows no file system: the runtime
// registers how to sync (src/runtime/walSync.ts on Node).
import type { Kysely } from 'kysely';
import type { DB } from './schema/index.ts';

/**
 * Shares runs of `sync` among callers: a call resolves after a run that started after the call
 * (a run already under way may have started before the caller's commit, so the caller waits for
 * the next one, which everybody who arrives meanwhile shares).
 */
export function coalesce(sync: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  const flush = (): Promise<void> => {
    if (!running) {
      running = sync().finally(() => {
        running = undefined;
      });
      return running;
    }
    queued ??= running.catch(() => undefined).then(() => {
      queued = undefined;
      return flush();
    });
    return queued;
  };
  return flush;
}

/** How a handle's commits are made durable: a sync to wait for, and what to let go at close. */
export interface CommitSync {
  sync(): Promise<void>;
  close(): Promise<void>;
}

const flushers = new WeakMap<Kysely<DB>, { flush(): Promise<void>; close(): Promise<void> }>();

/** Commits through `db` are made durable by `commitSync` (the runtime's; on Node, walSync.ts). */
export function registerCommitSync(db: Kysely<DB>, commitSync: CommitSync): void {
  void flushers.get(db)?.close();
  flushers.set(db, { flush: coalesce(commitSync.sync), close: commitSync.close });
}

/** Resolves once everything `db` committed before the call is on disk. */
export function durable(db: Kysely<DB>): Promise<void> {
  return flushers.get(db)?.flush() ?? Promise.resolve();
}

/** Lets go of what the sync holds (when the database is closed). */
export async function closeCommitSync(db: Kysely<DB>): Promise<void> {
  await flushers.get(db)?.close();
  flushers.delete(db);
}
