// De-duplication in a worker thread. Normalising, weighing and scoring a report take about as
// much CPU as all the rest of intake; on a machine with a second core they run there, while the
// request thread parses, routes and commits. The worker starts on first use. When it fails (it
// cannot read the database, or it died), the report is de-duplicated in the request thread instead
// (the same code on the same rows), the failure is reported, and a dead worker is started anew for
// the next report.
//
// After the intake commit, the request thread hands each stored report back (`stored`), so the
// worker adds it to its index without reading it back; with each look-up it says whether another
// writer (another instance) has committed since the previous one, and only then does the worker
// read the tables.
import { Worker } from 'node:worker_threads';
import { dedupe, type DedupeResult, type ReportText } from '../domain/dedupe/index.ts';
import type { DedupeIndex } from '../domain/dedupe/port.ts';
import { indexRows, type IndexRows, type StoredReport } from '../db/stores/dedupe.ts';
import type { DedupeRequest, DedupeWorkerData } from './dedupeWorker.ts';

/** Longer than any look-up takes, even at start (loading the index of a large store). */
const ANSWER_TIMEOUT_MS = 30_000;

type Answer = { id: number; decision: DedupeResult['decision']; rows: IndexRows } | { id: number; error: string };

export interface ThreadAnswer {
  decision: DedupeResult['decision'];
  rows: IndexRows;
}

export interface DedupeThread {
  dedupe(report: ReportText): Promise<ThreadAnswer>;
  /** The intake commit stored the report these rows were made for (call after the commit). */
  stored(rows: IndexRows, row: StoredReport): void;
  /** Reports answered by the worker, and in the request thread after a failure. */
  stats(): { worker: number; local: number };
  close(): Promise<void>;
}

export function dedupeThread(
  data: DedupeWorkerData,
  local: DedupeIndex,
  onError: (err: unknown) => void,
  /** Whether another writer has committed since the last call (true when it cannot tell). */
  othersCommitted: () => boolean,
): DedupeThread {
  let worker: Worker | undefined;
  let next = 0;
  let stored: Extract<DedupeRequest, { kind: 'stored' }>['reports'] = [];
  const counts = { worker: 0, local: 0 };
  const waiting = new Map<number, { resolve(a: Answer): void; reject(e: unknown): void }>();

  const fail = (w: Worker, err: unknown) => {
    if (worker !== w) return;
    worker = undefined;
    for (const p of waiting.values()) p.reject(err);
    waiting.clear();
    void w.terminate();
  };

  const start = (): Worker => {
    const w = new Worker(new URL('./dedupeWorker.mjs', import.meta.url), { workerData: data });
    w.unref();
    w.on('message', (a: Answer) => {
      const p = waiting.get(a.id);
      waiting.delete(a.id);
      p?.resolve(a);
    });
    w.on('error', (err) => fail(w, err));
    w.on('exit', (code) => fail(w, new Error(`de-duplication worker exited (${code})`)));
    return w;
  };

  return {
    async dedupe(report) {
      try {
        worker ??= start();
        const id = next++;
        const request: DedupeRequest = { kind: 'look-up', id, report, stale: othersCommitted() };
        const w = worker;
        const answer = await new Promise<Answer>((resolve, reject) => {
          // A worker that does not answer in time is taken for hung: stopped, and started anew.
          const timer = setTimeout(() => fail(w, new Error(`de-duplication worker gave no answer in ${ANSWER_TIMEOUT_MS} ms`)), ANSWER_TIMEOUT_MS);
          timer.unref();
          waiting.set(id, {
            resolve: (a) => { clearTimeout(timer); resolve(a); },
            reject: (e) => { clearTimeout(timer); reject(e); },
          });
          w.postMessage(request);
        });
        if ('error' in answer) throw new Error(answer.error);
        counts.worker++;
        return { decision: answer.decision, rows: answer.rows };
      } catch (err) {
        onError(err);
        counts.local++;
        const { decision, write } = await dedupe(local, report, data.config);
        return { decision, rows: indexRows(write) };
      }
    },
    stored(rows, row) {
      if (rows.ticket === undefined) return; // made in this thread, whose index reads the tables
      // One message for all that a group commit stored.
      if (stored.length === 0) {
        queueMicrotask(() => {
          const reports = stored;
          stored = [];
          worker?.postMessage({ kind: 'stored', reports } satisfies DedupeRequest);
        });
      }
      stored.push({ ticket: rows.ticket, ...row });
    },
    stats: () => ({ ...counts }),
    async close() {
      const w = worker;
      worker = undefined;
      if (!w) return;
      await new Promise<void>((resolve) => {
        w.ref(); // until it has closed its connection
        w.once('exit', () => resolve());
        w.postMessage({ kind: 'close' } satisfies DedupeRequest);
        setTimeout(() => void w.terminate(), 2000).unref();
      });
    },
  };
}
