// Fixtures for the oracle tests: block metadata, a small pre-state behind InMemoryOracle, a tree
// for the proving queries, and a scripted run that asks every kind of query.
import { bigIntToBytes } from '../../machine/common/bytes.ts';
import { blake2s } from '../../machine/crypto/index.ts';
import { InMemoryOracle, type PreStateAccount } from '../../machine/oracle/memory.ts';
import { withProofs, type ProvingOracle } from '../../machine/oracle/proving.ts';
import type { BlockMetadata } from '../../machine/oracle/types.ts';
import { FlatTree, treeProofSource } from '../../machine/tree/flat/index.ts';
import { ACCOUNT_PROPERTIES_STORAGE_ADDRESS, defaultProperties, encodeProperties, evmCodeProperties } from '../../machine/system/account.ts';

export const ALICE = 0x1111111111111111111111111111111111111111n;
export const CONTRACT = 0xc0de00000000000000000000000000000000c0den;
/** 5 bytes: a blob whose length is not a multiple of 8 (reference §4.5 test vector). */
export const CODE = new Uint8Array([0x01, 0x23, 0x45, 0x67, 0x89]);
/** Transaction bodies of lengths 3, 13, 32 (len mod 8 = 3, 5, 0). */
export const TXS = [new Uint8Array([0xaa, 0xbb, 0xcc]), Uint8Array.from({ length: 13 }, (_, i) => 0x10 + i), Uint8Array.from({ length: 32 }, (_, i) => 0xf0 - i)];

export function metadata(overrides: Partial<BlockMetadata> = {}): BlockMetadata {
  return {
    chainId: 270n,
    blockNumber: 0x0123456789abcdefn,
    timestamp: 1_700_000_000n,
    blockHashes: Array.from({ length: 256 }, (_, k) => (k === 0 ? 0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20n : BigInt(k) * 0x1000000000000000000000001n)),
    eip1559BaseFee: 1_000_000_007n,
    gasPerPubdata: 800n,
    nativePrice: 10n,
    coinbase: 0xdeadbeefcafebabe0123456789abcdef01234567n,
    gasLimit: 30_000_000n,
    mixHash: (1n << 255n) | 0x77n,
    blobBaseFee: 1n,
    ...overrides,
  };
}

export function preState(): Map<bigint, PreStateAccount> {
  return new Map<bigint, PreStateAccount>([
    [ALICE, { balance: 10n ** 18n, nonce: 3n, code: new Uint8Array(0), storage: new Map() }],
    [CONTRACT, { balance: 0n, nonce: 1n, code: CODE, storage: new Map([[1n, 0xabcdefn]]) }],
  ]);
}

export function accountHash(address: bigint): Uint8Array {
  const a = preState().get(address)!;
  let props = { ...defaultProperties(), nonce: a.nonce, balance: a.balance };
  if (a.code.length > 0) props = evmCodeProperties(props, a.code);
  return blake2s(encodeProperties(props));
}

export const key = (b: number): Uint8Array => new Uint8Array(32).fill(b);

/** A tree with three leaves besides the guards (indices 2, 3, 4 for keys 0x10…, 0x20…, 0x30…). */
export function tree(): FlatTree {
  const t = new FlatTree();
  t.applyBatch([
    { key: key(0x10), value: key(1) },
    { key: key(0x20), value: key(2) },
    { key: key(0x30), value: key(3) },
  ]);
  return t;
}

export function provingOracle(meta = metadata(), txs = TXS): ProvingOracle {
  const t = tree();
  return withProofs(new InMemoryOracle(preState(), meta, txs), t.commitment(), treeProofSource(t));
}

/** Asks every kind of query in a plausible block order; returns the answers in order. */
export function script(o: ProvingOracle): unknown[] {
  const out: unknown[] = [];
  out.push(o.blockMetadata());
  for (;;) {
    const size = o.nextTxSize();
    out.push(size);
    if (size === 0) break;
    out.push(o.nextTxContent());
    if (out.length === 3) {
      out.push(o.initialStorageSlot(ACCOUNT_PROPERTIES_STORAGE_ADDRESS, ALICE));
      out.push(o.preimage(accountHash(ALICE)));
      out.push(o.initialStorageSlot(ACCOUNT_PROPERTIES_STORAGE_ADDRESS, CONTRACT));
      out.push(o.initialStorageSlot(CONTRACT, 1n));
      out.push(o.initialStorageSlot(CONTRACT, 2n));
    }
  }
  out.push(o.ioImplementerInit());
  out.push(o.preimage(blake2s(CODE)));
  const i = o.exactIndex(key(0x20));
  out.push(i, o.proofForIndex(i));
  const p = o.prevIndex(key(0x25));
  out.push(p, o.proofForIndex(p));
  o.disconnect();
  return out;
}

export const u256Bytes = (v: bigint): Uint8Array => bigIntToBytes(v, 32);
