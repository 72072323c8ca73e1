// The shared-memory layout between a block's executor and the sender-recovery worker: one slot per
// transaction holding what was recovered (message hash, compact signature, recid, public key) and
// a status word the executor waits on.

export const SLOT_BYTES = 32 + 64 + 1 + 64;
export const OFF_HASH = 0;
export const OFF_SIG = 32;
export const OFF_RECID = 96;
export const OFF_PUB = 97;

/** Status words: index 0 is the job's, then one per transaction. */
export const JOB_STARTED = 0;
export const PENDING = 0;
/** A public key was recovered. */
export const RECOVERED = 1;
/** The transaction needs no recovery, or could not be decoded: the executor skips it. */
export const NONE = 2;
/** The signature recovers no key: the answer is null. */
export const NO_KEY = 3;

export interface JobMessage {
  status: SharedArrayBuffer;
  slots: SharedArrayBuffer;
  txs: Uint8Array[];
  profile: string;
  chainId: bigint;
}
