// Starts the de-duplication worker thread on Node (the look-up and both sides of the thread are
// src/db/stores/dedupe.ts: threadedDedupe, runDedupeWorker). The worker's entry, dedupeWorker.mjs,
// opens its own connection and runs the worker's side.
import { Worker } from 'node:worker_threads';
import type { DedupeIndex } from '../domain/dedupe/port.ts';
import { threadedDedupe, type DedupeThread, type DedupeWorker, type DedupeWorkerData } from '../db/stores/dedupe.ts';

export type { DedupeThread, ThreadAnswer } from '../db/stores/dedupe.ts';

export function dedupeThread(
  data: DedupeWorkerData,
  local: DedupeIndex,
  onError: (err: unknown) => void,
  /** Whether another writer has committed since the last call (true when it cannot tell). */
  othersCommitted: () => boolean,
): DedupeThread {
  const spawn = () => new Worker(new URL('./dedupeWorker.mjs', import.meta.url), { workerData: data }) as unknown as DedupeWorker;
  return threadedDedupe(spawn, data.config, local, onError, othersCommitted);
}
