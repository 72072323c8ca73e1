// Flat keys of storage slots and the account-properties slot (reference §4.3–4.4).
import { blake2s } from '../../crypto/index.ts';
import { ADDRESS_MASK, MAX_U256, writeBigInt } from '../../common/bytes.ts';

import { ACCOUNT_ENCODING_LENGTH, ACCOUNT_PROPERTIES_STORAGE_ADDRESS } from '../../system/account.ts';

// The account layout lives in system/account.ts; the tree names it for its own key derivations.
export { ACCOUNT_PROPERTIES_STORAGE_ADDRESS };
export const ACCOUNT_PROPERTIES_ENCODING_LENGTH = ACCOUNT_ENCODING_LENGTH;

const keyBuf = new Uint8Array(64);

/**
 * flat_key(address, slot) = blake2s(12 zero bytes ‖ address (20 bytes BE) ‖ slot (32 bytes)).
 * A numeric slot is taken as 32 big-endian bytes, as the EVM's SLOAD/SSTORE key.
 */
export function flatKey(address: bigint, slot: Uint8Array | bigint): Uint8Array {
  if (address < 0n || address > ADDRESS_MASK) throw new Error('address out of range');
  writeBigInt(keyBuf, 0, address, 32);
  if (typeof slot === 'bigint') {
    if (slot < 0n || slot > MAX_U256) throw new Error('storage slot out of range');
    writeBigInt(keyBuf, 32, slot, 32);
  } else {
    if (slot.length !== 32) throw new Error('storage slot key must be 32 bytes');
    keyBuf.set(slot, 32);
  }
  return blake2s(keyBuf);
}

/** flat_key from the 20 address bytes and 32 slot bytes as stored (no bigint round trip). */
export function flatKeyOfBytes(address: Uint8Array, slot: Uint8Array): Uint8Array {
  if (address.length !== 20 || slot.length !== 32) throw new Error('flat key needs a 20-byte address and a 32-byte slot');
  keyBuf.fill(0, 0, 12);
  keyBuf.set(address, 12);
  keyBuf.set(slot, 32);
  return blake2s(keyBuf);
}

/** The slot key under 0x8003 for an address's properties: the address left-padded to 32 bytes. */
export function accountPropertiesSlot(address: bigint): Uint8Array {
  if (address < 0n || address > ADDRESS_MASK) throw new Error('address out of range');
  const slot = new Uint8Array(32);
  writeBigInt(slot, 0, address, 32);
  return slot;
}

/** Flat key of the tree leaf holding an account's properties hash. */
export function accountPropertiesFlatKey(address: bigint): Uint8Array {
  return flatKey(ACCOUNT_PROPERTIES_STORAGE_ADDRESS, address);
}

/** account_hash = blake2s(124-byte properties encoding); a slot value of zero means "default". */
export function accountHash(encoding: Uint8Array): Uint8Array {
  if (encoding.length !== ACCOUNT_PROPERTIES_ENCODING_LENGTH) throw new Error('account properties encoding must be 124 bytes');
  return blake2s(encoding);
}
