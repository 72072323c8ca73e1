// The ZKsync transaction: the 15-field ABI-encoded body the bootloader reads
// (reference/zksync-os.md §2.3), and the one place where its failures are named.
import type { AccessListItem } from '../types.ts';

export const ZK_TX_TYPE_LEGACY = 0x00;
export const ZK_TX_TYPE_EIP2930 = 0x01;
export const ZK_TX_TYPE_EIP1559 = 0x02;
/** EIP-712 signed ZKsync ("Era") transaction; the only type with paymasters and account abstraction. */
export const ZK_TX_TYPE_EIP712 = 0x71;
/** Protocol upgrade transaction (from L1 governance; no signature). */
export const ZK_TX_TYPE_UPGRADE = 0xfe;
/** L1→L2 priority transaction (no signature). */
export const ZK_TX_TYPE_L1 = 0xff;

export const ZK_TX_TYPES: readonly number[] = [
  ZK_TX_TYPE_LEGACY, ZK_TX_TYPE_EIP2930, ZK_TX_TYPE_EIP1559, ZK_TX_TYPE_EIP712, ZK_TX_TYPE_UPGRADE, ZK_TX_TYPE_L1,
];

/** `MAX_TX_LEN_BYTES`: the longest body the bootloader accepts. */
export const MAX_TX_LEN_BYTES = 8 * 1024 * 1024;
/** 19 head words: 10 scalars, reserved[4], 5 offsets. */
export const TX_HEAD_WORDS = 19;
export const TX_HEAD_BYTES = TX_HEAD_WORDS * 32;
/** The offset of `data`, the first dynamic field: right after the head. */
export const FIRST_DYNAMIC_OFFSET = 0x260;
/** r ‖ s ‖ v, v = 27/28. */
export const ZK_SIGNATURE_LENGTH = 65;

/**
 * What an Ethereum (type 0/1/2) transaction carries in `gas_per_pubdata_limit`. The field is not
 * signed and validation ignores it for these types (it assumes ETHEREUM_IMPLIED_GAS_PER_PUBDATA,
 * reference §2.6 step 13); 0 is what the reference rig writes (`tests/rig/src/utils.rs::encode_tx`).
 */
export const ETHEREUM_TX_GAS_PER_PUBDATA_FIELD = 0n;
/** The user gas-per-pubdata limit validation assumes for types 0/1/2 (reference §2.6 step 13, §2.7). */
export const ETHEREUM_IMPLIED_GAS_PER_PUBDATA = 1n;

/** Head word index of each field (the byte offset is index × 32); error offsets use these. */
export const ZK_HEAD_WORD = {
  tx_type: 0, from: 1, to: 2, gas_limit: 3, gas_per_pubdata_limit: 4, max_fee_per_gas: 5,
  max_priority_fee_per_gas: 6, paymaster: 7, nonce: 8, value: 9, reserved0: 10, reserved1: 11,
  reserved2: 12, reserved3: 13, data: 14, signature: 15, factory_deps: 16, paymaster_input: 17,
  reserved_dynamic: 18,
} as const;
export type ZkField = keyof typeof ZK_HEAD_WORD;

export interface ZkTransaction {
  /** u8, one of ZK_TX_TYPES once validated. */
  txType: number;
  /** Addresses are 160-bit integers. */
  from: bigint;
  /** 0 together with reserved[1] ≠ 0 means "create" for types 0/1/2. */
  to: bigint;
  /** u64 */
  gasLimit: bigint;
  /** u32 */
  gasPerPubdataLimit: bigint;
  /** u128 */
  maxFeePerGas: bigint;
  /** u128 */
  maxPriorityFeePerGas: bigint;
  paymaster: bigint;
  /** u256 (validation later requires u64) */
  nonce: bigint;
  value: bigint;
  /**
   * reserved[0]: EIP-155 flag (legacy) or total deposit "toMint" (0xFF/0xFE);
   * reserved[1]: "to is null" deployment flag (0/1/2) or refund recipient (0xFF/0xFE);
   * reserved[2..3]: always 0.
   */
  reserved: [bigint, bigint, bigint, bigint];
  data: Uint8Array;
  /** 65 bytes r ‖ s ‖ v (v = 27/28) for 0/1/2/0x71; empty for 0xFF/0xFE. */
  signature: Uint8Array;
  /** bytes32 each (bytecode hashes); only 0x71/0xFF/0xFE, and ignored by execution. */
  factoryDeps: Uint8Array[];
  paymasterInput: Uint8Array;
  /**
   * `reserved_dynamic`, parsed: null when the bytes are empty (no access list); otherwise the one
   * access list it encodes, possibly empty (the rig writes `[[]]` for typed txs without entries).
   */
  accessList: AccessListItem[] | null;
}

export const isL1OrUpgradeType = (t: number): boolean => t === ZK_TX_TYPE_L1 || t === ZK_TX_TYPE_UPGRADE;
export const isEthereumType = (t: number): boolean => t === ZK_TX_TYPE_LEGACY || t === ZK_TX_TYPE_EIP2930 || t === ZK_TX_TYPE_EIP1559;

/** An Ethereum-type transaction whose `to` is null (reserved[1] ≠ 0). */
export function isZkDeployment(tx: ZkTransaction): boolean {
  return isEthereumType(tx.txType) && tx.reserved[1] !== 0n;
}

/** The gas-per-pubdata limit validation applies: the field for 0x71/0xFF/0xFE, 1 for types 0/1/2. */
export function effectiveGasPerPubdataLimit(tx: ZkTransaction): bigint {
  return isEthereumType(tx.txType) ? ETHEREUM_IMPLIED_GAS_PER_PUBDATA : tx.gasPerPubdataLimit;
}

/**
 * Every reason decodeZkTransaction (and validateZkTransaction / encodeZkTransaction, which apply the
 * same rules to objects) rejects a transaction. `offset` is the byte offset in the body: of the word
 * at fault for encoding errors, of the field's head word for structural (§2.4) errors.
 *
 * Encoding (§2.3):
 *   ZK_EMPTY                       the body has no bytes
 *   ZK_TOO_LONG                    the body is longer than MAX_TX_LEN_BYTES (8 MiB)
 *   ZK_TRUNCATED                   the head, a length word or a dynamic part runs past the end
 *   ZK_INT_RANGE                   a head word over its type: tx_type u8, gas_limit u64,
 *                                  gas_per_pubdata_limit u32, max fees u128
 *   ZK_ADDRESS_RANGE               an address word (from, to, paymaster, access-list address) with
 *                                  non-zero upper 12 bytes
 *   ZK_BAD_OFFSET                  an offset word that is not the expected one: 0x260 for data, the
 *                                  running position for the others (tight, no gaps); inside
 *                                  reserved_dynamic the canonical ABI offsets
 *   ZK_LENGTH_RANGE                a length or count word that does not fit u32
 *   ZK_NONZERO_PADDING             a non-zero byte in the padding of a dynamic part
 *   ZK_TRAILING_BYTES              bytes after the last element (of the body or of reserved_dynamic)
 *   ZK_ACCESS_LIST_OUTER_LENGTH    reserved_dynamic's outer array does not have exactly one element
 * Structure (§2.4):
 *   ZK_UNKNOWN_TYPE                tx_type not in {0x00, 0x01, 0x02, 0x71, 0xFE, 0xFF}
 *   ZK_FEE_MISMATCH                legacy / EIP-2930 with max_fee_per_gas ≠ max_priority_fee_per_gas
 *   ZK_PAYMASTER_NOT_ALLOWED       paymaster ≠ 0 outside type 0x71
 *   ZK_PAYMASTER_INPUT_NOT_ALLOWED paymaster_input non-empty outside type 0x71
 *   ZK_RESERVED0_NOT_ALLOWED       reserved[0] ≠ 0 outside legacy / 0xFF / 0xFE
 *   ZK_RESERVED1_NOT_ALLOWED       reserved[1] ≠ 0 for 0x71, or for 0/1/2 while to ≠ 0
 *   ZK_RESERVED_NONZERO            reserved[2] or reserved[3] ≠ 0
 *   ZK_SIGNATURE_LENGTH            signature not empty for 0xFF/0xFE, not 65 bytes for the others
 *   ZK_FACTORY_DEPS_NOT_ALLOWED    factory_deps non-empty for types 0/1/2
 *   ZK_ACCESS_LIST_NOT_ALLOWED     reserved_dynamic non-empty outside types 1/2 (zkos rule, stricter
 *                                  than the reference: for those types no hash covers the list)
 */
export type ZkTxDecodeErrorCode =
  | 'ZK_EMPTY'
  | 'ZK_TOO_LONG'
  | 'ZK_TRUNCATED'
  | 'ZK_INT_RANGE'
  | 'ZK_ADDRESS_RANGE'
  | 'ZK_BAD_OFFSET'
  | 'ZK_LENGTH_RANGE'
  | 'ZK_NONZERO_PADDING'
  | 'ZK_TRAILING_BYTES'
  | 'ZK_ACCESS_LIST_OUTER_LENGTH'
  | 'ZK_UNKNOWN_TYPE'
  | 'ZK_FEE_MISMATCH'
  | 'ZK_PAYMASTER_NOT_ALLOWED'
  | 'ZK_PAYMASTER_INPUT_NOT_ALLOWED'
  | 'ZK_RESERVED0_NOT_ALLOWED'
  | 'ZK_RESERVED1_NOT_ALLOWED'
  | 'ZK_RESERVED_NONZERO'
  | 'ZK_SIGNATURE_LENGTH'
  | 'ZK_FACTORY_DEPS_NOT_ALLOWED'
  | 'ZK_ACCESS_LIST_NOT_ALLOWED';

export class ZkTxDecodeError extends Error {
  readonly code: ZkTxDecodeErrorCode;
  /** Byte offset in the body, when there is one. */
  readonly offset: number | undefined;
  /** The transaction field concerned, when there is one. */
  readonly field: string | undefined;
  constructor(code: ZkTxDecodeErrorCode, message: string, options?: { offset?: number; field?: string }) {
    super(`${code}: ${message}`);
    this.name = 'ZkTxDecodeError';
    this.code = code;
    this.offset = options?.offset;
    this.field = options?.field;
  }
}

/**
 * Every reason a conversion (convert.ts, eip712.ts) rejects what a user sent. Conversions may also
 * throw TxDecodeError (from the Ethereum envelope decoder) and ZkTxDecodeError (the result would not
 * be a valid body, e.g. a max fee over u128).
 *
 *   BLOB_TX_UNSUPPORTED         an EIP-4844 (type 3) envelope: ZKsync has no blobs
 *   WRONG_CHAIN_ID              the envelope is signed for another chain than the block's
 *   DEPOSIT_TOO_SMALL           L1/upgrade: toMint < value + maxFeePerGas × gasLimit (the bootloader
 *                               would abort the block, §2.9)
 *   EIP712_WRONG_TYPE           the envelope does not start with 0x71
 *   EIP712_RLP                  malformed or non-canonical RLP (cause: the RlpError)
 *   EIP712_FIELD_COUNT          not a list of exactly 16 items
 *   EIP712_BAD_FIELD            an item of the wrong kind or width (leading zeros, over 32 bytes,
 *                               an address that is not 20 bytes, a list for a string, …)
 *   EIP712_NO_TO                an empty `to`: type 0x71 cannot express contract creation
 *   EIP712_UNSIGNED             neither r/s nor a custom signature
 *   EIP712_INVALID_Y_PARITY     v other than 0 or 1
 *   EIP712_BAD_PAYMASTER_PARAMS paymasterParams neither [] nor [address(20 bytes), input]
 *   EIP712_BAD_BYTECODE         a factory dependency that is not a valid Era bytecode (length a
 *                               multiple of 32, odd number of words, under 2^16 words)
 */
export type ZkTxConvertErrorCode =
  | 'BLOB_TX_UNSUPPORTED'
  | 'WRONG_CHAIN_ID'
  | 'DEPOSIT_TOO_SMALL'
  | 'EIP712_WRONG_TYPE'
  | 'EIP712_RLP'
  | 'EIP712_FIELD_COUNT'
  | 'EIP712_BAD_FIELD'
  | 'EIP712_NO_TO'
  | 'EIP712_UNSIGNED'
  | 'EIP712_INVALID_Y_PARITY'
  | 'EIP712_BAD_PAYMASTER_PARAMS'
  | 'EIP712_BAD_BYTECODE';

export class ZkTxConvertError extends Error {
  readonly code: ZkTxConvertErrorCode;
  readonly field: string | undefined;
  constructor(code: ZkTxConvertErrorCode, message: string, options?: { field?: string; cause?: unknown }) {
    super(`${code}: ${message}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ZkTxConvertError';
    this.code = code;
    this.field = options?.field;
  }
}
