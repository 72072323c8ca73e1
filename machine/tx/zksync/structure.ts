// Structural validation of a ZKsync transaction (reference/zksync-os.md §2.4, `validate_structure`),
// and the same range checks the decoder applies to head words, for transactions built as objects.
// Failures are ZkTxDecodeError (codes in types.ts); offsets point at the field's head word.
import { ADDRESS_MASK, MAX_U256, MAX_U64 } from '../../common/bytes.ts';
import {
  isEthereumType,
  isL1OrUpgradeType,
  ZK_HEAD_WORD,
  ZK_SIGNATURE_LENGTH,
  ZK_TX_TYPE_EIP1559,
  ZK_TX_TYPE_EIP2930,
  ZK_TX_TYPE_EIP712,
  ZK_TX_TYPE_LEGACY,
  ZK_TX_TYPES,
  ZkTxDecodeError,
  type ZkField,
  type ZkTransaction,
  type ZkTxDecodeErrorCode,
} from './types.ts';

const MAX_U32 = (1n << 32n) - 1n;
const MAX_U128 = (1n << 128n) - 1n;

function fail(code: ZkTxDecodeErrorCode, field: ZkField, message: string): never {
  throw new ZkTxDecodeError(code, `${field}: ${message}`, { offset: ZK_HEAD_WORD[field] * 32, field });
}

/** The §2.4 rules, on a transaction whose fields are already in range. */
export function checkZkStructure(tx: ZkTransaction): void {
  const t = tx.txType;
  if (!ZK_TX_TYPES.includes(t)) fail('ZK_UNKNOWN_TYPE', 'tx_type', `unsupported transaction type 0x${t.toString(16).padStart(2, '0')}`);
  if ((t === ZK_TX_TYPE_LEGACY || t === ZK_TX_TYPE_EIP2930) && tx.maxFeePerGas !== tx.maxPriorityFeePerGas) {
    fail('ZK_FEE_MISMATCH', 'max_priority_fee_per_gas', 'legacy and EIP-2930 transactions need max_fee_per_gas == max_priority_fee_per_gas');
  }
  if (t !== ZK_TX_TYPE_EIP712) {
    if (tx.paymaster !== 0n) fail('ZK_PAYMASTER_NOT_ALLOWED', 'paymaster', 'only type 0x71 may name a paymaster');
    if (tx.paymasterInput.length > 0) fail('ZK_PAYMASTER_INPUT_NOT_ALLOWED', 'paymaster_input', 'only type 0x71 may carry paymaster input');
  }
  if (tx.reserved[0] !== 0n && t !== ZK_TX_TYPE_LEGACY && !isL1OrUpgradeType(t)) {
    fail('ZK_RESERVED0_NOT_ALLOWED', 'reserved0', 'only legacy, L1 and upgrade transactions use reserved[0]');
  }
  if (tx.reserved[1] !== 0n) {
    if (t === ZK_TX_TYPE_EIP712) fail('ZK_RESERVED1_NOT_ALLOWED', 'reserved1', 'type 0x71 cannot be a deployment');
    if (isEthereumType(t) && tx.to !== 0n) fail('ZK_RESERVED1_NOT_ALLOWED', 'reserved1', 'the deployment flag requires to == 0');
  }
  if (tx.reserved[2] !== 0n) fail('ZK_RESERVED_NONZERO', 'reserved2', 'must be zero');
  if (tx.reserved[3] !== 0n) fail('ZK_RESERVED_NONZERO', 'reserved3', 'must be zero');
  const sigLen = isL1OrUpgradeType(t) ? 0 : ZK_SIGNATURE_LENGTH;
  if (tx.signature.length !== sigLen) fail('ZK_SIGNATURE_LENGTH', 'signature', `${tx.signature.length} bytes, expected ${sigLen}`);
  if (tx.factoryDeps.length > 0 && isEthereumType(t)) fail('ZK_FACTORY_DEPS_NOT_ALLOWED', 'factory_deps', 'Ethereum transaction types carry no factory deps');
  if (tx.accessList !== null && t !== ZK_TX_TYPE_EIP2930 && t !== ZK_TX_TYPE_EIP1559) {
    fail('ZK_ACCESS_LIST_NOT_ALLOWED', 'reserved_dynamic', 'only EIP-2930 and EIP-1559 transactions carry (and sign) an access list');
  }
}

function uintIn(v: bigint, max: bigint, bits: number, field: ZkField): void {
  if (v < 0n) throw new RangeError(`${field} is negative`);
  if (v > max) fail('ZK_INT_RANGE', field, `does not fit u${bits}`);
}

function addressIn(v: bigint, field: ZkField): void {
  if (v < 0n) throw new RangeError(`${field} is negative`);
  if (v > ADDRESS_MASK) fail('ZK_ADDRESS_RANGE', field, 'wider than 160 bits');
}

/**
 * Everything decodeZkTransaction would check, for a transaction built as an object: field ranges,
 * then §2.4. Defects bytes could never carry (negative numbers, a factory dep that is not 32 bytes)
 * are RangeError.
 */
export function validateZkTransaction(tx: ZkTransaction): void {
  if (!Number.isInteger(tx.txType) || tx.txType < 0) throw new RangeError(`tx_type ${tx.txType} is not a non-negative integer`);
  if (tx.txType > 0xff) fail('ZK_INT_RANGE', 'tx_type', 'does not fit u8');
  addressIn(tx.from, 'from');
  addressIn(tx.to, 'to');
  uintIn(tx.gasLimit, MAX_U64, 64, 'gas_limit');
  uintIn(tx.gasPerPubdataLimit, MAX_U32, 32, 'gas_per_pubdata_limit');
  uintIn(tx.maxFeePerGas, MAX_U128, 128, 'max_fee_per_gas');
  uintIn(tx.maxPriorityFeePerGas, MAX_U128, 128, 'max_priority_fee_per_gas');
  addressIn(tx.paymaster, 'paymaster');
  uintIn(tx.nonce, MAX_U256, 256, 'nonce');
  uintIn(tx.value, MAX_U256, 256, 'value');
  const reservedFields: ZkField[] = ['reserved0', 'reserved1', 'reserved2', 'reserved3'];
  tx.reserved.forEach((r, i) => uintIn(r, MAX_U256, 256, reservedFields[i]));
  tx.factoryDeps.forEach((d, i) => {
    if (d.length !== 32) throw new RangeError(`factory_deps[${i}] is ${d.length} bytes, expected 32`);
  });
  for (const e of tx.accessList ?? []) {
    if (e.address < 0n || e.storageKeys.some((k) => k < 0n || k > MAX_U256)) throw new RangeError('access list value out of range');
    if (e.address > ADDRESS_MASK) fail('ZK_ADDRESS_RANGE', 'reserved_dynamic', 'access-list address wider than 160 bits');
  }
  checkZkStructure(tx);
}
