// WAL checkpoints on a worker thread. SQLite's automatic checkpoint runs inside the commit that
// crosses its threshold: that commit copies the WAL into the database file and waits for the
// sync, which on a shared disk stalled commits by tens of milliseconds (measured: 25-73 us per
// ERC-20 transfer outside the block, against ~25 us with checkpoints off). With a checkpointer
// running, the writer turns automatic checkpoints off; if the thread fails, they come back on.
import { Worker } from 'node:worker_threads';
import type { Db } from './db.ts';

const INTERVAL_MS = 250;
/** SQLite's default threshold, restored when the checkpointer stops. */
const AUTO_PAGES = 1000;

export class Checkpointer {
  private worker: Worker | null;

  constructor(
    private readonly db: Db,
    path: string,
  ) {
    const w = new Worker(new URL('./checkpointer.mjs', import.meta.url), { workerData: { path, intervalMs: INTERVAL_MS } });
    w.unref();
    w.once('message', (m) => {
      if (m === 'ready' && this.worker === w) this.db.pragma('wal_autocheckpoint = 0');
    });
    const fallBack = (): void => {
      if (this.worker !== w) return;
      this.worker = null;
      if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${AUTO_PAGES}`);
    };
    w.once('error', fallBack);
    w.once('exit', fallBack);
    this.worker = w;
  }

  /** Stops the thread (its connection closes); the writer checkpoints by itself again. */
  stop(): void {
    const w = this.worker;
    if (w === null) return;
    this.worker = null;
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${AUTO_PAGES}`);
    w.postMessage('stop');
  }
}
