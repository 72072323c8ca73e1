// The sender-recovery worker: for each transaction of a block, last to first, it claims the transaction
// (unless the executor already has), runs the decoding a profile runs (which recovers the signer
// through machine/crypto) and publishes the result into the job's shared slot, so the executor on
// the main thread finds it done. Ethereum transactions are claimed in runs (L.RUN) and recovered in
// one batch.
import { parentPort } from 'node:worker_threads';
import { writeBigInt } from '../../machine/common/bytes.ts';
import { initCrypto, recoverCompact, setRecoveryAhead } from '../../machine/crypto/index.ts';
import { authenticateEthereumTransactions } from '../../machine/tx/ethereum.ts';
import { TxDecodeError } from '../../machine/tx/types.ts';
import { decodeZkTransaction, recoverZkSigner } from '../../machine/tx/zksync/index.ts';
import * as L from './layout.ts';

await initCrypto();

let slots: Uint8Array = new Uint8Array(0);
let at = -1;
let recovered: Uint8Array | null | undefined;

// Installed once: every recovery this thread does goes through here. Only a transaction's first
// recovery is kept: that is the one the executor asks for.
setRecoveryAhead({
  lookup(hash, sig, recid) {
    const pub = recoverCompact(hash, sig, recid);
    if (at >= 0 && recovered === undefined) {
      slots.set(hash, at + L.OFF_HASH);
      slots.set(sig, at + L.OFF_SIG);
      slots[at + L.OFF_RECID] = recid;
      if (pub !== null) slots.set(pub, at + L.OFF_PUB);
      recovered = pub;
    }
    return pub;
  },
});

/** Decodes transaction i as the (zkSync) profile will; its outcome as a slot state. */
function decodeOne(job: L.JobMessage, i: number): number {
  at = i * L.SLOT_BYTES;
  recovered = undefined;
  try {
    recoverZkSigner(decodeZkTransaction(job.txs[i]), job.chainId);
  } catch {
    // Undecodable: the machine rejects it by itself; only a recovery done on the way is published.
  }
  at = -1;
  if (recovered === undefined) return L.NONE;
  return recovered === null ? L.NO_KEY : L.RECOVERED;
}

/** Decodes and recovers Ethereum transactions `run` (claimed) in one batch; publishes each. */
function publishEthereum(job: L.JobMessage, status: Int32Array, run: number[]): void {
  const results = authenticateEthereumTransactions(run.map((i) => job.txs[i]));
  for (let k = 0; k < run.length; k++) {
    const i = run[k];
    const tx = results[k];
    let state = L.NONE; // undecodable, or no key: the machine finds out by itself
    if (!(tx instanceof TxDecodeError)) {
      const base = i * L.SLOT_BYTES;
      slots.set(tx.signingHash, base + L.OFF_HASH);
      writeBigInt(slots, base + L.OFF_SIG, tx.r, 32);
      writeBigInt(slots, base + L.OFF_SIG + 32, tx.s, 32);
      slots[base + L.OFF_RECID] = tx.recid;
      slots.set(tx.publicKey, base + L.OFF_PUB);
      writeBigInt(slots, base + L.OFF_FROM, tx.from, 20);
      state = L.SIGNED;
    }
    Atomics.store(status, i + 1, state);
    Atomics.notify(status, i + 1);
  }
}

function run(job: L.JobMessage): void {
  const status = new Int32Array(job.status);
  slots = new Uint8Array(job.slots);
  if (Atomics.compareExchange(status, L.JOB_STATE, L.JOB_QUEUED, L.JOB_STARTED) !== L.JOB_QUEUED) return; // ended unseen
  // From the back: an executor that catches up takes the front itself and the two meet in the
  // middle, instead of trailing the worker and waiting on each transaction in turn.
  const ethereum = job.profile === 'ethereum';
  const claimed: number[] = [];
  for (let i = job.txs.length - 1; i >= 0; ) {
    if (Atomics.load(status, L.JOB_STATE) === L.JOB_ENDED) break;
    claimed.length = 0;
    while (i >= 0 && claimed.length < (ethereum ? L.RUN : 1) && Atomics.compareExchange(status, i + 1, L.PENDING, L.WORKING) === L.PENDING) claimed.push(i--);
    if (claimed.length === 0) {
      i--; // the executor took it
    } else if (ethereum) {
      publishEthereum(job, status, claimed);
    } else {
      Atomics.store(status, claimed[0] + 1, decodeOne(job, claimed[0]));
      Atomics.notify(status, claimed[0] + 1);
    }
  }
}

parentPort!.on('message', (job: L.JobMessage) => run(job));
parentPort!.postMessage(L.READY);
