// State with history: the tree-level state (account-properties hashes at (0x8003, address), slots)
// as of any stored block, and the preimages behind the hashes. The value of a slot as of block n
// is the slot_history row with the greatest block <= n; no row means never written.
import type { Statement } from 'better-sqlite3';
import type { StorageWrite } from '../machine/bootloader/types.ts';
import { bytesToBigInt } from '../machine/common/bytes.ts';
import { blake2s } from '../machine/crypto/index.ts';
import type { PreStateAccount } from '../machine/oracle/memory.ts';
import type { InitialSlot } from '../machine/oracle/types.ts';
import {
  ACCOUNT_PROPERTIES_STORAGE_ADDRESS,
  decodeProperties,
  defaultProperties,
  encodeProperties,
  evmCodeProperties,
  KECCAK_EMPTY,
  ZERO_HASH,
  type AccountProperties,
} from '../machine/system/account.ts';
import { byAddressKey } from './digest.ts';
import { addressBlob, asBuffer, bytesOf, toBigInt, wordBlob } from './columns.ts';
import type { Db } from './db.ts';
import { ChainError } from './errors.ts';

export interface AccountState {
  address: bigint;
  nonce: bigint;
  balance: bigint;
  /** keccak of the code, as the state diff reports it (zero hash for an account never deployed). */
  codeHash: Uint8Array;
  code: Uint8Array;
  properties: AccountProperties;
  /** blake2s of the properties encoding: the value at (0x8003, address). */
  propertiesHash: Uint8Array;
}

export interface Preimage {
  hash: Uint8Array;
  bytes: Uint8Array;
}

/** Reads of the state tables; every method takes the block the state is wanted as of. */
export class StateView {
  private readonly slotStmt: Statement<[Uint8Array, Uint8Array, number], Buffer>;
  private readonly preimageStmt: Statement<[Uint8Array], Buffer>;
  private readonly hasStorageStmt: Statement<[Uint8Array, number, number], number>;

  constructor(db: Db) {
    // Any slot of the account whose latest value as of the block is non-zero (EIP-7610).
    this.hasStorageStmt = db
      .prepare<[Uint8Array, number, number], number>(
        `SELECT 1 FROM slot_history h WHERE h.address = ? AND h.block <= ? AND h.value != zeroblob(32)
           AND h.block = (SELECT MAX(block) FROM slot_history l WHERE l.address = h.address AND l.key = h.key AND l.block <= ?) LIMIT 1`,
      )
      .pluck();
    this.slotStmt = db
      .prepare<[Uint8Array, Uint8Array, number], Buffer>('SELECT value FROM slot_history WHERE address = ? AND key = ? AND block <= ? ORDER BY block DESC LIMIT 1')
      .pluck();
    this.preimageStmt = db.prepare<[Uint8Array], Buffer>('SELECT bytes FROM preimages WHERE hash = ?').pluck();
  }

  /** What InitialStorageSlot answers for a block whose parent is `block`. */
  slotAt(address: bigint, key: bigint, block: number): InitialSlot {
    const v = this.slotStmt.get(addressBlob(address), wordBlob(key), block);
    return v === undefined ? { isNew: true, value: 0n } : { isNew: false, value: toBigInt(v) };
  }

  /** Whether the account had any non-zero slot after `block` (oracle query 10). */
  hasStorageAt(address: bigint, block: number): boolean {
    return this.hasStorageStmt.get(addressBlob(address), block, block) !== undefined;
  }

  storageAt(address: bigint, key: bigint, block: number): bigint {
    return this.slotAt(address, key, block).value;
  }

  preimage(hash: Uint8Array): Uint8Array | null {
    const b = this.preimageStmt.get(hash);
    return b === undefined ? null : bytesOf(b);
  }

  /** The account as of `block`; null when its properties slot was never written. */
  accountAt(address: bigint, block: number): AccountState | null {
    const slot = this.slotAt(ACCOUNT_PROPERTIES_STORAGE_ADDRESS, address, block);
    if (slot.isNew) return null;
    const propertiesHash = wordBlob(slot.value);
    const encoding = this.preimage(propertiesHash);
    if (encoding === null) throw new ChainError('MISSING_PREIMAGE', `account ${hexAddress(address)} at block ${block}: no preimage for properties hash 0x${asBuffer(propertiesHash).toString('hex')}`);
    const p = decodeProperties(encoding);
    let code: Uint8Array = new Uint8Array(0);
    if (p.bytecodeLen > 0) {
      const bytes = this.preimage(p.bytecodeHash);
      if (bytes === null) throw new ChainError('MISSING_PREIMAGE', `account ${hexAddress(address)} at block ${block}: no bytecode preimage`);
      code = bytes.subarray(0, p.bytecodeLen);
    }
    // As the state diff reports it (machine/bootloader/block.ts).
    const codeHash = p.observableLen !== 0 ? p.observableHash : p.versioning === 0n && p.bytecodeLen === 0 ? ZERO_HASH : KECCAK_EMPTY;
    return { address, nonce: p.nonce, balance: p.balance, codeHash, code, properties: p, propertiesHash };
  }
}

/**
 * The genesis state as the tree holds it, built exactly as InMemoryOracle builds its pre-state:
 * per account the hash of its properties encoding at (0x8003, address) and the encoding as a
 * preimage, the code as a preimage, every given slot (zero values included, as given).
 */
export function genesisState(accounts: ReadonlyMap<bigint, PreStateAccount>): { writes: StorageWrite[]; preimages: Preimage[] } {
  const writes: StorageWrite[] = [];
  const preimages: Preimage[] = [];
  const addresses = [...accounts.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const address of addresses) {
    const a = accounts.get(address)!;
    let props = { ...defaultProperties(), nonce: a.nonce, balance: a.balance };
    if (a.code.length > 0) {
      props = evmCodeProperties(props, a.code);
      preimages.push({ hash: props.bytecodeHash, bytes: a.code });
    }
    const encoding = encodeProperties(props);
    const hash = blake2s(encoding);
    preimages.push({ hash, bytes: encoding });
    writes.push({ address: ACCOUNT_PROPERTIES_STORAGE_ADDRESS, key: address, value: bytesToBigInt(hash) });
    const slots = [...a.storage.entries()].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
    for (const [key, value] of slots) writes.push({ address, key, value });
  }
  writes.sort(byAddressKey);
  return { writes, preimages };
}

export function hexAddress(a: bigint): string {
  return '0x' + a.toString(16).padStart(40, '0');
}
