// Account properties and their 124-byte encoding (reference §4.4). The tree stores
// blake2s(encoding) at (0x8003, address); the encoding itself is a preimage.
import { bytesToBigInt, writeBigInt } from '../common/bytes.ts';
import { blake2s, keccak256 } from '../crypto/index.ts';

export const ACCOUNT_PROPERTIES_STORAGE_ADDRESS = 0x8003n;
export const ACCOUNT_ENCODING_LENGTH = 124;

export const EE_NONE = 0;
export const EE_EVM = 1;
/** deployed (byte7) = 1, EE = EVM (byte6), code version 1 (byte5). */
export const EVM_DEPLOYED_VERSIONING = 0x0101010000000000n;

export const ZERO_HASH = new Uint8Array(32);
export const KECCAK_EMPTY = keccak256(new Uint8Array(0));

export interface AccountProperties {
  versioning: bigint;
  nonce: bigint;
  balance: bigint;
  /** blake2s of the code; the preimage the oracle serves. */
  bytecodeHash: Uint8Array;
  bytecodeLen: number;
  artifactsLen: number;
  /** keccak of the code, what EXTCODEHASH sees. */
  observableHash: Uint8Array;
  observableLen: number;
}

export function defaultProperties(): AccountProperties {
  return {
    versioning: 0n,
    nonce: 0n,
    balance: 0n,
    bytecodeHash: ZERO_HASH,
    bytecodeLen: 0,
    artifactsLen: 0,
    observableHash: ZERO_HASH,
    observableLen: 0,
  };
}

export function encodeProperties(p: AccountProperties): Uint8Array {
  const out = new Uint8Array(ACCOUNT_ENCODING_LENGTH);
  const view = new DataView(out.buffer);
  writeBigInt(out, 0, p.versioning, 8);
  writeBigInt(out, 8, p.nonce, 8);
  writeBigInt(out, 16, p.balance, 32);
  out.set(p.bytecodeHash, 48);
  view.setUint32(80, p.bytecodeLen);
  view.setUint32(84, p.artifactsLen);
  out.set(p.observableHash, 88);
  view.setUint32(120, p.observableLen);
  return out;
}

export class AccountDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AccountDecodeError';
  }
}

export function decodeProperties(b: Uint8Array): AccountProperties {
  if (b.length < ACCOUNT_ENCODING_LENGTH) {
    throw new AccountDecodeError(`account encoding has ${b.length} bytes, expected ${ACCOUNT_ENCODING_LENGTH}`);
  }
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return {
    versioning: bytesToBigInt(b, 0, 8),
    nonce: bytesToBigInt(b, 8, 16),
    balance: bytesToBigInt(b, 16, 48),
    bytecodeHash: b.slice(48, 80),
    bytecodeLen: view.getUint32(80),
    artifactsLen: view.getUint32(84),
    observableHash: b.slice(88, 120),
    observableLen: view.getUint32(120),
  };
}

export function propertiesHash(p: AccountProperties): Uint8Array {
  return blake2s(encodeProperties(p));
}

/** Properties of an account holding deployed EVM code (reference §4.5). */
export function evmCodeProperties(p: AccountProperties, code: Uint8Array): AccountProperties {
  return {
    ...p,
    versioning: EVM_DEPLOYED_VERSIONING,
    bytecodeHash: blake2s(code),
    bytecodeLen: code.length,
    artifactsLen: 0,
    observableHash: keccak256(code),
    observableLen: code.length,
  };
}

export function eeVersion(p: AccountProperties): number {
  return Number((p.versioning >> 48n) & 0xffn);
}
