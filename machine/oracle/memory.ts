// An oracle over an in-memory pre-state (for state tests, tools and unit tests). It serves what
// a state database would: account-properties hashes at (0x8003, address), preimages, slots.
import { bytesToBigInt, hexToBigInt, hexToBytes } from '../common/bytes.ts';
import { ACCOUNT_PROPERTIES_STORAGE_ADDRESS, defaultProperties, encodeProperties, evmCodeProperties } from '../system/account.ts';
import { blake2s } from '../crypto/index.ts';
import { hashKey } from '../system/io.ts';
import { OracleError, type BlockMetadata, type InitialSlot, type Oracle } from './types.ts';
import { TxQueue } from './tx-queue.ts';

export interface PreStateAccount {
  balance: bigint;
  nonce: bigint;
  code: Uint8Array;
  storage: Map<bigint, bigint>;
}

/** The JSON shape used by the Ethereum tests' `pre` section. */
export interface PreStateJson {
  [address: string]: { balance: string; nonce: string; code: string; storage: Record<string, string> };
}

export function parsePreState(json: PreStateJson): Map<bigint, PreStateAccount> {
  const out = new Map<bigint, PreStateAccount>();
  for (const [addr, a] of Object.entries(json)) {
    const storage = new Map<bigint, bigint>();
    for (const [k, v] of Object.entries(a.storage ?? {})) {
      const value = hexToBigInt(v);
      if (value !== 0n) storage.set(hexToBigInt(k), value);
    }
    out.set(hexToBigInt(addr), { balance: hexToBigInt(a.balance), nonce: hexToBigInt(a.nonce), code: hexToBytes(a.code ?? '0x'), storage });
  }
  return out;
}

export class InMemoryOracle implements Oracle {
  private readonly accountHashes = new Map<bigint, bigint>();
  private readonly preimages = new Map<string, Uint8Array>();
  private readonly storage = new Map<bigint, Map<bigint, bigint>>();
  private readonly queue: TxQueue;

  constructor(
    accounts: Map<bigint, PreStateAccount>,
    private readonly metadata: BlockMetadata,
    txs: Uint8Array[],
  ) {
    this.queue = new TxQueue(txs);
    for (const [address, a] of accounts) {
      let props = { ...defaultProperties(), nonce: a.nonce, balance: a.balance };
      if (a.code.length > 0) {
        props = evmCodeProperties(props, a.code);
        this.preimages.set(hashKey(props.bytecodeHash), a.code);
      }
      const encoding = encodeProperties(props);
      const h = blake2s(encoding);
      this.preimages.set(hashKey(h), encoding);
      this.accountHashes.set(address, bytesToBigInt(h));
      this.storage.set(address, a.storage);
    }
  }

  nextTxSize(): number {
    return this.queue.nextTxSize();
  }

  nextTxContent(): Uint8Array {
    return this.queue.nextTxContent();
  }

  blockMetadata(): BlockMetadata {
    return this.metadata;
  }

  initialStorageSlot(address: bigint, key: bigint): InitialSlot {
    if (address === ACCOUNT_PROPERTIES_STORAGE_ADDRESS) {
      const h = this.accountHashes.get(key);
      return h === undefined ? { isNew: true, value: 0n } : { isNew: false, value: h };
    }
    const v = this.storage.get(address)?.get(key);
    return v === undefined ? { isNew: true, value: 0n } : { isNew: false, value: v };
  }

  accountHasStorage(address: bigint): boolean {
    return (this.storage.get(address)?.size ?? 0) > 0;
  }

  preimage(hash: Uint8Array): Uint8Array {
    const p = this.preimages.get(hashKey(hash));
    if (p === undefined) throw new OracleError('UNKNOWN_PREIMAGE', `no preimage for ${hashKey(hash)}`);
    return p;
  }
}
