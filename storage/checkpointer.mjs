// The background checkpointer's thread: one per process, a connection per chain file it was
// given, copying each WAL's committed pages into its database file (and syncing it) every few
// hundred milliseconds, so the writers' commits never stall on a checkpoint. Plain JavaScript:
// it needs nothing of ours.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

/** Connections by the id the main thread gave the file. */
const files = new Map();

// PASSIVE never blocks the writer or readers: it copies what it can and returns.
setInterval(() => {
  for (const db of files.values()) db.pragma('wal_checkpoint(PASSIVE)');
}, workerData.intervalMs);

parentPort.on('message', (m) => {
  if (m.op === 'add') {
    // The writer reads the outcome from shared memory (Checkpointer.sync).
    const state = new Int32Array(m.state);
    try {
      files.set(m.id, new Database(m.path, { fileMustExist: true, timeout: 0 }));
      Atomics.store(state, 0, workerData.taken);
    } catch {
      // The writer keeps checkpointing that file by itself.
      Atomics.store(state, 0, workerData.refused);
    }
  } else if (m.op === 'remove') {
    files.get(m.id)?.close();
    files.delete(m.id);
  }
});
