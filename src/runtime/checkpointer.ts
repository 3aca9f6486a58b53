// Checkpoints of a SQLite database in a thread of their own. SQLite copies the WAL back into the
// database file once the WAL holds 1,000 pages, inside whichever COMMIT crosses that mark: on the
// request thread, tens of milliseconds (with an fsync of the database file) every few dozen group
// commits, and half the time the request thread spent in COMMIT at full intake. Here a worker
// thread runs a passive checkpoint whenever the WAL has grown past WAL_BYTES; the writer keeps
// SQLite's own automatic checkpoint only as a backstop, at a far higher mark.
import { Worker } from 'node:worker_threads';

/** Checkpoint once the WAL file is this large (SQLite's own default mark: 1,000 pages of 4 KiB). */
export const WAL_BYTES = 4 * 1024 * 1024;
/** The writer checkpoints by itself only past this many pages (if the thread cannot keep up, or died). */
export const BACKSTOP_PAGES = 25_000;

export interface Checkpointer {
  close(): Promise<void>;
}

export function startCheckpointer(file: string, onError: (err: string) => void, opts: { walBytes?: number; intervalMs?: number } = {}): Checkpointer {
  const worker = new Worker(new URL('./checkpointWorker.mjs', import.meta.url), {
    workerData: { file, walBytes: opts.walBytes ?? WAL_BYTES, intervalMs: opts.intervalMs ?? 100 },
  });
  worker.unref();
  worker.on('message', (m: { error?: string }) => {
    if (m.error) onError(m.error);
  });
  // An error thrown in the thread arrives as a copy, not always an Error.
  worker.on('error', (err: unknown) => onError((err as { message?: string })?.message ?? String(err)));
  return {
    close: () => new Promise<void>((resolve) => {
      if (worker.threadId < 0) return resolve();
      worker.once('exit', () => resolve());
      // Unref'd while it runs; held while it closes, or a process with nothing else to do would
      // exit with code 0 before the close is done (and before its caller could report anything).
      worker.ref();
      worker.postMessage('close');
      setTimeout(() => void worker.terminate(), 2000).unref();
    }),
  };
}
