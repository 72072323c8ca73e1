// The sender-recovery worker: for each transaction of a block, last to first, it claims the transaction
// (unless the executor already has), runs the decoding a profile runs (which recovers the signer
// through machine/crypto) and publishes the result into the job's shared slot, so the executor on
// the main thread finds it done.
import { parentPort } from 'node:worker_threads';
import { writeBigInt } from '../../machine/common/bytes.ts';
import { initCrypto, recoverCompact, setRecoveryAhead } from '../../machine/crypto/index.ts';
import { authenticateEthereumTransaction, type AuthenticatedTx } from '../../machine/tx/ethereum.ts';
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

/** Decodes transaction i as the profile will; its outcome as a slot state. */
function decode(job: L.JobMessage, i: number): number {
  at = i * L.SLOT_BYTES;
  recovered = undefined;
  let tx: AuthenticatedTx | null = null;
  try {
    if (job.profile === 'zksync') recoverZkSigner(decodeZkTransaction(job.txs[i]), job.chainId);
    else tx = authenticateEthereumTransaction(job.txs[i]);
  } catch {
    // Undecodable: the machine rejects it by itself; only a recovery done on the way is published.
  }
  at = -1;
  if (recovered === undefined) return L.NONE;
  if (recovered === null) return L.NO_KEY;
  if (tx === null) return L.RECOVERED;
  const base = i * L.SLOT_BYTES;
  writeBigInt(slots, base + L.OFF_FROM, tx.from, 20);
  slots.set(tx.signingHash, base + L.OFF_SIGNING_HASH);
  return L.SIGNED;
}

function run(job: L.JobMessage): void {
  const status = new Int32Array(job.status);
  slots = new Uint8Array(job.slots);
  if (Atomics.compareExchange(status, L.JOB_STATE, L.JOB_QUEUED, L.JOB_STARTED) !== L.JOB_QUEUED) return; // ended unseen
  // From the back: an executor that catches up takes the front itself and the two meet in the
  // middle, instead of trailing the worker and waiting on each transaction in turn.
  for (let i = job.txs.length - 1; i >= 0; i--) {
    if (Atomics.load(status, L.JOB_STATE) === L.JOB_ENDED) break;
    if (Atomics.compareExchange(status, i + 1, L.PENDING, L.WORKING) !== L.PENDING) continue; // the executor took it
    Atomics.store(status, i + 1, decode(job, i));
    Atomics.notify(status, i + 1);
  }
}

parentPort!.on('message', (job: L.JobMessage) => run(job));
parentPort!.postMessage(L.READY);
