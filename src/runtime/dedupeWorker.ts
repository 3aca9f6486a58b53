// Runs in a worker thread (dedupeThread.ts): de-duplication's look-up and scoring, off the thread
// that serves requests. It reads the index through a connection of its own. What its own instance
// commits is handed back to it after each intake commit (the look-up's own result, with the ids
// and seq the commit gave it), so it reads the tables only for what other writers committed
// (src/db/changes.ts); it answers each report with the decision and the rows to write.
import { parentPort, workerData } from 'node:worker_threads';
import { indexRows, pendingWrite, sqlDedupeIndex, type PendingWrite, type StoredReport } from '../db/stores/dedupe.ts';
import { dedupe, type DedupeConfig, type ReportText } from '../domain/dedupe/index.ts';
import { connect } from './database.ts';

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

if (parentPort) {
  const port = parentPort;
  const { url, pgSchema, config } = workerData as DedupeWorkerData;
  const database = connect(url, { pgSchema, poolSize: 2 });
  const index = sqlDedupeIndex(database.reader);
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
