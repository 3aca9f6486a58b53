// The de-duplication worker thread's entry (src/runtime/dedupeThread.ts starts it; its side is
// runDedupeWorker in src/db/stores/dedupe.ts): TypeScript through tsx,
// whatever loader (if any) the parent used; then, as the runtime does for the request thread, it
// opens its own connection and hands it to the worker's side.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { connect } = await import('./database.ts');
const { runDedupeWorker, sqlDedupeIndex } = await import('../db/stores/dedupe.ts');
const { url, pgSchema, config } = workerData;
const database = connect(url, { pgSchema, poolSize: 2 });
runDedupeWorker(parentPort, database, sqlDedupeIndex(database.reader), config);
