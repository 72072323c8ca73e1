// Shared pieces of the zkos-vs-ethereumjs suite: the Cancun block context both engines run in,
// signing, timing helpers, and the MPT state root of a state tracked from zkos's block diffs.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bigIntToBytes, bytesToHex } from '../../machine/common/bytes.ts';
import { keccak256 } from '../../machine/crypto/index.ts';
import type { BlockOutput } from '../../machine/bootloader/types.ts';
import type { BlockMetadata } from '../../machine/oracle/types.ts';
import { EMPTY_CODE_HASH, ethereumStateRoot } from '../../machine/tree/mpt.ts';

export const COINBASE = BigInt('0x' + 'c0'.repeat(20));
export const BASE_FEE = 7n;
export const BLOCK_GAS_LIMIT = 1_000_000_000n;
export const MAX_FEE = 1_000_000_000n;
export const TIP = 100_000_000n;

/** The peers' folder: $ZKOS_PEERS, else ../shared/peers next to the repository; null if absent. */
export function peersDir(): string | null {
  const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const dir = process.env.ZKOS_PEERS ?? resolve(repo, '..', 'shared', 'peers');
  return existsSync(resolve(dir, 'erc20.json')) && existsSync(resolve(dir, 'compute.json')) ? dir : null;
}

export function keyOf(n: bigint): Uint8Array {
  return bigIntToBytes(n, 32);
}

/** Header of block n as the scenarios give it: timestamp 1700000000+12n, gasLimit 1e9, baseFee 7. */
export function zkosMeta(n: bigint): BlockMetadata {
  return {
    chainId: 1n, blockNumber: n, timestamp: 1_700_000_000n + 12n * n, blockHashes: new Array<bigint>(256).fill(0n), eip1559BaseFee: BASE_FEE,
    gasPerPubdata: 0n, nativePrice: 1n, coinbase: COINBASE, gasLimit: BLOCK_GAS_LIMIT, mixHash: 0n, blobBaseFee: 1n,
  };
}

export function hex(b: Uint8Array): string {
  return bytesToHex(b);
}

interface TrackedAccount {
  nonce: bigint;
  balance: bigint;
  codeHash: Uint8Array;
  storage: Map<bigint, bigint>;
}

/** The Ethereum view of a zkos state, kept by applying each block's diff (outside any timing). */
export class MptTracker {
  private readonly accounts = new Map<bigint, TrackedAccount>();

  constructor(prefund: Iterable<[bigint, { nonce: bigint; balance: bigint }]>) {
    for (const [a, v] of prefund) this.accounts.set(a, { nonce: v.nonce, balance: v.balance, codeHash: EMPTY_CODE_HASH, storage: new Map() });
  }

  apply(out: BlockOutput): void {
    for (const d of out.stateDiff) {
      const existing = this.accounts.get(d.address);
      const storage = d.storageCleared || existing === undefined ? new Map<bigint, bigint>() : existing.storage;
      for (const [k, v] of d.storage) {
        if (v === 0n) storage.delete(k);
        else storage.set(k, v);
      }
      const codeHash = d.code !== null ? (d.code.length ? keccak256(d.code) : EMPTY_CODE_HASH) : (existing?.codeHash ?? EMPTY_CODE_HASH);
      const empty = d.nonce === 0n && d.balance === 0n && codeHash === EMPTY_CODE_HASH && storage.size === 0;
      if (empty) {
        this.accounts.delete(d.address);
        continue;
      }
      this.accounts.set(d.address, { nonce: d.nonce, balance: d.balance, codeHash, storage });
    }
  }

  root(): string {
    return hex(ethereumStateRoot([...this.accounts].map(([address, a]) => ({ address, ...a }))));
  }
}
