// Byte, hex and 256-bit integer conversions shared by every layer.

export const EMPTY_BYTES = new Uint8Array(0);
export const MAX_U256 = (1n << 256n) - 1n;
export const MAX_U64 = (1n << 64n) - 1n;
const MAX_U192 = (1n << 192n) - 1n;
export const ADDRESS_MASK = (1n << 160n) - 1n;

/**
 * A shared 32-byte scratch word and its view. 256-bit values cross between bigint and bytes
 * through it as four 64-bit limbs (DataView get/setBigUint64): ~2.5x faster than through hex
 * digits or 4-byte chunks, and nothing is allocated. Single-threaded use only, and every user
 * finishes with it before calling anything else.
 */
const WORD = new Uint8Array(32);
const WORD_VIEW = new DataView(WORD.buffer);
/** WORD's last k bytes, for k = 0..32, so copying out allocates no view. */
const WORD_TAIL = Array.from({ length: 33 }, (_, k) => WORD.subarray(32 - k));

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function bytesToHex(b: Uint8Array): string {
  let s = '0x';
  for (let i = 0; i < b.length; i++) s += HEX[b[i]];
  return s;
}

/** Parses `0x…` or bare hex; odd length is left-padded with a zero nibble. */
export function hexToBytes(hex: string): Uint8Array {
  let h = hex.startsWith('0x') || hex.startsWith('0X') ? hex.slice(2) : hex;
  if (h.length % 2) h = '0' + h;
  if (!/^[0-9a-fA-F]*$/.test(h)) throw new Error(`invalid hex: ${hex.slice(0, 40)}`);
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.substr(i * 2, 2), 16);
  return out;
}

export function bytesToBigInt(b: Uint8Array, start = 0, end = b.length): bigint {
  const n = end - start;
  if (n <= 6) {
    let x = 0;
    for (let i = start; i < end; i++) x = x * 256 + b[i];
    return BigInt(x);
  }
  if (n > 32) return longBytesToBigInt(b, start, end);
  // Right-aligned into the scratch word, then only the 64-bit limbs the length reaches.
  const at = 32 - n;
  WORD.fill(0, 0, at);
  for (let i = 0; i < n; i++) WORD[at + i] = b[start + i];
  const low = WORD_VIEW.getBigUint64(24);
  if (n <= 8) return low;
  const mid = (WORD_VIEW.getBigUint64(16) << 64n) | low;
  if (n <= 16) return mid;
  return (WORD_VIEW.getBigUint64(0) << 192n) | (WORD_VIEW.getBigUint64(8) << 128n) | mid;
}

/** Over 32 bytes (modexp operands and the like): 4 bytes per bigint step. */
function longBytesToBigInt(b: Uint8Array, start: number, end: number): bigint {
  let i = start;
  let lead = 0;
  for (const stop = start + ((end - start) & 3); i < stop; i++) lead = lead * 256 + b[i];
  let r = BigInt(lead);
  for (; i < end; i += 4) r = (r << 32n) | BigInt(((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0);
  return r;
}

/** The 32 bytes at `offset` as a big-endian 256-bit integer (the caller checks the range). */
export function wordAt(view: DataView, offset: number): bigint {
  return (
    (view.getBigUint64(offset) << 192n) |
    (view.getBigUint64(offset + 8) << 128n) |
    (view.getBigUint64(offset + 16) << 64n) |
    view.getBigUint64(offset + 24)
  );
}

export function viewOf(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/** Big-endian, exactly `len` bytes (the value must fit). */
export function bigIntToBytes(v: bigint, len = 32): Uint8Array {
  const out = new Uint8Array(len);
  writeBigInt(out, 0, v, len);
  return out;
}

/**
 * v as 32 big-endian bytes in the scratch word; a view of it is returned, valid until the next
 * conversion. Bits above 256 are dropped: callers check the range they need.
 */
export function loadWord(v: bigint): DataView {
  // setBigUint64 stores its argument modulo 2^64: only the shifts allocate, so a value takes as
  // few as its width needs (amounts and counts one limb, addresses three). Zeros go in as u32s:
  // cheaper than a fill call (scratch/lw.ts: 13 vs 25 ns for a one-limb value).
  const w = WORD_VIEW;
  w.setBigUint64(24, v);
  if (v >= 0n && v <= MAX_U64) {
    w.setUint32(0, 0);
    w.setUint32(4, 0);
    w.setUint32(8, 0);
    w.setUint32(12, 0);
    w.setUint32(16, 0);
    w.setUint32(20, 0);
    return w;
  }
  let x = v >> 64n;
  w.setBigUint64(16, x);
  if (v >= 0n && v <= MAX_U192) {
    x >>= 64n;
    w.setBigUint64(8, x);
    w.setUint32(0, 0);
    w.setUint32(4, 0);
    return w;
  }
  x >>= 64n;
  w.setBigUint64(8, x);
  w.setBigUint64(0, x >> 64n);
  return w;
}

/** The scratch word, for a caller that fills it (then reads it with scratchWordValue). */
export function scratchWord(): DataView {
  return WORD_VIEW;
}

/** The scratch word as a big-endian 256-bit integer. */
export function scratchWordValue(): bigint {
  return wordAt(WORD_VIEW, 0);
}

/** Big-endian into out[offset, offset + len), zero-padded on the left (the value must fit). */
export function writeBigInt(out: Uint8Array, offset: number, v: bigint, len = 32): void {
  if (len > 32) {
    writeLongBigInt(out, offset, v, len);
    return;
  }
  loadWord(v);
  out.set(WORD_TAIL[len], offset);
}

/** Over 32 bytes (values may pass 2^256): the low `len` bytes, through the hex digits. */
function writeLongBigInt(out: Uint8Array, offset: number, v: bigint, len: number): void {
  const hex = v.toString(16).padStart(2 * len, '0');
  out.set(hexToBytes(hex.slice(hex.length - 2 * len)), offset);
}

/** 2^(8k) for k = 0..32: the bound of a k-byte value. */
const BYTE_LIMIT = Array.from({ length: 33 }, (_, k) => 1n << BigInt(8 * k));

/** Whether 0 ≤ v < 2^(8·len). */
export function fitsBytes(v: bigint, len: number): boolean {
  return v >= 0n && (len <= 32 ? v < BYTE_LIMIT[len] : v >> BigInt(8 * len) === 0n);
}

/**
 * Minimal big-endian bytes of v (0 ≤ v < 2^256: the caller checks) into out at offset; returns
 * how many (0 for zero). `out` must have room for 32.
 */
export function writeMinimal(out: Uint8Array, offset: number, v: bigint): number {
  loadWord(v);
  let i = 0;
  while (i < 32 && WORD[i] === 0) i++;
  const len = 32 - i;
  out.set(WORD_TAIL[len], offset);
  return len;
}

/** Bytes of the minimal big-endian form of a non-negative value (0 for zero). */
export function byteLength(v: bigint): number {
  if (v <= 0xffffffffn) return v === 0n ? 0 : v <= 0xffn ? 1 : v <= 0xffffn ? 2 : v <= 0xffffffn ? 3 : 4;
  return (v.toString(16).length + 1) >> 1;
}

/** Minimal big-endian bytes (zero → empty), as RLP and pubdata want. */
export function bigIntToMinimalBytes(v: bigint): Uint8Array {
  return v === 0n ? EMPTY_BYTES : bigIntToBytes(v, byteLength(v));
}

export function hexToBigInt(hex: string): bigint {
  if (hex === '0x' || hex === '') return 0n;
  return BigInt(hex.startsWith('0x') ? hex : '0x' + hex);
}

export function addressToHex(a: bigint): string {
  return '0x' + a.toString(16).padStart(40, '0');
}

export function u256ToHex(v: bigint): string {
  return '0x' + v.toString(16).padStart(64, '0');
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && bytesEqualAt(a, 0, b);
}

/** Whether a[at, at + b.length) equals b, without a view of a. */
export function bytesEqualAt(a: Uint8Array, at: number, b: Uint8Array): boolean {
  if (at + b.length > a.length) return false;
  for (let i = 0; i < b.length; i++) if (a[at + i] !== b[i]) return false;
  return true;
}
