// The de-duplication worker thread's entry (src/runtime/dedupeThread.ts): TypeScript through tsx,
// whatever loader (if any) the parent used; then, as the runtime does for the request thread, it
// opens its own connection and hands it to the worker's side.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { connect } = await import('./database.ts');
const { sqlDedupeIndex } = await import('../db/stores/dedupe.ts');
const { runDedupeWorker } = await import('./dedupeThread.ts');
const { url, pgSchema, config } = workerData;
const database = connect(url, { pgSchema, poolSize: 2 });
runDedupeWorker(parentPort, database, sqlDedupeIndex(database.reader), config);
