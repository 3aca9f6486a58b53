// Runs in a worker thread (dedupeThread.ts): de-duplication's look-up and scoring, off the thread
// that serves requests. It reads the index through a connection of its own, which follows what
// every instance commits (src/db/stores/postings.ts, docFreq.ts), and answers each report with
// the decision and the rows to write in the intake commit.
import { parentPort, workerData } from 'node:worker_threads';
import { indexRows, sqlDedupeIndex } from '../db/stores/dedupe.ts';
import { dedupe, type DedupeConfig, type ReportText } from '../domain/dedupe/index.ts';
import { connect } from './database.ts';

export interface DedupeWorkerData {
  url: string;
  pgSchema?: string;
  config: DedupeConfig;
}

export type DedupeRequest = { id: number; report: ReportText };

if (parentPort) {
  const port = parentPort;
  const { url, pgSchema, config } = workerData as DedupeWorkerData;
  const database = connect(url, { pgSchema, poolSize: 2 });
  const index = sqlDedupeIndex(database.reader);
  port.on('message', (req: DedupeRequest | 'close') => {
    if (req === 'close') {
      void database.close().finally(() => port.close());
      return;
    }
    dedupe(index, req.report, config).then(
      ({ decision, write }) => {
        const rows = indexRows(write);
        // The feature hashes' buffer moves to the request thread instead of being copied.
        port.postMessage({ id: req.id, decision, rows }, [rows.docHashes.buffer as ArrayBuffer]);
      },
      (err: unknown) => port.postMessage({ id: req.id, error: err instanceof Error ? err.message : String(err) }),
    );
  });
}
