// 0x06 ECADD, 0x07 ECMUL (EIP-196) and 0x08 ECPAIRING (EIP-197) on alt_bn128 / bn254, with the
// Istanbul (EIP-1108) prices in force through Cancun. Curve arithmetic is @noble/curves.
import { bn254 } from '@noble/curves/bn254.js';
import { failure, padRight, readUint, success, writeUint } from './common.ts';
import type { PrecompileOutcome } from './types.ts';

export const BN254_ADD_GAS = 150;
export const BN254_MUL_GAS = 6000;
export const BN254_PAIRING_BASE_GAS = 45_000;
export const BN254_PAIRING_PER_PAIR_GAS = 34_000;

// Native costs (our own estimates, proportional to the field work): an affine addition with two
// point decodings; a ~256-step double-and-add; a Miller loop per pair plus one final
// exponentiation per call (roughly 25x a scalar multiplication each).
export const BN254_ADD_NATIVE = 20_000;
export const BN254_MUL_NATIVE = 600_000;
export const BN254_PAIRING_BASE_NATIVE = 4_000_000;
export const BN254_PAIRING_PER_PAIR_NATIVE = 3_000_000;
// Decoding failures are charged the decode work only.
export const BN254_DECODE_NATIVE = 5_000;

const PAIR_LEN = 192;

const G1 = bn254.G1.Point;
const G2 = bn254.G2.Point;
const Fp12 = bn254.fields.Fp12;
const P = bn254.fields.Fp.ORDER;
const N = bn254.fields.Fr.ORDER;

type G1Point = InstanceType<typeof G1>;
type G2Point = InstanceType<typeof G2>;

/** A G1 point from 64 bytes (x, y); (0, 0) is the point at infinity. null if invalid. */
function decodeG1(buf: Uint8Array, off: number): G1Point | null {
  const x = readUint(buf, off, 32);
  const y = readUint(buf, off + 32, 32);
  if (x >= P || y >= P) return null;
  if (x === 0n && y === 0n) return G1.ZERO;
  const pt = G1.fromAffine({ x, y });
  try {
    pt.assertValidity(); // on the curve; the cofactor of G1 is 1
  } catch {
    return null;
  }
  return pt;
}

/**
 * A G2 point from 128 bytes: x = (x_imag, x_real), y = (y_imag, y_real), each Fp2 element
 * written imaginary part first. All zeros is infinity. null if off the curve or outside the
 * order-n subgroup.
 */
function decodeG2(buf: Uint8Array, off: number): G2Point | null {
  const xi = readUint(buf, off, 32);
  const xr = readUint(buf, off + 32, 32);
  const yi = readUint(buf, off + 64, 32);
  const yr = readUint(buf, off + 96, 32);
  if (xi >= P || xr >= P || yi >= P || yr >= P) return null;
  if (xi === 0n && xr === 0n && yi === 0n && yr === 0n) return G2.ZERO;
  const pt = G2.fromAffine({ x: { c0: xr, c1: xi }, y: { c0: yr, c1: yi } });
  try {
    pt.assertValidity(); // on the twist and torsion-free (in the order-n subgroup)
  } catch {
    return null;
  }
  return pt;
}

function encodeG1(pt: G1Point): Uint8Array {
  const out = new Uint8Array(64);
  if (pt.is0()) return out;
  const { x, y } = pt.toAffine();
  writeUint(out, 0, 32, x);
  writeUint(out, 32, 32, y);
  return out;
}

export function bn254AddPrecompile(input: Uint8Array, gasAvailable: number): PrecompileOutcome {
  if (BN254_ADD_GAS > gasAvailable) return failure(gasAvailable, 0);
  const buf = padRight(input, 128);
  const a = decodeG1(buf, 0);
  const b = a && decodeG1(buf, 64);
  if (!a || !b) return failure(gasAvailable, BN254_DECODE_NATIVE);
  return success(BN254_ADD_GAS, BN254_ADD_NATIVE, encodeG1(a.add(b)));
}

export function bn254MulPrecompile(input: Uint8Array, gasAvailable: number): PrecompileOutcome {
  if (BN254_MUL_GAS > gasAvailable) return failure(gasAvailable, 0);
  const buf = padRight(input, 96);
  const pt = decodeG1(buf, 0);
  if (!pt) return failure(gasAvailable, BN254_DECODE_NATIVE);
  // Any 256-bit scalar is allowed; the group has prime order n.
  const k = readUint(buf, 64, 32) % N;
  const res = k === 0n || pt.is0() ? G1.ZERO : pt.multiplyUnsafe(k);
  return success(BN254_MUL_GAS, BN254_MUL_NATIVE, encodeG1(res));
}

export function bn254PairingPrecompile(input: Uint8Array, gasAvailable: number): PrecompileOutcome {
  const pairs = Math.floor(input.length / PAIR_LEN);
  const gas = BN254_PAIRING_BASE_GAS + BN254_PAIRING_PER_PAIR_GAS * pairs;
  if (gas > gasAvailable) return failure(gasAvailable, 0);
  if (input.length % PAIR_LEN !== 0) return failure(gasAvailable, 0);
  const terms: { g1: G1Point; g2: G2Point }[] = [];
  for (let i = 0; i < pairs; i++) {
    const off = i * PAIR_LEN;
    const g1 = decodeG1(input, off);
    const g2 = g1 && decodeG2(input, off + 64);
    if (!g1 || !g2) return failure(gasAvailable, BN254_DECODE_NATIVE * (i + 1));
    // e(O, Q) = e(P, O) = 1: such a pair leaves the product unchanged.
    if (!g1.is0() && !g2.is0()) terms.push({ g1, g2 });
  }
  const isOne = terms.length === 0 || Fp12.eql(bn254.pairingBatch(terms), Fp12.ONE);
  const out = new Uint8Array(32);
  out[31] = isOne ? 1 : 0;
  return success(gas, BN254_PAIRING_BASE_NATIVE + BN254_PAIRING_PER_PAIR_NATIVE * pairs, out);
}
