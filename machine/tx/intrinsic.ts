// Intrinsic gas of an Ethereum transaction (Cancun): the gas charged before any code runs.
import type { Transaction } from './types.ts';

/** Every transaction. */
export const TX_BASE_GAS = 21000n;
/** Extra for a contract creation (EIP-2). */
export const TX_CREATE_GAS = 32000n;
/** Per zero byte of calldata. */
export const TX_DATA_ZERO_GAS = 4n;
/** Per nonzero byte of calldata (EIP-2028). */
export const TX_DATA_NONZERO_GAS = 16n;
/** Per access-list address (EIP-2930). */
export const ACCESS_LIST_ADDRESS_GAS = 2400n;
/** Per access-list storage key (EIP-2930). */
export const ACCESS_LIST_STORAGE_KEY_GAS = 1900n;
/** Per 32-byte word of initcode in a creation transaction (EIP-3860). */
export const INITCODE_WORD_GAS = 2n;
/** Largest initcode a creation may carry (EIP-3860): 2 * 24576. */
export const MAX_INITCODE_SIZE = 49152;

export type IntrinsicGasInput = Pick<Transaction, 'to' | 'data' | 'accessList'>;

export function calldataGas(data: Uint8Array): bigint {
  let zeros = 0;
  for (let i = 0; i < data.length; i++) if (data[i] === 0) zeros++;
  return BigInt(zeros) * TX_DATA_ZERO_GAS + BigInt(data.length - zeros) * TX_DATA_NONZERO_GAS;
}

export function intrinsicGas(tx: IntrinsicGasInput): bigint {
  let gas = TX_BASE_GAS + calldataGas(tx.data);
  if (tx.to === null) gas += TX_CREATE_GAS + BigInt(Math.ceil(tx.data.length / 32)) * INITCODE_WORD_GAS;
  for (const item of tx.accessList) {
    gas += ACCESS_LIST_ADDRESS_GAS + BigInt(item.storageKeys.length) * ACCESS_LIST_STORAGE_KEY_GAS;
  }
  return gas;
}
