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

/** Called when the thread dies: the writer checkpoints by itself again. */
type OnDeath = () => void;

/**
 * The file's slot in shared memory: the thread sets it once it has the file open (or could not).
 * The thread gets the values in its workerData, so they are spelled here only.
 */
const WAITING = 0;
const TAKEN = 1;
const REFUSED = 2;

/**
 * The process's checkpointer thread. Starting a worker (an isolate with better-sqlite3 loaded)
 * costs ~0.1 s of CPU, so every chain of the process shares one; it never keeps the process alive.
 */
class CheckpointThread {
  private static process: CheckpointThread | null = null;
  private readonly worker: Worker;
  private readonly files = new Map<number, OnDeath>();
  private nextId = 1;
  private dead = false;

  static shared(): CheckpointThread {
    if (CheckpointThread.process === null || CheckpointThread.process.dead) CheckpointThread.process = new CheckpointThread();
    return CheckpointThread.process;
  }

  private constructor() {
    this.worker = new Worker(new URL('./checkpointer.mjs', import.meta.url), { workerData: { intervalMs: INTERVAL_MS, taken: TAKEN, refused: REFUSED } });
    this.worker.unref();
    const died = (): void => {
      this.dead = true;
      for (const onDeath of this.files.values()) onDeath();
      this.files.clear();
    };
    this.worker.once('error', died);
    this.worker.once('exit', died);
  }

  /**
   * Starts checkpointing `path`; `state` (one Int32) becomes TAKEN or REFUSED when the thread has
   * tried the file, and `onDeath` is called if the thread dies.
   */
  add(path: string, state: SharedArrayBuffer, onDeath: OnDeath): number {
    const id = this.nextId++;
    this.files.set(id, onDeath);
    this.worker.postMessage({ op: 'add', id, path, state });
    return id;
  }

  /** Closes the thread's connection to file `id`. */
  remove(id: number): void {
    this.files.delete(id);
    if (!this.dead) this.worker.postMessage({ op: 'remove', id });
  }
}

export class Checkpointer {
  private readonly thread = CheckpointThread.shared();
  /** The file's id on the thread; null once stopped or fallen back. */
  private id: number | null;
  private readonly state = new Int32Array(new SharedArrayBuffer(4));
  /** Whether the writer's automatic checkpoints were turned off. */
  private handedOver = false;

  constructor(
    private readonly db: Db,
    path: string,
  ) {
    this.id = this.thread.add(path, this.state.buffer as SharedArrayBuffer, () => {
      if (this.id !== null && this.db.open) this.fallBack();
    });
  }

  /**
   * Hands checkpointing over once the thread has the file. Read from shared memory, so a writer
   * in a synchronous loop (no event loop turning) hands over as soon as the thread is ready:
   * call it before each commit. Whether the thread checkpoints the file now.
   */
  sync(): boolean {
    if (this.handedOver || this.id === null) return this.handedOver;
    const st = Atomics.load(this.state, 0);
    if (st === WAITING || !this.db.open) return false;
    if (st === TAKEN) {
      this.db.pragma('wal_autocheckpoint = 0');
      this.handedOver = true;
    } else if (st === REFUSED) this.fallBack();
    return this.handedOver;
  }

  /**
   * Stops checkpointing this file (the thread closes its connection); the writer checkpoints by
   * itself again, starting now. The thread closes its connection later, so a writer closing next
   * would not be the file's last connection and would leave its latest commits in the WAL: a
   * process exiting then leaves a database file that, copied alone, lacks them.
   */
  stop(): void {
    if (this.id === null) return;
    this.thread.remove(this.id);
    this.fallBack();
    if (this.db.open) this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  private fallBack(): void {
    this.id = null;
    this.handedOver = false;
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${AUTO_PAGES}`);
  }
}
