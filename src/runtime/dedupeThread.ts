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
//
// This file is the de-duplication port of the intake (AppDeps.dedupe and .indexed, dedupeLookUp
// below) and both sides of the thread: the request thread's (dedupeThread) and the worker's
// (runDedupeWorker, started by dedupeWorker.mjs with a connection of its own).
import { Worker } from 'node:worker_threads';
import type { AppDeps } from '../app/deps.ts';
import { dedupe, type DedupeConfig, type DedupeResult, type ReportText } from '../domain/dedupe/index.ts';
import type { DedupeIndex } from '../domain/dedupe/port.ts';
import {
  indexRows, lookUp, pendingWrite, reportText, type IndexRows, type PendingWrite, type SqlDedupeIndex, type StoredReport,
} from '../db/stores/dedupe.ts';
import type { Database } from './database.ts';

/**
 * The intake's de-duplication (AppDeps.dedupe, .indexed): in the worker thread when there is one,
 * else in this thread over `index`.
 */
export function dedupeLookUp(index: DedupeIndex, config: DedupeConfig, thread: DedupeThread | undefined): Pick<AppDeps, 'dedupe' | 'indexed'> {
  return {
    dedupe: async (draft) => {
      if (!thread) return lookUp(index, draft, config);
      const { decision, rows } = await thread.dedupe(reportText(draft));
      return { decision, indexWrite: rows };
    },
    indexed: (rows, row) => thread?.stored(rows, row),
  };
}

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

// ---------------------------------------------------------------------------------------------
// The worker thread: de-duplication's look-up and scoring, off the thread that serves requests.
// It reads the index through a connection of its own. What its own instance commits is handed
// back to it after each intake commit (the look-up's own result, with the ids and seq the commit
// gave it), so it reads the tables only for what other writers committed
// (src/domain/dedupe/changeGate.ts); it answers each report with the decision and the rows to write.

/** The worker's end of the channel (node:worker_threads' parentPort). */
export interface WorkerPort {
  on(event: 'message', listener: (req: DedupeRequest) => void): unknown;
  postMessage(value: unknown, transfer?: ArrayBuffer[]): void;
  close(): void;
}

export interface DedupeWorkerData {
  url: string;
  pgSchema?: string;
  config: DedupeConfig;
}

export type DedupeRequest =
  /** `stale`: another writer has committed since the previous request (read the tables first). */
  | { kind: 'look-up'; id: number; report: ReportText; stale: boolean }
  /** Look-ups whose rows were committed (a look-up never stored is forgotten after a while). */
  | { kind: 'stored'; reports: (StoredReport & { ticket: number })[] }
  | { kind: 'close' };

/**
 * Look-ups kept until their commit is reported. A look-up whose report is never stored (its
 * commit failed, or found it a redelivery) is dropped once this many newer ones wait; at most a
 * few hundred are in flight at once.
 */
const PENDING_MAX = 2_000;

/**
 * The worker's side (run by dedupeWorker.mjs in the worker thread): answers look-ups over `index`,
 * read through the worker's own `database`, and follows what its instance stores.
 */
export function runDedupeWorker(port: WorkerPort, database: Pick<Database, 'close'>, index: SqlDedupeIndex, config: DedupeConfig): void {
  index.fedLocally();
  const pending = new Map<number, PendingWrite>();
  port.on('message', (req: DedupeRequest) => {
    switch (req.kind) {
      case 'close':
        void database.close().finally(() => port.close());
        return;
      case 'stored':
        for (const { ticket, ...row } of req.reports) {
          const write = pending.get(ticket);
          pending.delete(ticket);
          // Forgotten (or from before a restart): the tables will tell.
          if (write) index.stored(write, row);
          else index.markStale();
        }
        return;
      case 'look-up':
        if (req.stale) index.markStale();
        dedupe(index, req.report, config).then(
          ({ decision, write }) => {
            const made = indexRows(write);
            pending.set(req.id, pendingWrite(write, made));
            if (pending.size > PENDING_MAX) pending.delete(pending.keys().next().value!);
            // The request thread gets a copy of the hashes: this thread keeps them for `stored`.
            const rows = { ...made, docHashes: write.docHashes.slice(), ticket: req.id };
            port.postMessage({ id: req.id, decision, rows }, [rows.docHashes.buffer as ArrayBuffer]);
          },
          (err: unknown) => port.postMessage({ id: req.id, error: err instanceof Error ? err.message : String(err) }),
        );
    }
  });
}
