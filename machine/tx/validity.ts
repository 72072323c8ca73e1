// Static validity of a decoded Ethereum transaction (Cancun): the rules that depend only on the
// transaction and the chain id, not on state or the block (nonce match, balance, base fee, block gas
// and blob gas limits are the bootloader's). A decoded transaction that passes these is what the
// TransactionTests call valid.
import { MAX_U256, MAX_U64 } from '../common/bytes.ts';
import { intrinsicGas, MAX_INITCODE_SIZE } from './intrinsic.ts';
import { TX_TYPE_EIP4844, type Transaction } from './types.ts';

/** Version byte of a KZG blob versioned hash (EIP-4844). */
export const VERSIONED_HASH_VERSION_KZG = 0x01;
/** Most blobs a Cancun block (and therefore a transaction) may carry. */
export const MAX_BLOBS_PER_TX = 6;

/**
 *   TX_WRONG_CHAIN_ID          the transaction names another chain (pre-EIP-155 legacy names none)
 *   TX_NONCE_MAX               nonce >= 2^64-1 (EIP-2681: it could not be incremented)
 *   TX_GAS_LIMIT_TOO_HIGH      gas limit over 2^64-1
 *   TX_INTRINSIC_GAS_TOO_LOW   gas limit below the intrinsic gas
 *   TX_TIP_ABOVE_FEE_CAP       maxPriorityFeePerGas > maxFeePerGas
 *   TX_GAS_FEE_OVERFLOW        gasLimit * maxFeePerGas does not fit in 256 bits
 *   TX_INITCODE_TOO_LARGE      a creation with more than 49152 bytes of initcode (EIP-3860)
 *   TX_BLOB_CREATE             a blob transaction without "to"
 *   TX_BLOB_NONE               a blob transaction without blob hashes
 *   TX_BLOB_TOO_MANY           more than 6 blob hashes
 *   TX_BLOB_BAD_VERSION        a blob hash whose first byte is not 0x01
 */
export type TxRuleViolation =
  | 'TX_WRONG_CHAIN_ID'
  | 'TX_NONCE_MAX'
  | 'TX_GAS_LIMIT_TOO_HIGH'
  | 'TX_INTRINSIC_GAS_TOO_LOW'
  | 'TX_TIP_ABOVE_FEE_CAP'
  | 'TX_GAS_FEE_OVERFLOW'
  | 'TX_INITCODE_TOO_LARGE'
  | 'TX_BLOB_CREATE'
  | 'TX_BLOB_NONE'
  | 'TX_BLOB_TOO_MANY'
  | 'TX_BLOB_BAD_VERSION';

/** The first static rule the transaction breaks, or null. */
export function staticValidityError(tx: Transaction, chainId: bigint): TxRuleViolation | null {
  if (tx.chainId !== null && tx.chainId !== chainId) return 'TX_WRONG_CHAIN_ID';
  if (tx.nonce >= MAX_U64) return 'TX_NONCE_MAX';
  if (tx.gasLimit > MAX_U64) return 'TX_GAS_LIMIT_TOO_HIGH';
  if (tx.maxPriorityFeePerGas > tx.maxFeePerGas) return 'TX_TIP_ABOVE_FEE_CAP';
  if (tx.gasLimit * tx.maxFeePerGas > MAX_U256) return 'TX_GAS_FEE_OVERFLOW';
  if (tx.to === null && tx.data.length > MAX_INITCODE_SIZE) return 'TX_INITCODE_TOO_LARGE';
  if (tx.gasLimit < intrinsicGas(tx)) return 'TX_INTRINSIC_GAS_TOO_LOW';
  if (tx.type === TX_TYPE_EIP4844) {
    if (tx.to === null) return 'TX_BLOB_CREATE';
    if (tx.blobVersionedHashes.length === 0) return 'TX_BLOB_NONE';
    if (tx.blobVersionedHashes.length > MAX_BLOBS_PER_TX) return 'TX_BLOB_TOO_MANY';
    for (const h of tx.blobVersionedHashes) if (h[0] !== VERSIONED_HASH_VERSION_KZG) return 'TX_BLOB_BAD_VERSION';
  }
  return null;
}
