// The background checkpointer's thread: its own connection to the chain file, copying the WAL's
// committed pages into the database file (and syncing it) every few hundred milliseconds, so the
// writer's commits never stall on a checkpoint. Plain JavaScript: it needs nothing of ours.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.path, { fileMustExist: true, timeout: 0 });
// PASSIVE never blocks the writer or readers: it copies what it can and returns.
const tick = () => db.pragma('wal_checkpoint(PASSIVE)');
setInterval(tick, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m === 'stop') {
    db.close();
    process.exit(0);
  }
});
parentPort.postMessage('ready');
