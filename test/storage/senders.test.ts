// Sender recovery ahead of execution, on a worker thread or in one batch on the main thread: a
// chain that recovers signers ahead stores exactly what one recovering inline stores (with
// undecodable transactions, a signature tampered into another signer, and the ecrecover precompile
// in the mix), and a RecoveryJob answers only for the exact hash, signature and recid it recovered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '../../machine/common/bytes.ts';
import { EthereumProfile } from '../../machine/bootloader/ethereum.ts';
import { keccak256, recoverPublicKey, setRecoveryAhead } from '../../machine/crypto/index.ts';
import { decodeEthereumTransaction } from '../../machine/tx/ethereum.ts';
import { openChain } from '../../storage/chain.ts';
import { RecoveryJob, RecoveryThread, SenderRecovery } from '../../storage/senders/pool.ts';
import { BOB, genesisAccounts, scenario, tempDir, type TempDir } from './helpers.ts';
import { tx } from '../helpers/chain.ts';

let tmp: TempDir;
let pool: SenderRecovery;
beforeAll(() => {
  tmp = tempDir();
  pool = new SenderRecovery();
});
afterAll(() => {
  pool.close();
  tmp.cleanup();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the worker has settled every transaction of the job (none pending or in work). */
async function settled(job: RecoveryJob): Promise<void> {
  const status = (job as unknown as { status: Int32Array }).status;
  for (let i = 0; i < 200; i++) {
    if (job.started && status.slice(1).every((st) => st !== 0 && st !== 4)) return;
    await sleep(10);
  }
  throw new Error('the recovery worker did not finish the job');
}

describe('sender recovery on a worker thread', () => {
  it('a job answers its transactions in order and nothing else', async () => {
    expect(await pool.ready()).toBe(true);
    const txs = scenario()[1].txs;
    const job = pool.start(txs, 'ethereum', 1n)!;
    await settled(job);
    const decoded = txs.map((raw) => decodeEthereumTransaction(raw));
    // Another message hash with the first signature: not the worker's recovery.
    const sig = new Uint8Array(64);
    const t0 = decoded[0];
    sig.set(hexToBytes(t0.r.toString(16).padStart(64, '0')), 0);
    sig.set(hexToBytes(t0.s.toString(16).padStart(64, '0')), 32);
    const recid = Number(t0.v >= 35n ? (t0.v - 35n) % 2n : t0.v >= 27n ? t0.v - 27n : t0.v);
    expect(job.lookup(keccak256(new Uint8Array([1])), sig, recid)).toBeUndefined();
    const prev = setRecoveryAhead(job);
    try {
      // Each from the worker's slot (signer, hash, signing hash), equal to decoding here.
      const again = txs.map((raw) => decodeEthereumTransaction(raw.slice()));
      expect(again).toEqual(decoded);
    } finally {
      setRecoveryAhead(prev);
    }
    expect(job.hits).toBe(txs.length);
    expect(recoverPublicKey(t0.signingHash, t0.r, t0.s, recid)).not.toBeNull();
  });

  it('a chain recovering ahead stores the same blocks as one recovering inline', async () => {
    const blocks = scenario();
    const good = blocks[0].txs[0];
    const tampered = good.slice();
    tampered[tampered.length - 5] ^= 0x01; // s changed: another signer (or none)
    const ecrecoverInput = new Uint8Array(128).fill(3);
    ecrecoverInput.fill(0, 32, 63);
    ecrecoverInput[63] = 27; // hash 0x0303…, v 27, r and s 0x0303…
    // Undecodable; tampered; a call of the ecrecover precompile (a recovery no job knows); a transfer.
    const extra = [hexToBytes('0x02c0'), tampered, tx({ nonce: 7n, to: 0x1n, data: ecrecoverInput }), tx({ nonce: 8n, to: BOB, value: 1n })];
    blocks[2].txs.push(...extra);
    const digests: string[][] = [];
    for (const mode of ['inline', 'batch', 'worker'] as const) {
      const recoverSenders = mode === 'worker';
      const chain = openChain(tmp.file(`s-${mode}.db`), { recoverSenders, batchRecovery: mode === 'batch' });
      try {
        chain.genesis(genesisAccounts(), { chainId: 1n });
        if (recoverSenders) expect(await chain.sendersReady()).toBe(true); // so the jobs are really used
        const recovered: Array<{ hits: number; misses: number } | null> = [];
        for (const b of blocks) {
          if (recoverSenders) {
            // Announced, and left to the worker until it is done: its answers are really used.
            const job = (chain as unknown as { senders: SenderRecovery }).senders.prepare(b.txs, 'ethereum', 1n);
            if (job !== null) await settled(job);
          }
          chain.executeBlock(b.meta, b.txs, new EthereumProfile());
          recovered.push(chain.lastRecovery);
        }
        if (mode !== 'inline') {
          // Ahead of the block (after the worker loaded): signers come from the job; the precompile's recovery never does.
          expect(recovered[3]).toBeNull(); // an empty block needs no job
          expect(recovered.reduce((a, r) => a + (r?.hits ?? 0), 0)).toBe(blocks.reduce((a, b) => a + b.txs.length, 0) - 1); // all but the undecodable
          expect(recovered[2]!.misses).toBeGreaterThanOrEqual(1);
        } else expect(recovered.every((r) => r === null)).toBe(true);
        digests.push(blocks.map((_b, i) => bytesToHex(chain.reader.block(i + 1)!.outputDigest)));
        for (let n = 1; n <= chain.head(); n++) expect(chain.replayBlock(n).identical).toBe(true);
      } finally {
        chain.close();
      }
    }
    expect(digests[1]).toEqual(digests[0]);
    expect(digests[2]).toEqual(digests[0]);
  });

  it('the executor takes what the worker has not reached, and the worker then skips it', async () => {
    const fresh = new SenderRecovery(new RecoveryThread()); // its own, still loading: nothing is done ahead
    try {
      const txs = scenario()[1].txs;
      const decoded = txs.map((raw) => decodeEthereumTransaction(raw));
      const job = fresh.start(txs, 'ethereum', 1n)!;
      const prev = setRecoveryAhead(job);
      try {
        expect(txs.map((raw) => decodeEthereumTransaction(raw))).toEqual(decoded);
      } finally {
        setRecoveryAhead(prev);
      }
      expect(job.hits).toBe(0);
      // One miss per transaction recovered here: signer() finding nothing is not counted again.
      expect(job.misses).toBe(txs.length);
      expect(await fresh.ready()).toBe(true);
      await settled(job);
      // Every slot was taken by the executor (5): the worker recovered none of them again.
      expect([...(job as unknown as { status: Int32Array }).status.slice(1)]).toEqual(txs.map(() => 5));
    } finally {
      fresh.close();
    }
  });

  it('a block announced with prepare is recovered before it runs', async () => {
    const blocks = scenario();
    const chain = openChain(tmp.file('prepare.db'), { recoverSenders: true });
    try {
      chain.genesis(genesisAccounts(), { chainId: 1n });
      expect(await chain.sendersReady()).toBe(true);
      chain.prepare(blocks[0].txs, 'ethereum', 1n);
      await sleep(300);
      chain.executeBlock(blocks[0].meta, blocks[0].txs, new EthereumProfile());
      expect(chain.lastRecovery).toEqual({ hits: blocks[0].txs.length, misses: 0 });
      for (let n = 1; n <= chain.head(); n++) expect(chain.replayBlock(n).identical).toBe(true);
    } finally {
      chain.close();
    }
  });

  it('chains of one process share one worker thread, which outlives each chain', async () => {
    const threadOf = (c: ReturnType<typeof openChain>) => (c as unknown as { senders: { thread: RecoveryThread } }).senders.thread;
    const blocks = scenario();
    const first = openChain(tmp.file('share-1.db'), { recoverSenders: true });
    const thread = threadOf(first);
    expect(thread).toBe(RecoveryThread.shared());
    first.close();
    const second = openChain(tmp.file('share-2.db'), { recoverSenders: true });
    try {
      expect(threadOf(second)).toBe(thread);
      second.genesis(genesisAccounts(), { chainId: 1n });
      expect(await second.sendersReady()).toBe(true); // closing the first chain did not stop it
      second.prepare(blocks[0].txs, 'ethereum', 1n);
      await sleep(300);
      second.executeBlock(blocks[0].meta, blocks[0].txs, new EthereumProfile());
      expect(second.lastRecovery).toEqual({ hits: blocks[0].txs.length, misses: 0 });
    } finally {
      second.close();
    }
    // A thread that was terminated is not handed out again.
    const own = new RecoveryThread();
    own.terminate();
    expect(own.post({ status: new SharedArrayBuffer(8), slots: new SharedArrayBuffer(0), txs: [], profile: 'ethereum', chainId: 1n })).toBe(false);
  });
});
