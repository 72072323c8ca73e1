// 0x02 SHA-256, 0x03 RIPEMD-160 and 0x04 identity (Frontier precompiles).
import { ripemd160, sha256 } from '../../crypto/index.ts';
import { failure, success, words } from './common.ts';
import type { PrecompileOutcome } from './types.ts';

export const SHA256_GAS_BASE = 60;
export const SHA256_GAS_PER_WORD = 12;
export const RIPEMD160_GAS_BASE = 600;
export const RIPEMD160_GAS_PER_WORD = 120;
export const IDENTITY_GAS_BASE = 15;
export const IDENTITY_GAS_PER_WORD = 3;

// Native (ZKsync OS) costs. SHA-256: per 64-byte block of the padded message, plus a base.
export const SHA256_NATIVE_BASE = 1600;
export const SHA256_NATIVE_PER_BLOCK = 4200;
// RIPEMD-160 (our own estimate): two parallel 80-step lines per block, ~1.5x a SHA-256 block.
export const RIPEMD160_NATIVE_BASE = 1600;
export const RIPEMD160_NATIVE_PER_BLOCK = 6300;
// Identity: a base plus a copy cost per byte.
export const IDENTITY_NATIVE_BASE = 20;
export const IDENTITY_NATIVE_PER_BYTE = 10;

/** 64-byte blocks after MD-style padding (0x80, zeros, 8-byte length): ceil((len + 9) / 64). */
function paddedBlocks(len: number): number {
  return Math.floor((len + 72) / 64);
}

export function sha256Precompile(input: Uint8Array, gasAvailable: number): PrecompileOutcome {
  const gas = SHA256_GAS_BASE + SHA256_GAS_PER_WORD * words(input.length);
  if (gas > gasAvailable) return failure(gasAvailable, 0);
  const native = SHA256_NATIVE_BASE + SHA256_NATIVE_PER_BLOCK * paddedBlocks(input.length);
  return success(gas, native, sha256(input));
}

export function ripemd160Precompile(input: Uint8Array, gasAvailable: number): PrecompileOutcome {
  const gas = RIPEMD160_GAS_BASE + RIPEMD160_GAS_PER_WORD * words(input.length);
  if (gas > gasAvailable) return failure(gasAvailable, 0);
  const native = RIPEMD160_NATIVE_BASE + RIPEMD160_NATIVE_PER_BLOCK * paddedBlocks(input.length);
  const out = new Uint8Array(32);
  out.set(ripemd160(input), 12);
  return success(gas, native, out);
}

export function identityPrecompile(input: Uint8Array, gasAvailable: number): PrecompileOutcome {
  const gas = IDENTITY_GAS_BASE + IDENTITY_GAS_PER_WORD * words(input.length);
  if (gas > gasAvailable) return failure(gasAvailable, 0);
  // A copy: the caller's input buffer may be EVM memory that changes after the call.
  return success(gas, IDENTITY_NATIVE_BASE + IDENTITY_NATIVE_PER_BYTE * input.length, input.slice());
}
