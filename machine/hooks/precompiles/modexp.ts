// 0x05 MODEXP (EIP-198) with the EIP-2565 gas schedule (Berlin .. Cancun).
//
// Input: <baseLen: 32> <expLen: 32> <modLen: 32> <base> <exponent> <modulus>, implicitly
// right-padded with zeros. Declared lengths may be huge: gas is computed from the header and the
// first (at most) 32 bytes of the exponent, with BigInt arithmetic, before anything is allocated.
import { emptyOutput, failure, readUint, success, writeUint } from './common.ts';
import type { PrecompileOutcome } from './types.ts';

export const MODEXP_MIN_GAS = 200n;
export const MODEXP_GAS_DIVISOR = 3n;
// Native (our own estimate): the EIP-2565 price is already words^2 x iterations, i.e. the
// multi-precision work; charge a fixed parse cost plus a multiple of the (unclamped) price.
export const MODEXP_NATIVE_BASE = 2_000;
export const MODEXP_NATIVE_PER_GAS = 100;

const HEADER_LEN = 96;
const WINDOW_BITS = 4;

function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

/** EIP-2565 gas for the given header values and exponent head; BigInt, never clamped to a number. */
export function modexpGas(baseLen: bigint, expLen: bigint, modLen: bigint, expHead: bigint): bigint {
  const maxLen = baseLen > modLen ? baseLen : modLen;
  const w = (maxLen + 7n) / 8n;
  const multComplexity = w * w;
  const headBits = expHead === 0n ? 0n : BigInt(bitLength(expHead) - 1);
  let iterations = expLen <= 32n ? headBits : 8n * (expLen - 32n) + headBits;
  if (iterations < 1n) iterations = 1n;
  const gas = (multComplexity * iterations) / MODEXP_GAS_DIVISOR;
  return gas < MODEXP_MIN_GAS ? MODEXP_MIN_GAS : gas;
}

export function modexpPrecompile(input: Uint8Array, gasAvailable: number): PrecompileOutcome {
  const baseLen = readUint(input, 0, 32);
  const expLen = readUint(input, 32, 32);
  const modLen = readUint(input, 64, 32);

  // The first min(expLen, 32) bytes of the exponent, which starts at 96 + baseLen.
  let expHead = 0n;
  const headLen = expLen < 32n ? Number(expLen) : 32;
  const expStart = 96n + baseLen;
  if (headLen > 0 && expStart < BigInt(input.length)) expHead = readUint(input, Number(expStart), headLen);

  const gasBig = modexpGas(baseLen, expLen, modLen, expHead);
  if (gasBig > BigInt(Math.floor(gasAvailable))) return failure(gasAvailable, MODEXP_NATIVE_BASE);
  const gas = Number(gasBig);
  const native = MODEXP_NATIVE_BASE + MODEXP_NATIVE_PER_GAS * gas;
  if (modLen === 0n) return success(gas, native, emptyOutput());

  // Paid for: with modLen >= 1 the price bounds every length by the gas available (<= 2^53).
  const bl = Number(baseLen);
  const el = Number(expLen);
  const ml = Number(modLen);
  const modulus = readUint(input, HEADER_LEN + bl + el, ml);
  const out = new Uint8Array(ml);
  if (modulus <= 1n) return success(gas, native, out); // x mod 0 and x mod 1 are both 0 here
  const base = readUint(input, HEADER_LEN, bl) % modulus;
  writeUint(out, 0, ml, modPowBytes(base, input, HEADER_LEN + bl, el, modulus));
  return success(gas, native, out);
}

/**
 * base^e mod m for the exponent e stored big-endian in input[off .. off+len), bytes past the end
 * of input reading as zero (each such byte is eight squarings; the exponent is never built).
 * Requires m > 1 and base < m.
 */
function modPowBytes(base: bigint, input: Uint8Array, off: number, len: number, m: bigint): bigint {
  const availEnd = Math.min(off + len, input.length);
  let first = off;
  while (first < availEnd && input[first] === 0) first++;
  if (first >= availEnd) return 1n; // exponent is zero (the trailing padding is zeros too)
  if (base === 0n) return 0n;
  if (base === 1n) return 1n;

  // Fixed 4-bit window: table[i] = base^i mod m.
  const table: bigint[] = new Array(1 << WINDOW_BITS);
  table[0] = 1n;
  for (let i = 1; i < table.length; i++) table[i] = (table[i - 1] * base) % m;

  let acc = 1n;
  let started = false;
  for (let i = first; i < availEnd; i++) {
    const b = input[i];
    for (let shift = 4; shift >= 0; shift -= WINDOW_BITS) {
      const nib = (b >> shift) & 0xf;
      if (started) {
        for (let k = 0; k < WINDOW_BITS; k++) acc = (acc * acc) % m;
        if (nib !== 0) acc = (acc * table[nib]) % m;
      } else if (nib !== 0) {
        acc = table[nib];
        started = true;
      }
    }
  }
  // Implicit zero bytes of the exponent beyond the input: square 8 times per byte. 0 and 1 are
  // fixed points of squaring, so the loop may stop early.
  for (let zeros = off + len - availEnd; zeros > 0 && acc > 1n; zeros--) {
    for (let k = 0; k < 8; k++) acc = (acc * acc) % m;
  }
  return acc;
}
