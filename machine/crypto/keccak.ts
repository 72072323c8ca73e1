// keccak-256 on our own WebAssembly module (wasm/keccak-wat.mjs: Keccak-f[1600] written out from
// FIPS 202). One instance, loaded synchronously with this module: the input is copied into its
// memory and hashed in one call per ~130 kB plus one to pad and finish. Against hash-wasm's keccak
// driven through its exports it saves a fifth on the 32-115 byte inputs a transaction hashes most
// (fewer calls and copies per hash). It must agree with @noble/hashes on a set of lengths when it
// loads (10 lengths); otherwise, or without WebAssembly, the audited @noble implementation answers.
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesEqual, bytesToBigInt, wordAt } from '../common/bytes.ts';
import { instantiateEmbedded } from '../common/wasm.ts';
import { KECCAK_IN, KECCAK_IN_BLOCKS, KECCAK_OUT, KECCAK_RATE, KECCAK_WASM_BASE64 } from './keccak-wasm.ts';

interface KeccakModule {
  reset(): void;
  /** Whole blocks, `len` a multiple of the rate, from the input area. */
  absorb(len: number): void;
  /** The last `len` < 136 bytes of the input area: pads, permutes, writes the digest. */
  finish(len: number): void;
  mem: Uint8Array;
  digest: DataView;
}

/** The input area's whole blocks, in bytes: the most one absorb call takes. */
const CHUNK = KECCAK_IN_BLOCKS * KECCAK_RATE;

function hashInto(m: KeccakModule, data: Uint8Array): void {
  m.reset();
  const n = data.length;
  let p = 0;
  while (n - p >= KECCAK_RATE) {
    const whole = n - p - ((n - p) % KECCAK_RATE);
    const k = whole < CHUNK ? whole : CHUNK;
    m.mem.set(data.subarray(p, p + k), KECCAK_IN);
    m.absorb(k);
    p += k;
  }
  // The tail (under 136 bytes) byte by byte: cheaper than a view and set() at these sizes.
  const mem = m.mem;
  for (let i = p; i < n; i++) mem[KECCAK_IN + i - p] = data[i];
  m.finish(n - p);
}

function load(): KeccakModule | null {
  try {
    const ex = instantiateEmbedded(KECCAK_WASM_BASE64) as { reset(): void; absorb(len: number): void; finish(len: number): void; mem: WebAssembly.Memory };
    // The memory is never grown, so the views stay valid.
    const m: KeccakModule = { reset: ex.reset, absorb: ex.absorb, finish: ex.finish, mem: new Uint8Array(ex.mem.buffer), digest: new DataView(ex.mem.buffer, KECCAK_OUT, 32) };
    // Lengths about the rate (the chunk boundaries are JS, covered by test/crypto): ~3 ms at start-up.
    for (const len of [0, 1, 31, 32, 64, 135, 136, 137, 272, 5000]) {
      const data = new Uint8Array(len).map((_, i) => (i * 131 + len) & 0xff);
      hashInto(m, data);
      if (!bytesEqual(m.mem.subarray(KECCAK_OUT, KECCAK_OUT + 32), keccak_256(data))) return null;
    }
    return m;
  } catch {
    return null;
  }
}

const wasm = load();

/** Which implementation answers (a fallback is silent otherwise). */
export function keccakBackend(): 'wasm' | 'js' {
  return wasm !== null ? 'wasm' : 'js';
}

export function keccak256(data: Uint8Array): Uint8Array {
  if (wasm === null) return keccak_256(data);
  hashInto(wasm, data);
  return wasm.mem.slice(KECCAK_OUT, KECCAK_OUT + 32);
}

/** keccak256 as a 256-bit integer (KECCAK256 pushes it), read from the digest without a copy. */
export function keccak256Word(data: Uint8Array): bigint {
  if (wasm === null) return bytesToBigInt(keccak_256(data));
  hashInto(wasm, data);
  return wordAt(wasm.digest, 0);
}
