// Ethereum transaction shapes and the one place where decoding failures are named.

export const TX_TYPE_LEGACY = 0;
export const TX_TYPE_EIP2930 = 1;
export const TX_TYPE_EIP1559 = 2;
export const TX_TYPE_EIP4844 = 3;

export interface AccessListItem {
  address: bigint;
  storageKeys: bigint[];
}

/** The fields a sender signs (everything but the signature and what derives from it). */
export interface TransactionFields {
  /** 0 legacy, 1 EIP-2930, 2 EIP-1559, 3 EIP-4844. */
  type: number;
  /** null only for pre-EIP-155 legacy transactions. Not checked against any chain by the decoder. */
  chainId: bigint | null;
  nonce: bigint;
  gasLimit: bigint;
  /** Legacy / EIP-2930: the gas price. */
  maxFeePerGas: bigint;
  /** Legacy / EIP-2930: the gas price. */
  maxPriorityFeePerGas: bigint;
  /** null: contract creation (never for type 3). */
  to: bigint | null;
  value: bigint;
  data: Uint8Array;
  accessList: AccessListItem[];
  /** 0 unless type 3. */
  maxFeePerBlobGas: bigint;
  /** 32 bytes each; empty unless type 3. */
  blobVersionedHashes: Uint8Array[];
}

export interface Transaction extends TransactionFields {
  /** The sender recovered from the signature. */
  from: bigint;
  /** The canonical Ethereum transaction hash: keccak256 of the raw envelope. */
  hash: Uint8Array;
  /** The hash that was signed. */
  signingHash: Uint8Array;
  /** Legacy: v as encoded (27/28 or chainId*2+35/36). Typed: yParity (0/1). */
  v: bigint;
  r: bigint;
  s: bigint;
}

/**
 * Every reason decodeEthereumTransaction rejects raw bytes.
 *
 *   TX_EMPTY             no bytes at all
 *   TX_UNKNOWN_TYPE      envelope type byte other than 0x01..0x03 (0x00, 0x04..0x7f)
 *   TX_NOT_A_LIST        a legacy transaction that is an RLP string, not a list
 *   TX_RLP               malformed or non-canonical RLP (cause: the RlpError)
 *   TX_BAD_FIELD_COUNT   the transaction list has the wrong number of fields for its type
 *   TX_BAD_FIELD_TYPE    a list where a string is required, or the reverse
 *   TX_LEADING_ZERO      an integer field with leading zero bytes
 *   TX_FIELD_TOO_LONG    nonce / gas limit over 2^64-1, other integers over 2^256-1
 *   TX_BAD_ADDRESS       "to" or an access-list address that is not 20 bytes
 *   TX_BAD_STORAGE_KEY   an access-list storage key that is not 32 bytes
 *   TX_BAD_BLOB_HASH     a blob versioned hash that is not 32 bytes
 *   TX_BLOB_CREATE       a blob (type 3) transaction without a "to"
 *   TX_INVALID_V         legacy v that is neither 27/28 nor >= 35
 *   TX_INVALID_Y_PARITY  typed transaction yParity other than 0 or 1
 *   TX_INVALID_SIGNATURE r or s outside [1, n-1]
 *   TX_HIGH_S            s > n/2 (EIP-2)
 *   TX_RECOVERY_FAILED   no public key recovers from the signature
 */
export type TxDecodeErrorCode =
  | 'TX_EMPTY'
  | 'TX_UNKNOWN_TYPE'
  | 'TX_NOT_A_LIST'
  | 'TX_RLP'
  | 'TX_BAD_FIELD_COUNT'
  | 'TX_BAD_FIELD_TYPE'
  | 'TX_LEADING_ZERO'
  | 'TX_FIELD_TOO_LONG'
  | 'TX_BAD_ADDRESS'
  | 'TX_BAD_STORAGE_KEY'
  | 'TX_BAD_BLOB_HASH'
  | 'TX_BLOB_CREATE'
  | 'TX_INVALID_V'
  | 'TX_INVALID_Y_PARITY'
  | 'TX_INVALID_SIGNATURE'
  | 'TX_HIGH_S'
  | 'TX_RECOVERY_FAILED';

export class TxDecodeError extends Error {
  readonly code: TxDecodeErrorCode;
  /** The transaction field concerned, when there is one. */
  readonly field: string | undefined;
  constructor(code: TxDecodeErrorCode, message: string, options?: { field?: string; cause?: unknown }) {
    super(`${code}: ${message}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TxDecodeError';
    this.code = code;
    this.field = options?.field;
  }
}
