// The shared-memory layout between a block's executor and the sender-recovery worker: one slot per
// transaction holding what was recovered (message hash, compact signature, recid, public key) and
// a status word per transaction that both threads claim with compare-and-swap, so each recovery
// is done once, by whichever thread gets to it first, and neither waits on the other for long.

export const OFF_HASH = 0;
export const OFF_SIG = 32;
export const OFF_RECID = 96;
export const OFF_PUB = 97;
/**
 * A decoded Ethereum transaction's signer (state SIGNED). Its signing hash is the recovery's
 * message hash at OFF_HASH; its tx hash the block computes itself.
 */
export const OFF_FROM = 161;
export const SLOT_BYTES = 181;

/**
 * Ethereum transactions are claimed in runs of up to this many and recovered in one batch (the
 * batch shares the keys' modular inversions: ~39 µs a key against ~50 alone). A thread that meets
 * a run the other is on waits for it: at most ~0.7 ms.
 */
export const RUN = 16;

/** Status word 0 is the job's; then one per transaction. */
export const JOB_STATE = 0;
/** Job states: posted, picked up by the worker, ended by the executor (the worker drops the rest). */
export const JOB_QUEUED = 0;
export const JOB_STARTED = 1;
export const JOB_ENDED = 2;

/** Transaction states. Nobody has claimed it yet. */
export const PENDING = 0;
/** A public key was recovered. */
export const RECOVERED = 1;
/** The transaction needs no recovery, or could not be decoded: the executor skips it. */
export const NONE = 2;
/** The signature recovers no key: the answer is null. */
export const NO_KEY = 3;
/** A public key was recovered, and the transaction decoded as an Ethereum one: OFF_FROM… too. */
export const SIGNED = 6;
/** The worker claimed it and is recovering it now. */
export const WORKING = 4;
/** The executor got there first and recovers it itself: the worker skips it. */
export const TAKEN = 5;

export interface JobMessage {
  status: SharedArrayBuffer;
  slots: SharedArrayBuffer;
  txs: Uint8Array[];
  profile: string;
  chainId: bigint;
}

/** What the worker posts back once it has loaded and can take jobs. */
export const READY = 'ready';
