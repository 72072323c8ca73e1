// 0x09 BLAKE2F (EIP-152): the BLAKE2b compression function F with a caller-chosen round count.
//
// Input, exactly 213 bytes: rounds (u32 big-endian) | h (8 x u64 LE) | m (16 x u64 LE) |
// t (2 x u64 LE) | f (1 byte, 0 or 1). Output: the new h (64 bytes). Gas: one per round, checked
// before any work so that a huge round count fails by gas.
//
// Two implementations with identical results:
// - WebAssembly (wasm/blake2f.wat, embedded as base64 in blake2f-wasm.ts): native 64-bit words,
//   ~10-20 ns a round, so the 2^32 - 1 rounds of EIP-152 vector 8 take about a minute. The module
//   is compiled and instantiated synchronously on first use (no I/O, no await).
// - TypeScript, the fallback if WebAssembly cannot be instantiated: 64-bit words are held as
//   (lo, hi) pairs of int32. The round loop keeps the 16 words of the working vector in 32 local
//   variables, the G mixes written out in full, and takes the carry of each 64-bit addition from the
//   sign bits ((a & b) | ((a | b) & ~sum)) >>> 31 without branches (~80 ns a round).
import { failure, success } from './common.ts';
import type { PrecompileOutcome } from './types.ts';
import { BLAKE2F_WASM_BASE64 } from './blake2f-wasm.ts';
import { instantiateEmbedded } from '../../common/wasm.ts';

export const BLAKE2F_GAS_PER_ROUND = 1;
// Native (our own estimate): one round is 8 G mixes of ~40 32-bit operations each.
export const BLAKE2F_NATIVE_BASE = 1_000;
export const BLAKE2F_NATIVE_PER_ROUND = 320;

export const BLAKE2F_INPUT_LEN = 213;

// BLAKE2b IV as (lo, hi) 32-bit pairs.
const IV = new Int32Array([
  0xf3bcc908, 0x6a09e667, 0x84caa73b, 0xbb67ae85, 0xfe94f82b, 0x3c6ef372, 0x5f1d36f1, 0xa54ff53a,
  0xade682d1, 0x510e527f, 0x2b3e6c1f, 0x9b05688c, 0xfb41bd6b, 0x1f83d9ab, 0x137e2179, 0x5be0cd19,
]);

// Message schedule for the 10 distinct rounds; entries are pre-doubled to index (lo, hi) pairs.
const SIGMA = new Uint8Array(
  [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
    14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3,
    11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4,
    7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8,
    9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13,
    2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9,
    12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11,
    13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10,
    6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5,
    10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0,
  ].map((x) => 2 * x),
);

// Scratch buffers, reused across calls (the machine is single-threaded and F does not re-enter).
const v = new Int32Array(32);
const m = new Int32Array(32);

function readI32LE(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24);
}

/** The BLAKE2b rounds on v (the working vector) with message m. */
function rounds(count: number): void {
  let v0l = v[0], v1l = v[2], v2l = v[4], v3l = v[6], v4l = v[8], v5l = v[10], v6l = v[12], v7l = v[14], v8l = v[16], v9l = v[18], v10l = v[20], v11l = v[22], v12l = v[24], v13l = v[26], v14l = v[28], v15l = v[30];
  let v0h = v[1], v1h = v[3], v2h = v[5], v3h = v[7], v4h = v[9], v5h = v[11], v6h = v[13], v7h = v[15], v8h = v[17], v9h = v[19], v10h = v[21], v11h = v[23], v12h = v[25], v13h = v[27], v14h = v[29], v15h = v[31];
  let t = 0;
  let xl = 0;
  let xh = 0;
  for (let r = 0, s = 0; r < count; r++) {
    const s0 = SIGMA[s + 0];
    const s1 = SIGMA[s + 1];
    const s2 = SIGMA[s + 2];
    const s3 = SIGMA[s + 3];
    const s4 = SIGMA[s + 4];
    const s5 = SIGMA[s + 5];
    const s6 = SIGMA[s + 6];
    const s7 = SIGMA[s + 7];
    const s8 = SIGMA[s + 8];
    const s9 = SIGMA[s + 9];
    const s10 = SIGMA[s + 10];
    const s11 = SIGMA[s + 11];
    const s12 = SIGMA[s + 12];
    const s13 = SIGMA[s + 13];
    const s14 = SIGMA[s + 14];
    const s15 = SIGMA[s + 15];
    t = (v0l + v4l) | 0; v0h = (v0h + v4h + (((v0l & v4l) | ((v0l | v4l) & ~t)) >>> 31)) | 0; v0l = t;
    xl = m[s0]; t = (v0l + xl) | 0; v0h = (v0h + m[s0 + 1] + (((v0l & xl) | ((v0l | xl) & ~t)) >>> 31)) | 0; v0l = t;
    t = v12l ^ v0l; v12l = v12h ^ v0h; v12h = t;
    t = (v8l + v12l) | 0; v8h = (v8h + v12h + (((v8l & v12l) | ((v8l | v12l) & ~t)) >>> 31)) | 0; v8l = t;
    xl = v4l ^ v8l; xh = v4h ^ v8h; v4l = (xl >>> 24) | (xh << 8); v4h = (xh >>> 24) | (xl << 8);
    t = (v0l + v4l) | 0; v0h = (v0h + v4h + (((v0l & v4l) | ((v0l | v4l) & ~t)) >>> 31)) | 0; v0l = t;
    xl = m[s1]; t = (v0l + xl) | 0; v0h = (v0h + m[s1 + 1] + (((v0l & xl) | ((v0l | xl) & ~t)) >>> 31)) | 0; v0l = t;
    xl = v12l ^ v0l; xh = v12h ^ v0h; v12l = (xl >>> 16) | (xh << 16); v12h = (xh >>> 16) | (xl << 16);
    t = (v8l + v12l) | 0; v8h = (v8h + v12h + (((v8l & v12l) | ((v8l | v12l) & ~t)) >>> 31)) | 0; v8l = t;
    xl = v4l ^ v8l; xh = v4h ^ v8h; v4l = (xl << 1) | (xh >>> 31); v4h = (xh << 1) | (xl >>> 31);
    t = (v1l + v5l) | 0; v1h = (v1h + v5h + (((v1l & v5l) | ((v1l | v5l) & ~t)) >>> 31)) | 0; v1l = t;
    xl = m[s2]; t = (v1l + xl) | 0; v1h = (v1h + m[s2 + 1] + (((v1l & xl) | ((v1l | xl) & ~t)) >>> 31)) | 0; v1l = t;
    t = v13l ^ v1l; v13l = v13h ^ v1h; v13h = t;
    t = (v9l + v13l) | 0; v9h = (v9h + v13h + (((v9l & v13l) | ((v9l | v13l) & ~t)) >>> 31)) | 0; v9l = t;
    xl = v5l ^ v9l; xh = v5h ^ v9h; v5l = (xl >>> 24) | (xh << 8); v5h = (xh >>> 24) | (xl << 8);
    t = (v1l + v5l) | 0; v1h = (v1h + v5h + (((v1l & v5l) | ((v1l | v5l) & ~t)) >>> 31)) | 0; v1l = t;
    xl = m[s3]; t = (v1l + xl) | 0; v1h = (v1h + m[s3 + 1] + (((v1l & xl) | ((v1l | xl) & ~t)) >>> 31)) | 0; v1l = t;
    xl = v13l ^ v1l; xh = v13h ^ v1h; v13l = (xl >>> 16) | (xh << 16); v13h = (xh >>> 16) | (xl << 16);
    t = (v9l + v13l) | 0; v9h = (v9h + v13h + (((v9l & v13l) | ((v9l | v13l) & ~t)) >>> 31)) | 0; v9l = t;
    xl = v5l ^ v9l; xh = v5h ^ v9h; v5l = (xl << 1) | (xh >>> 31); v5h = (xh << 1) | (xl >>> 31);
    t = (v2l + v6l) | 0; v2h = (v2h + v6h + (((v2l & v6l) | ((v2l | v6l) & ~t)) >>> 31)) | 0; v2l = t;
    xl = m[s4]; t = (v2l + xl) | 0; v2h = (v2h + m[s4 + 1] + (((v2l & xl) | ((v2l | xl) & ~t)) >>> 31)) | 0; v2l = t;
    t = v14l ^ v2l; v14l = v14h ^ v2h; v14h = t;
    t = (v10l + v14l) | 0; v10h = (v10h + v14h + (((v10l & v14l) | ((v10l | v14l) & ~t)) >>> 31)) | 0; v10l = t;
    xl = v6l ^ v10l; xh = v6h ^ v10h; v6l = (xl >>> 24) | (xh << 8); v6h = (xh >>> 24) | (xl << 8);
    t = (v2l + v6l) | 0; v2h = (v2h + v6h + (((v2l & v6l) | ((v2l | v6l) & ~t)) >>> 31)) | 0; v2l = t;
    xl = m[s5]; t = (v2l + xl) | 0; v2h = (v2h + m[s5 + 1] + (((v2l & xl) | ((v2l | xl) & ~t)) >>> 31)) | 0; v2l = t;
    xl = v14l ^ v2l; xh = v14h ^ v2h; v14l = (xl >>> 16) | (xh << 16); v14h = (xh >>> 16) | (xl << 16);
    t = (v10l + v14l) | 0; v10h = (v10h + v14h + (((v10l & v14l) | ((v10l | v14l) & ~t)) >>> 31)) | 0; v10l = t;
    xl = v6l ^ v10l; xh = v6h ^ v10h; v6l = (xl << 1) | (xh >>> 31); v6h = (xh << 1) | (xl >>> 31);
    t = (v3l + v7l) | 0; v3h = (v3h + v7h + (((v3l & v7l) | ((v3l | v7l) & ~t)) >>> 31)) | 0; v3l = t;
    xl = m[s6]; t = (v3l + xl) | 0; v3h = (v3h + m[s6 + 1] + (((v3l & xl) | ((v3l | xl) & ~t)) >>> 31)) | 0; v3l = t;
    t = v15l ^ v3l; v15l = v15h ^ v3h; v15h = t;
    t = (v11l + v15l) | 0; v11h = (v11h + v15h + (((v11l & v15l) | ((v11l | v15l) & ~t)) >>> 31)) | 0; v11l = t;
    xl = v7l ^ v11l; xh = v7h ^ v11h; v7l = (xl >>> 24) | (xh << 8); v7h = (xh >>> 24) | (xl << 8);
    t = (v3l + v7l) | 0; v3h = (v3h + v7h + (((v3l & v7l) | ((v3l | v7l) & ~t)) >>> 31)) | 0; v3l = t;
    xl = m[s7]; t = (v3l + xl) | 0; v3h = (v3h + m[s7 + 1] + (((v3l & xl) | ((v3l | xl) & ~t)) >>> 31)) | 0; v3l = t;
    xl = v15l ^ v3l; xh = v15h ^ v3h; v15l = (xl >>> 16) | (xh << 16); v15h = (xh >>> 16) | (xl << 16);
    t = (v11l + v15l) | 0; v11h = (v11h + v15h + (((v11l & v15l) | ((v11l | v15l) & ~t)) >>> 31)) | 0; v11l = t;
    xl = v7l ^ v11l; xh = v7h ^ v11h; v7l = (xl << 1) | (xh >>> 31); v7h = (xh << 1) | (xl >>> 31);
    t = (v0l + v5l) | 0; v0h = (v0h + v5h + (((v0l & v5l) | ((v0l | v5l) & ~t)) >>> 31)) | 0; v0l = t;
    xl = m[s8]; t = (v0l + xl) | 0; v0h = (v0h + m[s8 + 1] + (((v0l & xl) | ((v0l | xl) & ~t)) >>> 31)) | 0; v0l = t;
    t = v15l ^ v0l; v15l = v15h ^ v0h; v15h = t;
    t = (v10l + v15l) | 0; v10h = (v10h + v15h + (((v10l & v15l) | ((v10l | v15l) & ~t)) >>> 31)) | 0; v10l = t;
    xl = v5l ^ v10l; xh = v5h ^ v10h; v5l = (xl >>> 24) | (xh << 8); v5h = (xh >>> 24) | (xl << 8);
    t = (v0l + v5l) | 0; v0h = (v0h + v5h + (((v0l & v5l) | ((v0l | v5l) & ~t)) >>> 31)) | 0; v0l = t;
    xl = m[s9]; t = (v0l + xl) | 0; v0h = (v0h + m[s9 + 1] + (((v0l & xl) | ((v0l | xl) & ~t)) >>> 31)) | 0; v0l = t;
    xl = v15l ^ v0l; xh = v15h ^ v0h; v15l = (xl >>> 16) | (xh << 16); v15h = (xh >>> 16) | (xl << 16);
    t = (v10l + v15l) | 0; v10h = (v10h + v15h + (((v10l & v15l) | ((v10l | v15l) & ~t)) >>> 31)) | 0; v10l = t;
    xl = v5l ^ v10l; xh = v5h ^ v10h; v5l = (xl << 1) | (xh >>> 31); v5h = (xh << 1) | (xl >>> 31);
    t = (v1l + v6l) | 0; v1h = (v1h + v6h + (((v1l & v6l) | ((v1l | v6l) & ~t)) >>> 31)) | 0; v1l = t;
    xl = m[s10]; t = (v1l + xl) | 0; v1h = (v1h + m[s10 + 1] + (((v1l & xl) | ((v1l | xl) & ~t)) >>> 31)) | 0; v1l = t;
    t = v12l ^ v1l; v12l = v12h ^ v1h; v12h = t;
    t = (v11l + v12l) | 0; v11h = (v11h + v12h + (((v11l & v12l) | ((v11l | v12l) & ~t)) >>> 31)) | 0; v11l = t;
    xl = v6l ^ v11l; xh = v6h ^ v11h; v6l = (xl >>> 24) | (xh << 8); v6h = (xh >>> 24) | (xl << 8);
    t = (v1l + v6l) | 0; v1h = (v1h + v6h + (((v1l & v6l) | ((v1l | v6l) & ~t)) >>> 31)) | 0; v1l = t;
    xl = m[s11]; t = (v1l + xl) | 0; v1h = (v1h + m[s11 + 1] + (((v1l & xl) | ((v1l | xl) & ~t)) >>> 31)) | 0; v1l = t;
    xl = v12l ^ v1l; xh = v12h ^ v1h; v12l = (xl >>> 16) | (xh << 16); v12h = (xh >>> 16) | (xl << 16);
    t = (v11l + v12l) | 0; v11h = (v11h + v12h + (((v11l & v12l) | ((v11l | v12l) & ~t)) >>> 31)) | 0; v11l = t;
    xl = v6l ^ v11l; xh = v6h ^ v11h; v6l = (xl << 1) | (xh >>> 31); v6h = (xh << 1) | (xl >>> 31);
    t = (v2l + v7l) | 0; v2h = (v2h + v7h + (((v2l & v7l) | ((v2l | v7l) & ~t)) >>> 31)) | 0; v2l = t;
    xl = m[s12]; t = (v2l + xl) | 0; v2h = (v2h + m[s12 + 1] + (((v2l & xl) | ((v2l | xl) & ~t)) >>> 31)) | 0; v2l = t;
    t = v13l ^ v2l; v13l = v13h ^ v2h; v13h = t;
    t = (v8l + v13l) | 0; v8h = (v8h + v13h + (((v8l & v13l) | ((v8l | v13l) & ~t)) >>> 31)) | 0; v8l = t;
    xl = v7l ^ v8l; xh = v7h ^ v8h; v7l = (xl >>> 24) | (xh << 8); v7h = (xh >>> 24) | (xl << 8);
    t = (v2l + v7l) | 0; v2h = (v2h + v7h + (((v2l & v7l) | ((v2l | v7l) & ~t)) >>> 31)) | 0; v2l = t;
    xl = m[s13]; t = (v2l + xl) | 0; v2h = (v2h + m[s13 + 1] + (((v2l & xl) | ((v2l | xl) & ~t)) >>> 31)) | 0; v2l = t;
    xl = v13l ^ v2l; xh = v13h ^ v2h; v13l = (xl >>> 16) | (xh << 16); v13h = (xh >>> 16) | (xl << 16);
    t = (v8l + v13l) | 0; v8h = (v8h + v13h + (((v8l & v13l) | ((v8l | v13l) & ~t)) >>> 31)) | 0; v8l = t;
    xl = v7l ^ v8l; xh = v7h ^ v8h; v7l = (xl << 1) | (xh >>> 31); v7h = (xh << 1) | (xl >>> 31);
    t = (v3l + v4l) | 0; v3h = (v3h + v4h + (((v3l & v4l) | ((v3l | v4l) & ~t)) >>> 31)) | 0; v3l = t;
    xl = m[s14]; t = (v3l + xl) | 0; v3h = (v3h + m[s14 + 1] + (((v3l & xl) | ((v3l | xl) & ~t)) >>> 31)) | 0; v3l = t;
    t = v14l ^ v3l; v14l = v14h ^ v3h; v14h = t;
    t = (v9l + v14l) | 0; v9h = (v9h + v14h + (((v9l & v14l) | ((v9l | v14l) & ~t)) >>> 31)) | 0; v9l = t;
    xl = v4l ^ v9l; xh = v4h ^ v9h; v4l = (xl >>> 24) | (xh << 8); v4h = (xh >>> 24) | (xl << 8);
    t = (v3l + v4l) | 0; v3h = (v3h + v4h + (((v3l & v4l) | ((v3l | v4l) & ~t)) >>> 31)) | 0; v3l = t;
    xl = m[s15]; t = (v3l + xl) | 0; v3h = (v3h + m[s15 + 1] + (((v3l & xl) | ((v3l | xl) & ~t)) >>> 31)) | 0; v3l = t;
    xl = v14l ^ v3l; xh = v14h ^ v3h; v14l = (xl >>> 16) | (xh << 16); v14h = (xh >>> 16) | (xl << 16);
    t = (v9l + v14l) | 0; v9h = (v9h + v14h + (((v9l & v14l) | ((v9l | v14l) & ~t)) >>> 31)) | 0; v9l = t;
    xl = v4l ^ v9l; xh = v4h ^ v9h; v4l = (xl << 1) | (xh >>> 31); v4h = (xh << 1) | (xl >>> 31);
    s = s === 144 ? 0 : s + 16;
  }
  v[0] = v0l; v[1] = v0h;
  v[2] = v1l; v[3] = v1h;
  v[4] = v2l; v[5] = v2h;
  v[6] = v3l; v[7] = v3h;
  v[8] = v4l; v[9] = v4h;
  v[10] = v5l; v[11] = v5h;
  v[12] = v6l; v[13] = v6h;
  v[14] = v7l; v[15] = v7h;
  v[16] = v8l; v[17] = v8h;
  v[18] = v9l; v[19] = v9h;
  v[20] = v10l; v[21] = v10h;
  v[22] = v11l; v[23] = v11h;
  v[24] = v12l; v[25] = v12h;
  v[26] = v13l; v[27] = v13h;
  v[28] = v14l; v[29] = v14h;
  v[30] = v15l; v[31] = v15h;
}

/**
 * F(h, m, t, f, rounds) in TypeScript on a valid 213-byte EIP-152 input; returns the 64-byte new
 * state. `count` may be anything up to 2^32 - 1.
 */
export function blake2bCompressTs(input: Uint8Array, count: number): Uint8Array {
  for (let i = 0; i < 16; i++) v[i] = readI32LE(input, 4 + 4 * i);
  v.set(IV, 16);
  for (let i = 0; i < 32; i++) m[i] = readI32LE(input, 68 + 4 * i);
  // v[12] ^= t0, v[13] ^= t1 (as 64-bit words)
  v[24] ^= readI32LE(input, 196);
  v[25] ^= readI32LE(input, 200);
  v[26] ^= readI32LE(input, 204);
  v[27] ^= readI32LE(input, 208);
  if (input[212] === 1) {
    // v[14] = ~v[14]
    v[28] = ~v[28];
    v[29] = ~v[29];
  }
  rounds(count);
  const out = new Uint8Array(64);
  for (let i = 0; i < 16; i++) {
    const w = readI32LE(input, 4 + 4 * i) ^ v[i] ^ v[i + 16];
    out[4 * i] = w;
    out[4 * i + 1] = w >>> 8;
    out[4 * i + 2] = w >>> 16;
    out[4 * i + 3] = w >>> 24;
  }
  return out;
}

interface Blake2fWasm {
  /** Bytes 0 .. 208 of the module's memory: h (out: the new h), m, t, as in the input at 4 .. 212. */
  io: Uint8Array;
  /** F with `rounds` taken as u32, f the final-block flag (0 or 1). */
  compress: (rounds: number, f: number) => void;
}

/** undefined: not tried yet; null: could not be instantiated (the TS code is used). */
let wasm: Blake2fWasm | null | undefined;

/** The WebAssembly F, compiled and instantiated synchronously on first use; null if unavailable. */
export function blake2fWasm(): Blake2fWasm | null {
  if (wasm !== undefined) return wasm;
  try {
    const { mem, compress } = instantiateEmbedded(BLAKE2F_WASM_BASE64) as { mem: WebAssembly.Memory; compress: Blake2fWasm['compress'] };
    // The memory has a fixed size (it never grows), so the view stays valid.
    wasm = { io: new Uint8Array(mem.buffer, 0, 208), compress };
  } catch {
    wasm = null;
  }
  return wasm;
}

/**
 * F in WebAssembly on a valid 213-byte EIP-152 input; returns the 64-byte new state. Throws if
 * WebAssembly is unavailable (blake2bCompress falls back instead).
 */
export function blake2bCompressWasm(input: Uint8Array, count: number): Uint8Array {
  const w = blake2fWasm();
  if (!w) throw new Error('BLAKE2F WebAssembly module unavailable');
  w.io.set(input.subarray(4, 212));
  w.compress(count, input[212] === 1 ? 1 : 0); // as the TS code: only a flag byte of 1 is final
  return w.io.slice(0, 64);
}

/** F on a valid 213-byte EIP-152 input: WebAssembly when available, else TypeScript. */
export function blake2bCompress(input: Uint8Array, count: number): Uint8Array {
  return blake2fWasm() ? blake2bCompressWasm(input, count) : blake2bCompressTs(input, count);
}

export function blake2fPrecompile(input: Uint8Array, gasAvailable: number): PrecompileOutcome {
  if (input.length !== BLAKE2F_INPUT_LEN) return failure(gasAvailable, 0);
  const count = ((input[0] << 24) | (input[1] << 16) | (input[2] << 8) | input[3]) >>> 0;
  const gas = BLAKE2F_GAS_PER_ROUND * count;
  if (gas > gasAvailable) return failure(gasAvailable, 0);
  const f = input[212];
  if (f !== 0 && f !== 1) return failure(gasAvailable, 0);
  return success(gas, BLAKE2F_NATIVE_BASE + BLAKE2F_NATIVE_PER_ROUND * count, blake2bCompress(input, count));
}
