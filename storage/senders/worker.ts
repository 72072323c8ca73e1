// The sender-recovery worker: for each transaction of a block, in order, it runs the decoding a
// profile runs (which recovers the signer through machine/crypto) and publishes each recovery
// into the job's shared slots, so the executor on the main thread finds it done.
import { parentPort } from 'node:worker_threads';
import { initCrypto, recoverCompact, setRecoveryAhead } from '../../machine/crypto/index.ts';
import { decodeEthereumTransaction } from '../../machine/tx/ethereum.ts';
import { decodeZkTransaction, recoverZkSigner } from '../../machine/tx/zksync/index.ts';
import { NO_KEY, NONE, OFF_HASH, OFF_PUB, OFF_RECID, OFF_SIG, RECOVERED, SLOT_BYTES, type JobMessage } from './layout.ts';

await initCrypto();

function run(job: JobMessage): void {
  const status = new Int32Array(job.status);
  const slots = new Uint8Array(job.slots);
  let current = -1;
  let recorded = false;
  setRecoveryAhead({
    lookup(hash, sig, recid) {
      const pub = recoverCompact(hash, sig, recid);
      // Only a transaction's first recovery is published: that is the one the executor asks for.
      if (current >= 0 && !recorded) {
        const at = current * SLOT_BYTES;
        slots.set(hash, at + OFF_HASH);
        slots.set(sig, at + OFF_SIG);
        slots[at + OFF_RECID] = recid;
        if (pub !== null) slots.set(pub, at + OFF_PUB);
        recorded = true;
        Atomics.store(status, current + 1, pub === null ? NO_KEY : RECOVERED);
        Atomics.notify(status, current + 1);
      }
      return pub;
    },
  });
  Atomics.store(status, 0, 1);
  Atomics.notify(status, 0);
  for (let i = 0; i < job.txs.length; i++) {
    current = i;
    recorded = false;
    try {
      if (job.profile === 'zksync') {
        const tx = decodeZkTransaction(job.txs[i]);
        recoverZkSigner(tx, job.chainId);
      } else decodeEthereumTransaction(job.txs[i]);
    } catch {
      // Undecodable: the machine rejects it by itself; nothing to publish.
    }
    if (!recorded) {
      Atomics.store(status, i + 1, NONE);
      Atomics.notify(status, i + 1);
    }
  }
  current = -1;
}

parentPort!.on('message', (job: JobMessage) => run(job));
