// Transaction hashes of ZKsync transactions (reference/zksync-os.md §2.5, §5.5), with the zkos
// decision "transaction hashes are the canonical Ethereum ones" (design.md; §11 item 4):
//
//   type        signed hash (what the sender signs)           tx hash (reported, rolled, logged)
//   0x00        keccak(RLP[nonce, gasPrice, gas, to, value,   keccak of the canonical signed legacy
//               data] (+ [chainId, 0, 0] if reserved[0]≠0))    envelope: [..., v, r, s] with
//                                                              v = 27/28, or chainId·2+35/36 (EIP-155)
//   0x01/0x02   keccak(type ‖ RLP[chainId, …, accessList])     keccak(type ‖ RLP[…, yParity, r, s])
//   0x71        keccak(0x19 0x01 ‖ domainSeparator ‖           keccak(signedHash ‖ keccak(signature))
//               hashStruct(tx))  (EIP-712)
//   0xFF/0xFE   none                                           keccak(BE(0x20,32) ‖ body)
//
// The snapshot hashes types 0/1/2 with the signature items in the order r, s, v and the raw 27/28
// byte; zkos does not copy that. `to` is the empty string when reserved[1] ≠ 0 (deployment). The
// chain id is always the block's (a parameter), never a field of the transaction.
import { bigIntToBytes, bigIntToMinimalBytes, bytesToBigInt, concatBytes, hexToBytes } from '../../common/bytes.ts';
import { rlpEncode, type RlpInput } from '../../common/rlp.ts';
import { keccak256 } from '../../crypto/index.ts';
import { signingPayload, unsignedItems } from '../encode.ts';
import { TX_TYPE_LEGACY, type TransactionFields } from '../types.ts';
import { encodeZkTransaction } from './codec.ts';
import { isEthereumType, ZK_TX_TYPE_EIP712, type ZkTransaction } from './types.ts';

/** keccak("EIP712Domain(string name,string version,uint256 chainId)") */
export const EIP712_DOMAIN_TYPEHASH = hexToBytes('0xc2f8787176b8ac6bf7215b4adcc1e069bf4ab82d9ab1df05a57a91d425935b6e');
/** keccak("Transaction(uint256 txType,uint256 from,…,bytes32[] factoryDeps,bytes paymasterInput)") */
export const EIP712_TX_TYPEHASH = hexToBytes('0x848e1bfa1ac4e3576b728bda6721b215c70a7799a5b4866282a71bab954baac8');
/** keccak("zkSync"), the domain name. */
export const EIP712_DOMAIN_NAME_HASH = hexToBytes('0x19b453ce45aaaaf3a300f5a9ec95869b4f28ab10430b572ee218c3a6a5e07d6f');
/** keccak("2"), the domain version. */
export const EIP712_DOMAIN_VERSION_HASH = hexToBytes('0xad7c5bef027816a800da1736444fb58a807ef4c9603b7848673f7e3a68eb14a5');

const word = (v: bigint): Uint8Array => bigIntToBytes(v, 32);

export function eip712DomainSeparator(chainId: bigint): Uint8Array {
  return keccak256(concatBytes(EIP712_DOMAIN_TYPEHASH, EIP712_DOMAIN_NAME_HASH, EIP712_DOMAIN_VERSION_HASH, word(chainId)));
}

/** hashStruct(tx): every scalar as its 32-byte head word, dynamic fields as keccak of their content. */
export function eip712StructHash(tx: ZkTransaction): Uint8Array {
  return keccak256(
    concatBytes(
      EIP712_TX_TYPEHASH,
      word(BigInt(tx.txType)),
      word(tx.from),
      word(tx.to),
      word(tx.gasLimit),
      word(tx.gasPerPubdataLimit),
      word(tx.maxFeePerGas),
      word(tx.maxPriorityFeePerGas),
      word(tx.paymaster),
      word(tx.nonce),
      word(tx.value),
      keccak256(tx.data),
      keccak256(concatBytes(...tx.factoryDeps)),
      keccak256(tx.paymasterInput),
    ),
  );
}

export function eip712SignedHash(tx: ZkTransaction, chainId: bigint): Uint8Array {
  return keccak256(concatBytes(Uint8Array.of(0x19, 0x01), eip712DomainSeparator(chainId), eip712StructHash(tx)));
}

/** The signature as r, s and the raw v byte (zero where the signature is too short). */
export function splitZkSignature(sig: Uint8Array): { r: bigint; s: bigint; v: number } {
  return {
    r: bytesToBigInt(sig, 0, Math.min(32, sig.length)),
    s: sig.length > 32 ? bytesToBigInt(sig, 32, Math.min(64, sig.length)) : 0n,
    v: sig.length > 64 ? sig[64] : 0,
  };
}

/** The Ethereum view of a type 0/1/2 transaction (what the sender signed), for the block's chain. */
export function ethereumFieldsOf(tx: ZkTransaction, chainId: bigint): TransactionFields {
  return {
    type: tx.txType,
    chainId: tx.txType === TX_TYPE_LEGACY && tx.reserved[0] === 0n ? null : chainId,
    nonce: tx.nonce,
    gasLimit: tx.gasLimit,
    maxFeePerGas: tx.maxFeePerGas,
    maxPriorityFeePerGas: tx.maxPriorityFeePerGas,
    to: tx.reserved[1] !== 0n ? null : tx.to,
    value: tx.value,
    data: tx.data,
    accessList: tx.accessList ?? [],
    maxFeePerBlobGas: 0n,
    blobVersionedHashes: [],
  };
}

/**
 * The canonical signed Ethereum envelope of a type 0/1/2 transaction: its keccak is the tx hash.
 * The stored v byte is 27/28; legacy writes it as is (pre-EIP-155) or as v + 8 + 2·chainId
 * (= chainId·2+35/36), typed transactions as yParity = v − 27. A v outside 27/28 (which fails
 * validation anyway) is kept raw in typed envelopes so that the hash stays defined.
 */
export function toEthereumEnvelope(tx: ZkTransaction, chainId: bigint): Uint8Array {
  if (!isEthereumType(tx.txType)) throw new RangeError(`type 0x${tx.txType.toString(16)} has no Ethereum envelope`);
  const f = ethereumFieldsOf(tx, chainId);
  const { r, s, v } = splitZkSignature(tx.signature);
  let vItem: bigint;
  if (tx.txType === TX_TYPE_LEGACY) vItem = f.chainId === null ? BigInt(v) : BigInt(v) + 8n + 2n * chainId;
  else vItem = v === 27 || v === 28 ? BigInt(v - 27) : BigInt(v);
  const items: RlpInput[] = [...unsignedItems(f), bigIntToMinimalBytes(vItem), bigIntToMinimalBytes(r), bigIntToMinimalBytes(s)];
  const list = rlpEncode(items);
  return tx.txType === TX_TYPE_LEGACY ? list : concatBytes(Uint8Array.of(tx.txType), list);
}

/** The hash the sender signed; null for 0xFF/0xFE (no signature). */
export function zkSignedHash(tx: ZkTransaction, chainId: bigint): Uint8Array | null {
  if (isEthereumType(tx.txType)) return keccak256(signingPayload(ethereumFieldsOf(tx, chainId)));
  if (tx.txType === ZK_TX_TYPE_EIP712) return eip712SignedHash(tx, chainId);
  return null;
}

/** keccak(BE(0x20,32) ‖ body): the hash of the body seen as one ABI tuple (0xFF/0xFE, §2.5, §5.5). */
export function abiTupleHash(body: Uint8Array): Uint8Array {
  return keccak256(concatBytes(word(0x20n), body));
}

export interface ZkTxHashes {
  /** The transaction hash (reported, rolled into the block, in L1 logs). */
  txHash: Uint8Array;
  /** What the sender signed; null for 0xFF/0xFE. */
  signedHash: Uint8Array | null;
}

/**
 * Both hashes of a transaction for the block's chain id. `body` (the transaction's own encoding, when
 * at hand) saves re-encoding for 0xFF/0xFE.
 */
export function zkTxHashes(tx: ZkTransaction, chainId: bigint, body?: Uint8Array): ZkTxHashes {
  const signedHash = zkSignedHash(tx, chainId);
  if (isEthereumType(tx.txType)) return { txHash: keccak256(toEthereumEnvelope(tx, chainId)), signedHash };
  if (tx.txType === ZK_TX_TYPE_EIP712) {
    return { txHash: keccak256(concatBytes(signedHash as Uint8Array, keccak256(tx.signature))), signedHash };
  }
  return { txHash: abiTupleHash(body ?? encodeZkTransaction(tx)), signedHash: null };
}

export function zkTxHash(tx: ZkTransaction, chainId: bigint, body?: Uint8Array): Uint8Array {
  return zkTxHashes(tx, chainId, body).txHash;
}
