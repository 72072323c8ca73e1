// Helpers shared by the precompiles: outcomes, word counts, zero padding, big-endian reads.
import type { PrecompileOutcome } from './types.ts';

const NO_OUTPUT = new Uint8Array(0);

/** Failure: every unit of gas offered is consumed and nothing is returned. */
export function failure(gasAvailable: number, native: number): PrecompileOutcome {
  return { ok: false, gasUsed: gasAvailable, native, output: NO_OUTPUT };
}

export function success(gasUsed: number, native: number, output: Uint8Array): PrecompileOutcome {
  return { ok: true, gasUsed, native, output };
}

/** A zero-length output; one shared instance is safe since it has no bytes to change. */
export function emptyOutput(): Uint8Array {
  return NO_OUTPUT;
}

/** Number of 32-byte words covering `len` bytes. */
export function words(len: number): number {
  return Math.ceil(len / 32);
}

/**
 * The input seen as if right-padded with zeros to at least `len` bytes. Returns the input itself
 * when it is long enough (no copy).
 */
export function padRight(input: Uint8Array, len: number): Uint8Array {
  if (input.length >= len) return input;
  const out = new Uint8Array(len);
  out.set(input);
  return out;
}

/** Big-endian unsigned integer of buf[off .. off+len), bytes past the end read as zero. */
export function readUint(buf: Uint8Array, off: number, len: number): bigint {
  let r = 0n;
  const end = off + len;
  const avail = Math.min(end, buf.length);
  let i = off;
  // 6 bytes at a time keeps the intermediate in a safe integer.
  for (; i + 6 <= avail; i += 6) {
    r = (r << 48n) | BigInt(buf[i] * 0x10000000000 + buf[i + 1] * 0x100000000 + buf[i + 2] * 0x1000000 + buf[i + 3] * 0x10000 + buf[i + 4] * 0x100 + buf[i + 5]);
  }
  for (; i < avail; i++) r = (r << 8n) | BigInt(buf[i]);
  if (r !== 0n && end > avail) r <<= BigInt(8 * (end - Math.max(avail, off)));
  return r;
}

/** Writes v big-endian into a zero-filled out[off .. off+len) (v must fit). */
export function writeUint(out: Uint8Array, off: number, len: number, v: bigint): void {
  for (let i = off + len - 1; i >= off && v > 0n; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
}
