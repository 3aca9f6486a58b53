// The commit sync of a SQLite file on Node (the backend's commit sync, src/db/commit.ts): fdatasync of its WAL file.
import { open, type FileHandle } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { CommitSync } from '../db/commit.ts';

/**
 * fdatasync of the WAL file (and, the first time, of its directory), through a handle kept open:
 * opening and closing it around every sync cost two more trips to the thread pool, which a
 * sequence of single writes (the deadline sweep) waited for one after the other.
 */
export function walSync(walFile: string): CommitSync {
  const walPath = resolve(walFile);
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
      const handle = wal;
      wal = undefined;
      await handle?.close();
    },
  };
}
