// Byte, hex and 256-bit integer conversions shared by every layer.

export const EMPTY_BYTES = new Uint8Array(0);
export const MAX_U256 = (1n << 256n) - 1n;
export const MAX_U64 = (1n << 64n) - 1n;
export const ADDRESS_MASK = (1n << 160n) - 1n;

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
  let i = start;
  // The leading (length mod 4) bytes as one number, then 4 bytes per bigint step: a u32 from
  // shifts of small integers is the cheapest chunk (measured against 6-byte chunks, 8-byte
  // DataView reads and a hex string: ~30% faster for 20 and 32 bytes).
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

/** Nibble values of the ASCII hex digits '0'-'9', 'a'-'f' (what bigint.toString(16) emits). */
export const NIBBLE = new Uint8Array(128);
for (let i = 0; i < 16; i++) NIBBLE['0123456789abcdef'.charCodeAt(i)] = i;

/**
 * Big-endian into out[offset, offset + len), zero-padded on the left (the value must fit). Through
 * the hex string: one engine call instead of a bigint shift and mask per byte (~5x faster).
 */
export function writeBigInt(out: Uint8Array, offset: number, v: bigint, len = 32): void {
  writeHexDigits(out, offset, len, v === 0n ? '' : v.toString(16));
}

/**
 * The lowercase hex digits of a non-negative number (bigint.toString(16)) as big-endian bytes into
 * out[offset, offset + len), zero-padded on the left. For callers that already hold the digits
 * (to size or bound-check the value) so the conversion is done once.
 */
export function writeHexDigits(out: Uint8Array, offset: number, len: number, hex: string): void {
  let j = hex.length - 1;
  let i = offset + len - 1;
  for (; i >= offset && j >= 1; i--, j -= 2) out[i] = NIBBLE[hex.charCodeAt(j)] | (NIBBLE[hex.charCodeAt(j - 1)] << 4);
  if (i >= offset && j === 0) out[i--] = NIBBLE[hex.charCodeAt(0)];
  if (i >= offset) out.fill(0, offset, i + 1);
}

/** Bytes of the minimal big-endian form of a non-negative value (0 for zero). */
export function byteLength(v: bigint): number {
  return v === 0n ? 0 : (v.toString(16).length + 1) >> 1;
}

/** Minimal big-endian bytes (zero → empty), as RLP and pubdata want. */
export function bigIntToMinimalBytes(v: bigint): Uint8Array {
  if (v === 0n) return EMPTY_BYTES;
  let hex = v.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  return hexToBytes(hex);
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
