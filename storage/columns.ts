// How values become SQLite column values and back: addresses as 20-byte BLOBs, 256-bit values
// as 32-byte big-endian BLOBs (so BLOB order is numeric order), u64 fields as INTEGERs. BLOB
// parameters are plain Uint8Arrays: better-sqlite3 binds any view (copying it), and wrapping each
// of the ~35 values a transfer binds in a Buffer cost ~10 us per transfer.
import { bigIntToBytes, bytesToBigInt, fitsBytes } from '../machine/common/bytes.ts';
import { ChainError } from './errors.ts';

const I64_MAX = (1n << 63n) - 1n;

/** A Buffer over the same memory, for the Buffer methods (hex, comparison) of a read value. */
export function asBuffer(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

/** Throws unless 0 ≤ v < 2^(8·len). */
export function checkFits(v: bigint, len: number): void {
  if (!fitsBytes(v, len)) throw new RangeError(`value 0x${v.toString(16)} does not fit ${len} bytes`);
}

/** Big-endian, exactly `len` bytes (a small array V8 allocates on its heap). */
export function fixedBytes(v: bigint, len: number): Uint8Array {
  checkFits(v, len);
  return bigIntToBytes(v, len);
}

export function addressBlob(a: bigint): Uint8Array {
  return fixedBytes(a, 20);
}

export function wordBlob(v: bigint): Uint8Array {
  return fixedBytes(v, 32);
}

export function toBigInt(b: Uint8Array): bigint {
  return bytesToBigInt(b);
}

/** A copy as a plain Uint8Array (what the machine's types expect). */
export function bytesOf(b: Uint8Array): Uint8Array {
  return new Uint8Array(b);
}

/** A u64 field for an INTEGER column (SQLite integers are signed 64-bit). */
export function u64Column(v: bigint, what: string): bigint {
  if (v < 0n || v > I64_MAX) throw new ChainError('VALUE_OUT_OF_RANGE', `${what} ${v} does not fit a SQLite integer`);
  return v;
}

/** An INTEGER read with safeIntegers (bigint) or not (number), as bigint. */
export function int(v: number | bigint): bigint {
  return typeof v === 'bigint' ? v : BigInt(v);
}
