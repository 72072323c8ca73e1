// Sender recovery on the second core (issue 7: "sender recovery may use the second core"). While
// the main thread executes a block, a worker thread decodes the same transactions and recovers
// their signers; the machine's recoverPublicKey then finds each key done (RecoveryJob.lookup) and
// waits only if the worker is behind. Answers match on the exact hash, signature and recid, so the
// block's result is the same with or without the worker; a worker that is slow, not started or
// gone only means recovering on the main thread as before.
import { Worker } from 'node:worker_threads';
import { bytesEqual } from '../../machine/common/bytes.ts';
import type { RecoveryAhead } from '../../machine/crypto/index.ts';
import { JOB_STARTED, NO_KEY, NONE, OFF_HASH, OFF_PUB, OFF_RECID, OFF_SIG, PENDING, SLOT_BYTES, type JobMessage } from './layout.ts';

/** Longest wait for one slot: far above one recovery, so only a stalled worker reaches it. */
const WAIT_MS = 200;
/** Longest wait, at the first lookup, for an idle worker to pick the job up; then never again. */
const START_MS = 20;

export class RecoveryJob implements RecoveryAhead {
  private cursor = 0;
  private abandoned = false;
  private readonly status: Int32Array;
  private readonly slots: Uint8Array;
  /** Lookups answered from the worker, and those it could not answer. */
  hits = 0;
  misses = 0;

  constructor(
    status: SharedArrayBuffer,
    slots: SharedArrayBuffer,
    private readonly count: number,
  ) {
    this.status = new Int32Array(status);
    this.slots = new Uint8Array(slots);
  }

  /** Whether the worker has picked the job up. */
  get started(): boolean {
    return Atomics.load(this.status, JOB_STARTED) !== 0;
  }

  lookup(hash: Uint8Array, sig: Uint8Array, recid: number): Uint8Array | null | undefined {
    if (this.abandoned) return this.miss();
    if (Atomics.load(this.status, JOB_STARTED) === 0) {
      // A worker still loading (or busy) gets one short chance; after that, recover inline.
      Atomics.wait(this.status, JOB_STARTED, 0, START_MS);
      if (Atomics.load(this.status, JOB_STARTED) === 0) {
        this.abandoned = true;
        return this.miss();
      }
    }
    while (this.cursor < this.count) {
      const w = this.cursor + 1;
      if (Atomics.load(this.status, w) === PENDING) Atomics.wait(this.status, w, PENDING, WAIT_MS);
      const st = Atomics.load(this.status, w);
      if (st === PENDING) return this.miss();
      if (st === NONE) {
        this.cursor++;
        continue;
      }
      const at = this.cursor * SLOT_BYTES;
      const s = this.slots;
      if (s[at + OFF_RECID] !== recid || !bytesEqual(s.subarray(at + OFF_HASH, at + OFF_HASH + 32), hash) || !bytesEqual(s.subarray(at + OFF_SIG, at + OFF_SIG + 64), sig)) {
        return this.miss(); // not this transaction's recovery (e.g. the ecrecover precompile)
      }
      this.cursor++;
      this.hits++;
      return st === NO_KEY ? null : s.slice(at + OFF_PUB, at + OFF_PUB + 64);
    }
    return this.miss();
  }

  private miss(): undefined {
    this.misses++;
    return undefined;
  }
}

export class SenderRecovery {
  private worker: Worker | null = null;
  private broken = false;

  /** Starts the worker now: it takes a moment to load, jobs posted meanwhile wait for it. */
  constructor() {
    this.ensure();
  }

  /** Starts recovering the signers of a block's transactions; null when no worker can run. */
  start(txs: readonly Uint8Array[], profile: string, chainId: bigint): RecoveryJob | null {
    const w = this.ensure();
    if (w === null || txs.length === 0) return null;
    const status = new SharedArrayBuffer(4 * (txs.length + 1));
    const slots = new SharedArrayBuffer(SLOT_BYTES * txs.length);
    const msg: JobMessage = { status, slots, txs: [...txs], profile, chainId };
    w.postMessage(msg);
    return new RecoveryJob(status, slots, txs.length);
  }

  close(): void {
    void this.worker?.terminate();
    this.worker = null;
  }

  private ensure(): Worker | null {
    if (this.worker !== null || this.broken) return this.worker;
    try {
      const w = new Worker(new URL('./worker.mjs', import.meta.url));
      w.unref(); // never keeps the process alive
      w.on('error', () => {
        // Recovery falls back to the main thread; the chain goes on.
        this.broken = true;
        this.worker = null;
      });
      this.worker = w;
    } catch {
      this.broken = true;
    }
    return this.worker;
  }
}
