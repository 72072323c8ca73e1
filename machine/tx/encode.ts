// Encoding Ethereum transactions: the signing payloads (shared with the decoder, which derives the
// signing hash from decoded fields) and, for tools and tests, signed envelopes.
import { bigIntToBytes, bigIntToMinimalBytes, concatBytes } from '../common/bytes.ts';
import { rlpEncode, type RlpInput } from '../common/rlp.ts';
import { keccak256, signHash } from '../crypto/index.ts';
import {
  TX_TYPE_EIP1559,
  TX_TYPE_EIP2930,
  TX_TYPE_EIP4844,
  TX_TYPE_LEGACY,
  type AccessListItem,
  type TransactionFields,
} from './types.ts';

/** What a caller must give to build a transaction; the rest defaults to zero / empty. */
export type TransactionRequest = Pick<TransactionFields, 'type' | 'chainId' | 'nonce' | 'gasLimit' | 'maxFeePerGas' | 'to'> &
  Partial<TransactionFields>;

export interface TransactionSignature {
  /** Legacy: 27/28 or chainId*2+35/36. Typed: yParity. */
  v: bigint;
  r: bigint;
  s: bigint;
}

/** Fills defaults and checks the combination of fields is encodable for its type. */
export function normalizeTransactionFields(req: TransactionRequest): TransactionFields {
  const f: TransactionFields = {
    type: req.type,
    chainId: req.chainId,
    nonce: req.nonce,
    gasLimit: req.gasLimit,
    maxFeePerGas: req.maxFeePerGas,
    maxPriorityFeePerGas: req.maxPriorityFeePerGas ?? req.maxFeePerGas,
    to: req.to,
    value: req.value ?? 0n,
    data: req.data ?? new Uint8Array(0),
    accessList: req.accessList ?? [],
    maxFeePerBlobGas: req.maxFeePerBlobGas ?? 0n,
    blobVersionedHashes: req.blobVersionedHashes ?? [],
  };
  if (f.type < TX_TYPE_LEGACY || f.type > TX_TYPE_EIP4844) throw new RangeError(`unsupported transaction type ${f.type}`);
  if (f.type !== TX_TYPE_LEGACY && f.chainId === null) throw new RangeError('typed transactions need a chain id');
  if (f.type <= TX_TYPE_EIP2930 && f.maxPriorityFeePerGas !== f.maxFeePerGas) {
    throw new RangeError('legacy and EIP-2930 transactions have a single gas price');
  }
  if (f.type === TX_TYPE_LEGACY && f.accessList.length > 0) throw new RangeError('legacy transactions have no access list');
  if (f.type !== TX_TYPE_EIP4844 && (f.maxFeePerBlobGas !== 0n || f.blobVersionedHashes.length > 0)) {
    throw new RangeError('only type 3 transactions carry blobs');
  }
  if (f.type === TX_TYPE_EIP4844 && f.to === null) throw new RangeError('blob transactions cannot create contracts');
  return f;
}

const uint = (v: bigint): Uint8Array => bigIntToMinimalBytes(v);
const addr = (a: bigint | null): Uint8Array => (a === null ? new Uint8Array(0) : bigIntToBytes(a, 20));

function accessListItems(list: AccessListItem[]): RlpInput[] {
  return list.map((e) => [bigIntToBytes(e.address, 20), e.storageKeys.map((k) => bigIntToBytes(k, 32))]);
}

/** The RLP list items of a transaction without its signature, in the order of its type. */
export function unsignedItems(f: TransactionFields): RlpInput[] {
  switch (f.type) {
    case TX_TYPE_LEGACY:
      return [uint(f.nonce), uint(f.maxFeePerGas), uint(f.gasLimit), addr(f.to), uint(f.value), f.data];
    case TX_TYPE_EIP2930:
      return [
        uint(f.chainId ?? 0n), uint(f.nonce), uint(f.maxFeePerGas), uint(f.gasLimit), addr(f.to), uint(f.value), f.data,
        accessListItems(f.accessList),
      ];
    case TX_TYPE_EIP1559:
      return [
        uint(f.chainId ?? 0n), uint(f.nonce), uint(f.maxPriorityFeePerGas), uint(f.maxFeePerGas), uint(f.gasLimit), addr(f.to),
        uint(f.value), f.data, accessListItems(f.accessList),
      ];
    case TX_TYPE_EIP4844:
      return [
        uint(f.chainId ?? 0n), uint(f.nonce), uint(f.maxPriorityFeePerGas), uint(f.maxFeePerGas), uint(f.gasLimit), addr(f.to),
        uint(f.value), f.data, accessListItems(f.accessList), uint(f.maxFeePerBlobGas), f.blobVersionedHashes,
      ];
    default:
      throw new RangeError(`unsupported transaction type ${f.type}`);
  }
}

function envelope(type: number, items: RlpInput[]): Uint8Array {
  const body = rlpEncode(items);
  return type === TX_TYPE_LEGACY ? body : concatBytes(Uint8Array.of(type), body);
}

/** The bytes whose keccak256 is signed (EIP-155 for legacy with a chain id, EIP-2718 otherwise). */
export function signingPayload(f: TransactionFields): Uint8Array {
  const items = unsignedItems(f);
  if (f.type === TX_TYPE_LEGACY && f.chainId !== null) items.push(uint(f.chainId), new Uint8Array(0), new Uint8Array(0));
  return envelope(f.type, items);
}

export function signingHashOf(f: TransactionFields): Uint8Array {
  return keccak256(signingPayload(f));
}

/** The raw signed envelope (what decodeEthereumTransaction reads, and what the tx hash hashes). */
export function encodeSignedTransaction(req: TransactionRequest, sig: TransactionSignature): Uint8Array {
  const f = normalizeTransactionFields(req);
  return envelope(f.type, [...unsignedItems(f), uint(sig.v), uint(sig.r), uint(sig.s)]);
}

/** The signature's v for a recovery id: 27/28, chainId*2+35/36, or the bare yParity for typed. */
export function vForRecoveryId(f: Pick<TransactionFields, 'type' | 'chainId'>, recid: number): bigint {
  if (f.type !== TX_TYPE_LEGACY) return BigInt(recid);
  return f.chainId === null ? 27n + BigInt(recid) : f.chainId * 2n + 35n + BigInt(recid);
}

/** Signs and encodes; used by tools and tests, never by the machine. */
export function signTransaction(req: TransactionRequest, privateKey: Uint8Array): Uint8Array {
  const f = normalizeTransactionFields(req);
  const { r, s, recid } = signHash(signingHashOf(f), privateKey);
  return encodeSignedTransaction(f, { v: vForRecoveryId(f, recid), r, s });
}
