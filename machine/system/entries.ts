// What the IO subsystem caches per account and per slot, and the helpers around them.
import { bytesToBigInt } from '../common/bytes.ts';
import { blake2s } from '../crypto/index.ts';
import type { AccountProperties } from './account.ts';

export interface Log {
  address: bigint;
  topics: bigint[];
  data: Uint8Array;
}

export class SlotEntry {
  /** Value at block start, as the oracle said. */
  initial: bigint;
  value: bigint;
  /** Value at the start of the transaction `originalTx` (EIP-2200's "original"). */
  original: bigint;
  originalTx = -1;
  warmTx = -1;
  constructor(
    readonly key: bigint,
    readonly isNew: boolean,
    initial: bigint,
  ) {
    this.initial = initial;
    this.value = initial;
    this.original = initial;
  }
}

export class AccountEntry {
  props: AccountProperties;
  code: Uint8Array | null = null;
  warmTx = -1;
  touchedTx = -1;
  createdTx = -1;
  destructTx = -1;
  /** Set once the account was deleted in this block; later slot reads start from zero. */
  storageCleared = false;
  /** The oracle's answer to query 10, asked at most once (EIP-7610). */
  hadStorage: boolean | undefined = undefined;
  /** The code was set by the contract deployer hook: pubdata carries its hash, not its bytes. */
  bytecodeNotPublished = false;
  readonly storage = new Map<bigint, SlotEntry>();
  constructor(
    readonly address: bigint,
    readonly initial: AccountProperties,
    /** The oracle's slot value at (0x8003, address): zero for an account never written. */
    readonly initialHash: bigint,
    /** What the oracle said: no leaf for (0x8003, address) in the tree (proving verifies it). */
    readonly initialIsNew = initialHash === 0n,
  ) {
    this.props = { ...initial };
  }
}

export function isEmpty(p: AccountProperties): boolean {
  return p.nonce === 0n && p.balance === 0n && p.bytecodeLen === 0;
}

export function hashKey(h: Uint8Array): string {
  return bytesToBigInt(h).toString(16);
}

/** Used by tests and tools to compute the key under which a code preimage is served. */
export function codeHash(code: Uint8Array): Uint8Array {
  return blake2s(code);
}
