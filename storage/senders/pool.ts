// Sender recovery on the second core (issue 7: "sender recovery may use the second core"). A worker
// thread decodes a block's transactions and recovers their signers while the main thread executes
// the block — or, when the block was announced with `prepare`, before it starts. The machine's
// recoverPublicKey asks the job first (RecoveryJob.lookup). Each transaction is claimed by one
// thread: the worker publishes what it recovered; the executor takes any transaction the worker
// has not reached and recovers it itself (an Ethereum one with the pending ones after it, in one
// batch, as the worker does), so a slow, busy or missing worker costs nothing but its help.
// Answers match on the exact hash, signature and recid, so the block's result is the same with or
// without the worker.
import { Worker } from 'node:worker_threads';
import { bytesEqual, bytesEqualAt, bytesToBigInt } from '../../machine/common/bytes.ts';
import type { KnownSigner } from '../../machine/crypto/index.ts';
import { authenticateEthereumTransactions, type RecoveredTx } from '../../machine/tx/ethereum.ts';
import { TxDecodeError } from '../../machine/tx/types.ts';
import {
  JOB_ENDED, JOB_QUEUED, JOB_STATE, NO_KEY, NONE, OFF_FROM, OFF_HASH, OFF_PUB, OFF_RECID, OFF_SIG, PENDING, READY, RECOVERED, RUN, SIGNED, SLOT_BYTES, TAKEN, WORKING,
  type JobMessage,
} from './layout.ts';
import type { BlockRecovery } from './batch.ts';

/** settle()'s answer when this thread just took the slot: recover here. */
const TAKEN_NOW = -1;

/** Longest wait for a run the worker is recovering now: far above one run (~0.7 ms). */
const WAIT_MS = 50;
/** Finished slots searched past the cursor when the one under it is another recovery. */
const LOOKAHEAD = 8;
/** Jobs announced ahead of their blocks that are kept; older ones are ended. */
const MAX_PREPARED = 4;

export class RecoveryJob implements BlockRecovery {
  /** Slots before it are answered or given up: lookups start here. */
  private cursor = 0;
  private readonly status: Int32Array;
  private readonly slots: Uint8Array;
  /** Transactions answered from the worker, and recoveries done on this thread (one per lookup it could not answer). */
  hits = 0;
  misses = 0;
  /** Transactions this thread took from the worker and recovered itself, by index. */
  private own: (RecoveredTx | TxDecodeError)[] | null = null;

  constructor(
    status: SharedArrayBuffer,
    slots: SharedArrayBuffer,
    private readonly txs: readonly Uint8Array[],
  ) {
    this.status = new Int32Array(status);
    this.slots = new Uint8Array(slots);
  }

  /** Whether the worker has picked the job up. */
  get started(): boolean {
    return Atomics.load(this.status, JOB_STATE) !== JOB_QUEUED;
  }

  /** The block is done: the worker drops what it has not started. */
  end(): void {
    Atomics.store(this.status, JOB_STATE, JOB_ENDED);
  }

  signer(raw: Uint8Array): KnownSigner | undefined {
    for (let i = this.cursor, end = Math.min(this.txs.length, this.cursor + LOOKAHEAD); i < end; i++) {
      const tx = this.txs[i];
      if (tx !== raw && !bytesEqual(tx, raw)) continue;
      const mine = this.own?.[i];
      if (mine !== undefined) return this.answerOwn(i, mine);
      const st = this.settle(i);
      if (st === TAKEN_NOW) return this.takeRun(i);
      if (st !== SIGNED) break; // no signer to give: the recovery, if any, is looked up next
      const at = i * SLOT_BYTES;
      const s = this.slots;
      this.cursor = i + 1;
      this.hits++;
      return { from: bytesToBigInt(s, at + OFF_FROM, at + OFF_FROM + 20), signingHash: s.slice(at + OFF_HASH, at + OFF_HASH + 32) };
    }
    return this.skipTo(this.cursor);
  }

  lookup(hash: Uint8Array, sig: Uint8Array, recid: number): Uint8Array | null | undefined {
    while (this.cursor < this.txs.length) {
      const st = this.settle(this.cursor);
      if (st === TAKEN_NOW) return this.miss(this.cursor + 1);
      if (st === NONE || st === TAKEN) {
        this.cursor++;
        continue;
      }
      if (st === WORKING) return this.miss(this.cursor); // a stalled worker: do it here, once
      // A finished recovery: this transaction's, or (a precompile call, a transaction that needed
      // none taken in its place) a neighbour's.
      for (let i = this.cursor, end = Math.min(this.txs.length, this.cursor + LOOKAHEAD); i < end; i++) {
        const s = Atomics.load(this.status, i + 1);
        if ((s === RECOVERED || s === SIGNED || s === NO_KEY) && this.matches(i, hash, sig, recid)) {
          this.cursor = i + 1;
          this.hits++;
          const at = i * SLOT_BYTES + OFF_PUB;
          return s === NO_KEY ? null : this.slots.slice(at, at + 64);
        }
      }
      break;
    }
    return this.miss(this.cursor);
  }

  /**
   * The worker has not reached transaction i (just taken): take the pending ones after it too, up
   * to a run, and recover them here in one batch, as the worker would have.
   */
  private takeRun(i: number): KnownSigner | undefined {
    let j = i + 1;
    while (j < this.txs.length && j - i < RUN && Atomics.compareExchange(this.status, j + 1, PENDING, TAKEN) === PENDING) j++;
    const results = authenticateEthereumTransactions(this.txs.slice(i, j));
    this.own ??= new Array(this.txs.length);
    for (let k = i; k < j; k++) this.own[k] = results[k - i];
    return this.answerOwn(i, results[0]);
  }

  /** A transaction this thread recovered in a run: a recovery not found done, so a miss. */
  private answerOwn(i: number, r: RecoveredTx | TxDecodeError): KnownSigner | undefined {
    this.misses++;
    this.cursor = i + 1;
    return r instanceof TxDecodeError ? undefined : r; // undecodable: the machine finds out itself
  }

  /** Slot i's state once settled: taken for this thread when nobody had it, waited for when the worker has it. */
  private settle(i: number): number {
    let st = Atomics.load(this.status, i + 1);
    if (st === PENDING) {
      st = Atomics.compareExchange(this.status, i + 1, PENDING, TAKEN);
      if (st === PENDING) return TAKEN_NOW;
    }
    if (st === WORKING) {
      Atomics.wait(this.status, i + 1, WORKING, WAIT_MS);
      st = Atomics.load(this.status, i + 1);
    }
    return st;
  }

  private matches(i: number, hash: Uint8Array, sig: Uint8Array, recid: number): boolean {
    const at = i * SLOT_BYTES;
    const s = this.slots;
    return s[at + OFF_RECID] === recid && bytesEqualAt(s, at + OFF_HASH, hash) && bytesEqualAt(s, at + OFF_SIG, sig);
  }

  /** A recovery this thread does itself (lookup found none): counted once per recovery. */
  private miss(cursor: number): undefined {
    this.misses++;
    return this.skipTo(cursor);
  }

  /** No signer to give (signer()): not a recovery yet — lookup() follows and counts it. */
  private skipTo(cursor: number): undefined {
    this.cursor = cursor;
    return undefined;
  }
}

/**
 * The worker thread itself. One is shared by every chain of the process (`RecoveryThread.shared`):
 * a sequencer's worker lives as long as the process, so its JIT warm-up is paid once, not per
 * chain opened; idle, it costs nothing and never keeps the process alive.
 */
export class RecoveryThread {
  private static process: RecoveryThread | null = null;
  private worker: Worker | null = null;
  private broken = false;
  private readyPromise: Promise<boolean> = Promise.resolve(false);

  /** The process's shared thread, started on first use. */
  static shared(): RecoveryThread {
    if (RecoveryThread.process === null || RecoveryThread.process.broken) RecoveryThread.process = new RecoveryThread();
    return RecoveryThread.process;
  }

  /** Starts the worker now: it takes a moment to load; jobs posted meanwhile queue for it. */
  constructor() {
    this.ensure();
  }

  /** Resolves once the worker has loaded (true), or when it cannot run (false). */
  ready(): Promise<boolean> {
    return this.readyPromise;
  }

  /** Posts a job; false when no worker can run. */
  post(msg: JobMessage): boolean {
    const w = this.ensure();
    if (w === null) return false;
    w.postMessage(msg);
    return true;
  }

  terminate(): void {
    if (RecoveryThread.process === this) RecoveryThread.process = null;
    void this.worker?.terminate();
    this.worker = null;
    this.broken = true;
  }

  private ensure(): Worker | null {
    if (this.worker !== null || this.broken) return this.worker;
    try {
      const w = new Worker(new URL('./worker.mjs', import.meta.url));
      w.unref(); // never keeps the process alive
      this.readyPromise = new Promise<boolean>((resolve) => {
        w.once('message', (m) => resolve(m === READY));
        w.once('error', () => resolve(false));
        w.once('exit', () => resolve(false));
      });
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

/** One chain's (or one replay's) use of a recovery thread: its jobs, and those announced ahead. */
export class SenderRecovery {
  /** Jobs posted by `prepare`, by the transaction list they were posted for. */
  private readonly prepared = new Map<readonly Uint8Array[], RecoveryJob>();

  private readonly thread: RecoveryThread;
  /** A thread given to the constructor is this user's own: close() terminates it. */
  private readonly owned: boolean;

  /** On the process's shared thread unless given one. */
  constructor(thread?: RecoveryThread) {
    this.thread = thread ?? RecoveryThread.shared();
    this.owned = thread !== undefined;
  }

  /** See RecoveryThread.ready. */
  ready(): Promise<boolean> {
    return this.thread.ready();
  }

  /** Starts recovering the signers of a block's transactions; null when no worker can run. */
  start(txs: readonly Uint8Array[], profile: string, chainId: bigint): RecoveryJob | null {
    if (txs.length === 0) return null;
    const status = new SharedArrayBuffer(4 * (txs.length + 1));
    const slots = new SharedArrayBuffer(SLOT_BYTES * txs.length);
    const msg: JobMessage = { status, slots, txs: [...txs], profile, chainId };
    return this.thread.post(msg) ? new RecoveryJob(status, slots, msg.txs) : null;
  }

  /**
   * Announces a block that will run soon (the next one, while this one executes), so its signers
   * are recovered before it starts. `take` with the same list returns the job.
   */
  prepare(txs: readonly Uint8Array[], profile: string, chainId: bigint): RecoveryJob | null {
    const known = this.prepared.get(txs);
    if (known !== undefined) return known;
    const job = this.start(txs, profile, chainId);
    if (job === null) return null;
    this.prepared.set(txs, job);
    if (this.prepared.size > MAX_PREPARED) {
      const [oldest, stale] = this.prepared.entries().next().value!;
      stale.end();
      this.prepared.delete(oldest);
    }
    return job;
  }

  /** The job `prepare` posted for this list, or a new one. */
  take(txs: readonly Uint8Array[], profile: string, chainId: bigint): RecoveryJob | null {
    const job = this.prepared.get(txs);
    if (job === undefined) return this.start(txs, profile, chainId);
    this.prepared.delete(txs);
    return job;
  }

  /** Ends this user's jobs; the shared thread stays for the next. */
  close(): void {
    for (const job of this.prepared.values()) job.end();
    this.prepared.clear();
    if (this.owned) this.thread.terminate();
  }
}
