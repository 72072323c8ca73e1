// Ethereum JSON-RPC value encodings (execution-apis): quantities as 0x hex without leading zeros,
// data as 0x hex of the bytes, addresses as 20 bytes, hashes and words as 32 bytes. Everything
// the API returns goes through these, so no bigint ever reaches JSON.
import { bytesToHex } from '../../../machine/common/bytes.ts';

/** A quantity: "0x0", "0x1a", … */
export function qty(v: bigint | number): string {
  return `0x${v.toString(16)}`;
}

export function data(b: Uint8Array): string {
  return bytesToHex(b);
}

export function addr(a: bigint): string {
  return `0x${a.toString(16).padStart(40, '0')}`;
}

export function word(v: bigint): string {
  return `0x${v.toString(16).padStart(64, '0')}`;
}

/**
 * Any value made JSON-safe: bigints as quantities, byte arrays as data, Uint32Arrays as arrays of
 * 8-digit hex words, recursively (for verdicts and decoded oracle values, whose shapes vary).
 */
export function jsonSafe(v: unknown): unknown {
  if (typeof v === 'bigint') return qty(v);
  if (v instanceof Uint32Array) return Array.from(v, hexWord);
  if (v instanceof Uint8Array) return data(v);
  if (Array.isArray(v)) return v.map(jsonSafe);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = jsonSafe(x);
    return out;
  }
  return v;
}

export function hexWord(w: number): string {
  return w.toString(16).padStart(8, '0');
}
