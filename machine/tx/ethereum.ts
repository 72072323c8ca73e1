// Decoding signed Ethereum transactions: legacy (with and without EIP-155), EIP-2930 (0x01),
// EIP-1559 (0x02) and EIP-4844 (0x03, canonical form without the blob sidecar).
//
// The decoder checks everything that is a property of the bytes alone: canonical RLP, field
// counts and widths, address and key sizes, and the signature (ranges, EIP-2 low s, recovery).
// It does not check the chain id, the nonce against state, fees against the block or intrinsic gas:
// those belong to validation (see validity.ts and the bootloader). Failures are TxDecodeError, with
// codes listed in types.ts.
import { bytesToBigInt, writeBigInt } from '../common/bytes.ts';
import {
  rlpDecode,
  rlpDecodeAddress,
  rlpDecodeFixedBytes,
  rlpDecodeUint,
  rlpExpectBytes,
  rlpExpectList,
  RlpError,
  rlpWrapList,
  type RlpItem,
} from '../common/rlp.ts';
import { keccak256, publicKeyToAddress, recoverCompactBatch, recoverPublicKey, SECP256K1_N, signerAhead } from '../crypto/index.ts';
import { signingHashOf } from './encode.ts';
import {
  TX_TYPE_EIP1559,
  TX_TYPE_EIP2930,
  TX_TYPE_EIP4844,
  TX_TYPE_LEGACY,
  TxDecodeError,
  type AccessListItem,
  type Transaction,
  type TransactionFields,
  type TxDecodeErrorCode,
} from './types.ts';

const HALF_N = SECP256K1_N / 2n;
/** Nonce and gas limit are 64-bit quantities (as in every Ethereum client). */
const U64_BYTES = 8;
const U256_BYTES = 32;

/** Field counts of the signed list, by type. */
const FIELD_COUNT: Record<number, number> = {
  [TX_TYPE_LEGACY]: 9,
  [TX_TYPE_EIP2930]: 11,
  [TX_TYPE_EIP1559]: 12,
  [TX_TYPE_EIP4844]: 14,
};

const RLP_TO_TX: Partial<Record<RlpError['code'], TxDecodeErrorCode>> = {
  RLP_EXPECTED_STRING: 'TX_BAD_FIELD_TYPE',
  RLP_EXPECTED_LIST: 'TX_BAD_FIELD_TYPE',
  RLP_LEADING_ZERO: 'TX_LEADING_ZERO',
  RLP_INTEGER_TOO_LARGE: 'TX_FIELD_TOO_LONG',
  RLP_BAD_ADDRESS_LENGTH: 'TX_BAD_ADDRESS',
};

/** An RlpError about `field` as a TxDecodeError; anything else as it is. */
function asTxError(e: unknown, field: string, fallback: TxDecodeErrorCode): unknown {
  if (!(e instanceof RlpError)) return e;
  const code = RLP_TO_TX[e.code] ?? fallback;
  return new TxDecodeError(code, `${field}: ${e.message}`, { field, cause: e });
}

/** Runs an RLP step, turning an RlpError into a TxDecodeError about `field` (cold paths only: it allocates a closure). */
function guard<T>(field: string, fallback: TxDecodeErrorCode, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw asTxError(e, field, fallback);
  }
}

/** Reads the fields of a decoded transaction list in order. */
class Fields {
  private i = 0;
  constructor(private readonly items: RlpItem[]) {}

  private next(): RlpItem {
    return this.items[this.i++];
  }

  uint(name: string, maxBytes = U256_BYTES): bigint {
    const item = this.next();
    try {
      return rlpDecodeUint(item, name, maxBytes);
    } catch (e) {
      throw asTxError(e, name, 'TX_RLP');
    }
  }

  to(allowCreate: boolean): bigint | null {
    const item = this.next();
    let to: bigint | null;
    try {
      to = rlpDecodeAddress(item, 'to', true);
    } catch (e) {
      throw asTxError(e, 'to', 'TX_RLP');
    }
    if (to === null && !allowCreate) throw new TxDecodeError('TX_BLOB_CREATE', 'blob transactions cannot create contracts', { field: 'to' });
    return to;
  }

  /**
   * A view into the transaction's bytes, not a copy: those are the block's, kept as long as it
   * is, and nothing writes to them (a copy of a calldata over 64 bytes cost ~1 µs, a third of decoding a transfer).
   */
  bytes(name: string): Uint8Array {
    const item = this.next();
    try {
      return rlpExpectBytes(item, name);
    } catch (e) {
      throw asTxError(e, name, 'TX_RLP');
    }
  }

  accessList(): AccessListItem[] {
    const item = this.next();
    const list = guard('accessList', 'TX_RLP', () => rlpExpectList(item, 'accessList'));
    return list.map((entry, i) => {
      const what = `accessList[${i}]`;
      const pair = guard(what, 'TX_RLP', () => rlpExpectList(entry, what));
      if (pair.length !== 2) throw new TxDecodeError('TX_BAD_FIELD_COUNT', `${what} has ${pair.length} items, expected 2`, { field: what });
      const address = guard(`${what}.address`, 'TX_RLP', () => rlpDecodeAddress(pair[0], `${what}.address`)) as bigint;
      const keys = guard(`${what}.storageKeys`, 'TX_RLP', () => rlpExpectList(pair[1], `${what}.storageKeys`));
      const storageKeys = keys.map((k, j) =>
        bytesToBigInt(guard(`${what}.storageKeys[${j}]`, 'TX_BAD_STORAGE_KEY', () => rlpDecodeFixedBytes(k, 32, `${what}.storageKeys[${j}]`))),
      );
      return { address, storageKeys };
    });
  }

  blobHashes(): Uint8Array[] {
    const item = this.next();
    const list = guard('blobVersionedHashes', 'TX_RLP', () => rlpExpectList(item, 'blobVersionedHashes'));
    return list.map((h, i) =>
      guard(`blobVersionedHashes[${i}]`, 'TX_BAD_BLOB_HASH', () => rlpDecodeFixedBytes(h, 32, `blobVersionedHashes[${i}]`)).slice(),
    );
  }
}

function decodeList(body: Uint8Array): RlpItem[] {
  const item = guard('transaction', 'TX_RLP', () => rlpDecode(body));
  if (item instanceof Uint8Array) throw new TxDecodeError('TX_NOT_A_LIST', 'the transaction is an RLP string, expected a list');
  return item;
}

function checkFieldCount(type: number, items: RlpItem[]): void {
  const want = FIELD_COUNT[type];
  if (items.length !== want) {
    throw new TxDecodeError('TX_BAD_FIELD_COUNT', `type ${type} transaction has ${items.length} fields, expected ${want}`);
  }
}

function decodeLegacy(items: RlpItem[]): { fields: TransactionFields; v: bigint; recid: number; r: bigint; s: bigint } {
  checkFieldCount(TX_TYPE_LEGACY, items);
  const f = new Fields(items);
  const nonce = f.uint('nonce', U64_BYTES);
  const gasPrice = f.uint('gasPrice');
  const gasLimit = f.uint('gasLimit', U64_BYTES);
  const to = f.to(true);
  const value = f.uint('value');
  const data = f.bytes('data');
  const v = f.uint('v');
  const r = f.uint('r');
  const s = f.uint('s');
  let chainId: bigint | null;
  let recid: number;
  if (v === 27n || v === 28n) {
    chainId = null;
    recid = Number(v - 27n);
  } else if (v >= 35n) {
    chainId = (v - 35n) >> 1n;
    recid = Number((v - 35n) & 1n);
  } else {
    throw new TxDecodeError('TX_INVALID_V', `legacy v = ${v} is neither 27/28 nor chainId*2+35/36`, { field: 'v' });
  }
  const fields: TransactionFields = {
    type: TX_TYPE_LEGACY,
    chainId,
    nonce,
    gasLimit,
    maxFeePerGas: gasPrice,
    maxPriorityFeePerGas: gasPrice,
    to,
    value,
    data,
    accessList: [],
    maxFeePerBlobGas: 0n,
    blobVersionedHashes: [],
  };
  return { fields, v, recid, r, s };
}

function decodeTyped(type: number, items: RlpItem[]): { fields: TransactionFields; v: bigint; recid: number; r: bigint; s: bigint } {
  checkFieldCount(type, items);
  const f = new Fields(items);
  const chainId = f.uint('chainId');
  const nonce = f.uint('nonce', U64_BYTES);
  let maxPriorityFeePerGas: bigint;
  let maxFeePerGas: bigint;
  if (type === TX_TYPE_EIP2930) {
    maxFeePerGas = maxPriorityFeePerGas = f.uint('gasPrice');
  } else {
    maxPriorityFeePerGas = f.uint('maxPriorityFeePerGas');
    maxFeePerGas = f.uint('maxFeePerGas');
  }
  const gasLimit = f.uint('gasLimit', U64_BYTES);
  const to = f.to(type !== TX_TYPE_EIP4844);
  const value = f.uint('value');
  const data = f.bytes('data');
  const accessList = f.accessList();
  let maxFeePerBlobGas = 0n;
  let blobVersionedHashes: Uint8Array[] = [];
  if (type === TX_TYPE_EIP4844) {
    maxFeePerBlobGas = f.uint('maxFeePerBlobGas');
    blobVersionedHashes = f.blobHashes();
  }
  const v = f.uint('yParity');
  const r = f.uint('r');
  const s = f.uint('s');
  if (v > 1n) throw new TxDecodeError('TX_INVALID_Y_PARITY', `yParity = ${v}, expected 0 or 1`, { field: 'yParity' });
  const fields: TransactionFields = {
    type,
    chainId,
    nonce,
    gasLimit,
    maxFeePerGas,
    maxPriorityFeePerGas,
    to,
    value,
    data,
    accessList,
    maxFeePerBlobGas,
    blobVersionedHashes,
  };
  return { fields, v, recid: Number(v), r, s };
}

/** A transaction's fields and signature, with what the signature gave: its signer and signing hash. */
export interface AuthenticatedTx {
  fields: TransactionFields;
  from: bigint;
  signingHash: Uint8Array;
  v: bigint;
  r: bigint;
  s: bigint;
}

/** A decoded signed transaction before recovery: its fields, signature and signing hash. */
interface SignedEthereumTx {
  fields: TransactionFields;
  signingHash: Uint8Array;
  v: bigint;
  recid: number;
  r: bigint;
  s: bigint;
}

/** Decodes one raw signed Ethereum transaction up to its signature: everything but recovery. */
function decodeSigned(raw: Uint8Array): { decoded: ReturnType<typeof decodeLegacy>; typedItems: RlpItem[] | null } {
  if (raw.length === 0) throw new TxDecodeError('TX_EMPTY', 'no transaction bytes');
  const first = raw[0];
  let decoded: ReturnType<typeof decodeLegacy>;
  let typedItems: RlpItem[] | null = null;
  if (first >= 0xc0) {
    decoded = decodeLegacy(decodeList(raw));
  } else if (first === TX_TYPE_EIP2930 || first === TX_TYPE_EIP1559 || first === TX_TYPE_EIP4844) {
    const items = decodeList(raw.subarray(1));
    decoded = decodeTyped(first, items);
    typedItems = items;
  } else if (first >= 0x80) {
    throw new TxDecodeError('TX_NOT_A_LIST', 'the transaction is an RLP string, expected a list');
  } else {
    throw new TxDecodeError('TX_UNKNOWN_TYPE', `unsupported transaction type 0x${first.toString(16).padStart(2, '0')}`);
  }
  const { r, s } = decoded;
  if (r === 0n || r >= SECP256K1_N) throw new TxDecodeError('TX_INVALID_SIGNATURE', 'r is outside [1, n-1]', { field: 'r' });
  if (s === 0n || s >= SECP256K1_N) throw new TxDecodeError('TX_INVALID_SIGNATURE', 's is outside [1, n-1]', { field: 's' });
  if (s > HALF_N) throw new TxDecodeError('TX_HIGH_S', 's is above n/2 (EIP-2)', { field: 's' });
  return { decoded, typedItems };
}

function signingHashOfRaw(raw: Uint8Array, fields: TransactionFields, typedItems: RlpItem[] | null): Uint8Array {
  return typedItems === null ? signingHashOf(fields) : typedSigningHash(raw, typedItems);
}

/**
 * Decodes one raw signed Ethereum transaction and recovers its signer: everything but the tx
 * hash, which the block already has (the sender worker needs no more either).
 */
export function authenticateEthereumTransaction(raw: Uint8Array): AuthenticatedTx {
  // Decoded ahead (storage/senders) by this same decoder: the same bytes, the same answers. On
  // this thread the answer is the whole transaction; from the worker, its signer and signing hash.
  const known = signerAhead(raw);
  if (known !== undefined && 'fields' in known) return known as AuthenticatedTx;
  const { decoded, typedItems } = decodeSigned(raw);
  const { fields, v, recid, r, s } = decoded;
  if (known !== undefined) return { fields, from: known.from, signingHash: known.signingHash, v, r, s };
  const signingHash = signingHashOfRaw(raw, fields, typedItems);
  const pub = recoverPublicKey(signingHash, r, s, recid);
  if (pub === null) throw new TxDecodeError('TX_RECOVERY_FAILED', 'no public key recovers from the signature');
  return { fields, from: publicKeyToAddress(pub), signingHash, v, r, s };
}

/** An authenticated transaction with the public key its signature recovered. */
export interface RecoveredTx extends AuthenticatedTx {
  recid: number;
  publicKey: Uint8Array;
}

/**
 * authenticateEthereumTransaction over many transactions, with one batch recovery: the same
 * answer for each (and the key), or the TxDecodeError it throws (anything else is rethrown).
 */
export function authenticateEthereumTransactions(raws: readonly Uint8Array[]): (RecoveredTx | TxDecodeError)[] {
  const n = raws.length;
  const out: (RecoveredTx | TxDecodeError)[] = new Array(n);
  const signed: SignedEthereumTx[] = [];
  const at: number[] = [];
  for (let i = 0; i < n; i++) {
    try {
      const { decoded, typedItems } = decodeSigned(raws[i]);
      signed.push({ ...decoded, signingHash: signingHashOfRaw(raws[i], decoded.fields, typedItems) });
      at.push(i);
    } catch (e) {
      if (!(e instanceof TxDecodeError)) throw e;
      out[i] = e;
    }
  }
  const m = signed.length;
  const hashes = new Uint8Array(32 * m);
  const sigs = new Uint8Array(64 * m);
  const recids = new Uint8Array(m);
  for (let k = 0; k < m; k++) {
    const t = signed[k];
    hashes.set(t.signingHash, 32 * k);
    writeBigInt(sigs, 64 * k, t.r, 32);
    writeBigInt(sigs, 64 * k + 32, t.s, 32);
    recids[k] = t.recid;
  }
  const keys = recoverCompactBatch(hashes, sigs, recids);
  for (let k = 0; k < m; k++) {
    const t = signed[k];
    const pub = keys[k];
    out[at[k]] = pub === null
      ? new TxDecodeError('TX_RECOVERY_FAILED', 'no public key recovers from the signature')
      : { fields: t.fields, from: publicKeyToAddress(pub), signingHash: t.signingHash, v: t.v, r: t.r, s: t.s, recid: t.recid, publicKey: pub };
  }
  return out;
}

/**
 * Decodes and authenticates one raw signed Ethereum transaction. `rawHash`, when the caller has
 * it, is keccak-256 of exactly these bytes (the transaction hash) and is not computed again.
 */
export function decodeEthereumTransaction(raw: Uint8Array, rawHash?: Uint8Array): Transaction {
  const a = authenticateEthereumTransaction(raw);
  return signed(a, rawHash ?? keccak256(raw));
}

/**
 * keccak of a typed transaction's signing payload, type || rlp([items before yParity]), cut from
 * its own bytes instead of re-encoded from the fields: the decoder accepts canonical RLP only
 * (sizes, integers without leading zeros, exact addresses, keys and access-list shapes), so the
 * items' bytes are exactly what encoding the decoded fields gives (test/tx checks both agree).
 */
function typedSigningHash(raw: Uint8Array, items: RlpItem[]): Uint8Array {
  const lenOfLen = raw[1] > 0xf7 ? raw[1] - 0xf7 : 0;
  const from = 2 + lenOfLen; // type byte, list prefix
  // yParity is 0 (0x80, a one-byte prefix before its empty payload) or 1 (0x01, no prefix).
  const y = items[items.length - 3] as Uint8Array;
  const to = y.byteOffset - raw.byteOffset - (y.length === 0 ? 1 : 0);
  return keccak256(rlpWrapList(raw.subarray(from, to), raw[0]));
}

/** The fields with what the signature gave, spelled out: one object shape, no spread. */
function signed(a: AuthenticatedTx, hash: Uint8Array): Transaction {
  const f = a.fields;
  return {
    type: f.type,
    chainId: f.chainId,
    nonce: f.nonce,
    gasLimit: f.gasLimit,
    maxFeePerGas: f.maxFeePerGas,
    maxPriorityFeePerGas: f.maxPriorityFeePerGas,
    to: f.to,
    value: f.value,
    data: f.data,
    accessList: f.accessList,
    maxFeePerBlobGas: f.maxFeePerBlobGas,
    blobVersionedHashes: f.blobVersionedHashes,
    from: a.from,
    hash,
    signingHash: a.signingHash,
    v: a.v,
    r: a.r,
    s: a.s,
  };
}
