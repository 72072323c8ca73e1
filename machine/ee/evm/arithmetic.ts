// 256-bit arithmetic whose semantics need more than one bigint operator.

const TWO256 = 1n << 256n;

export function sdiv(a: bigint, b: bigint): bigint {
  if (b === 0n) return 0n;
  const r = BigInt.asIntN(256, a) / BigInt.asIntN(256, b);
  return BigInt.asUintN(256, r);
}

export function smod(a: bigint, b: bigint): bigint {
  if (b === 0n) return 0n;
  return BigInt.asUintN(256, BigInt.asIntN(256, a) % BigInt.asIntN(256, b));
}

export function exp(base: bigint, e: bigint): bigint {
  if (e === 0n) return 1n;
  if (base === 0n) return 0n;
  if (base === 1n) return 1n;
  if (base === 2n && e < 256n) return 1n << e;
  let result = 1n;
  let b = base;
  while (e > 0n) {
    if (e & 1n) result = (result * b) & (TWO256 - 1n);
    e >>= 1n;
    if (e > 0n) b = (b * b) & (TWO256 - 1n);
  }
  return result;
}

/** Number of bytes in the exponent, for EXP's dynamic gas. */
export { byteLength } from '../../common/bytes.ts';

export function signextend(b: bigint, x: bigint): bigint {
  if (b >= 31n) return x;
  const bits = Number(b) * 8 + 8;
  return BigInt.asUintN(256, BigInt.asIntN(bits, x));
}

export function byteAt(i: bigint, x: bigint): bigint {
  if (i >= 32n) return 0n;
  return (x >> (8n * (31n - i))) & 0xffn;
}

export function sar(shift: bigint, x: bigint): bigint {
  const neg = x >> 255n === 1n;
  if (shift >= 256n) return neg ? TWO256 - 1n : 0n;
  return BigInt.asUintN(256, BigInt.asIntN(256, x) >> shift);
}

export function slt(a: bigint, b: bigint): boolean {
  return BigInt.asIntN(256, a) < BigInt.asIntN(256, b);
}
