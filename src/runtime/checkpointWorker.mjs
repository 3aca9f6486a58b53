// Runs in a worker thread (checkpointer.ts): copies the SQLite WAL back into the database file,
// so that the thread serving requests never does. Plain JavaScript: it needs only better-sqlite3.
import { statSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';

const { file, walBytes, intervalMs } = workerData;
const db = new SQLite(file);
try {
  db.pragma('busy_timeout = 5000');
  // A checkpoint syncs the WAL before copying it and the database after (FULL, this connection's default).
  db.pragma('synchronous = FULL');
} catch (err) {
  // Said here: an error thrown out of a thread reaches the parent without its message.
  parentPort.postMessage({ error: String(err) });
}

let failures = 0;
const timer = setInterval(() => {
  let size = 0;
  try {
    size = statSync(`${file}-wal`).size;
  } catch {
    return; // no WAL yet
  }
  if (size < walBytes) return;
  try {
    // PASSIVE: copies what no reader still needs, never waits for or stops a writer.
    db.pragma('wal_checkpoint(PASSIVE)');
    failures = 0;
  } catch (err) {
    if (failures++ === 0) parentPort.postMessage({ error: String(err) });
  }
}, intervalMs);

parentPort.on('message', (message) => {
  if (message !== 'close') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
