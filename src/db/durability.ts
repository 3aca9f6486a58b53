// Durable commits on SQLite without stopping the event loop.
//
// better-sqlite3 runs every statement on the calling thread. Under `synchronous = FULL` each COMMIT
// waited there for the WAL's fsync: ~5 ms per group commit in which the service served nobody.
// Instead the connection runs at NORMAL (a COMMIT hands its frames to the operating system and
// returns; SQLite still syncs around checkpoints, so the file stays consistent), and whoever must
// not answer before the commit is on disk awaits `durable(db)`: an fdatasync of the WAL file on
// libuv's thread pool. Once that resolves, every transaction committed before the call is on the
// disk. Concurrent callers share one sync; a caller that arrives while a sync runs waits for the
// next one (the running one may have started before its commit).
//
// A handle without a registered flusher (PostgreSQL, whose COMMIT is durable and asynchronous
// already; an in-memory SQLite) resolves at once.
import { open, type FileHandle } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
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

/**
 * fdatasync of the WAL file (and, the first time, of its directory), through a handle kept open:
 * opening and closing it around every sync cost two more trips to the thread pool, which a
 * sequence of single writes (the deadline sweep) waited for one after the other.
 */
function walSync(walPath: string): { sync(): Promise<void>; close(): Promise<void> } {
  let wal: FileHandle | undefined;
  let directorySynced = false;
  const sync = async () => {
    try {
      wal ??= await open(walPath, 'r');
      await wal.datasync();
    } catch (err) {
      // Opened afresh next time.
      const broken = wal;
      wal = undefined;
      await broken?.close().catch(() => undefined);
      throw err;
    }
    // The WAL file's own directory entry, once: the file is created by the first write.
    if (!directorySynced) {
      const dir = await open(dirname(walPath), 'r');
      try {
        await dir.sync();
      } finally {
        await dir.close();
      }
      directorySynced = true;
    }
  };
  return {
    sync,
    close: async () => {
      const open = wal;
      wal = undefined;
      await open?.close();
    },
  };
}

const flushers = new WeakMap<Kysely<DB>, { flush(): Promise<void>; close(): Promise<void> }>();

/** Commits through `db` are made durable by syncing this WAL file. */
export function walFlusher(db: Kysely<DB>, walPath: string): void {
  void flushers.get(db)?.close();
  const wal = walSync(resolve(walPath));
  flushers.set(db, { flush: coalesce(wal.sync), close: wal.close });
}

/** Resolves once everything `db` committed before the call is on disk. */
export function durable(db: Kysely<DB>): Promise<void> {
  return flushers.get(db)?.flush() ?? Promise.resolve();
}

/** Lets go of the WAL file (when the database is closed). */
export async function closeFlusher(db: Kysely<DB>): Promise<void> {
  await flushers.get(db)?.close();
  flushers.delete(db);
}
