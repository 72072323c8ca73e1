// Byte-level building blocks of the stored blobs: a growable writer, a strict reader (canonical
// varints and minimal integers only, so one value has one encoding and blobs compare bytewise),
// and CRC-32.
import * as zlib from 'node:zlib';
import { bytesToBigInt, MAX_U256, writeBigInt, writeMinimal } from '../machine/common/bytes.ts';
import { CorruptBlockData, type StoredPart } from './errors.ts';

/** Thrown by ByteReader; the blob decoders turn it into CorruptBlockData with the block. */
export class BlobDecodeError extends Error {
  constructor(
    readonly offset: number,
    readonly detail: string,
  ) {
    super(`${detail} (byte ${offset})`);
    this.name = 'BlobDecodeError';
  }
}

export class ByteWriter {
  private buf: Buffer;
  private n = 0;

  constructor(capacity = 256) {
    this.buf = Buffer.alloc(Math.max(capacity, 16));
  }

  get length(): number {
    return this.n;
  }

  private room(k: number): void {
    if (this.n + k <= this.buf.length) return;
    const next = Buffer.alloc(Math.max(this.buf.length * 2, this.n + k));
    next.set(this.buf.subarray(0, this.n));
    this.buf = next;
  }

  u8(v: number): this {
    this.room(1);
    this.buf[this.n++] = v;
    return this;
  }

  /** Unsigned LEB128 of a safe integer. */
  varint(v: number): this {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`varint ${v} is not a non-negative safe integer`);
    this.room(8);
    while (v >= 0x80) {
      this.buf[this.n++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.n++] = v;
    return this;
  }

  /** u32 words, little-endian. */
  words(w: Uint32Array): this {
    this.room(4 * w.length);
    const b = this.buf;
    let o = this.n;
    for (let i = 0; i < w.length; i++, o += 4) {
      const x = w[i];
      b[o] = x & 0xff;
      b[o + 1] = (x >>> 8) & 0xff;
      b[o + 2] = (x >>> 16) & 0xff;
      b[o + 3] = x >>> 24;
    }
    this.n = o;
    return this;
  }

  raw(b: Uint8Array): this {
    this.room(b.length);
    this.buf.set(b, this.n);
    this.n += b.length;
    return this;
  }

  /** Exactly `len` bytes of v, big-endian (the caller checks that it fits). */
  fixed(v: bigint, len: number): this {
    this.room(len);
    writeBigInt(this.buf, this.n, v, len);
    this.n += len;
    return this;
  }

  /** Length-prefixed bytes. */
  bytes(b: Uint8Array): this {
    return this.varint(b.length).raw(b);
  }

  /** A non-negative integer below 2^256: one length byte, then minimal big-endian bytes. */
  uint(v: bigint): this {
    if (v < 0n || v > MAX_U256) throw new RangeError(`integer ${v} is not a u256`);
    this.room(33);
    const len = writeMinimal(this.buf, this.n + 1, v);
    this.buf[this.n] = len;
    this.n += 1 + len;
    return this;
  }

  text(s: string): this {
    return this.bytes(Buffer.from(s, 'utf8'));
  }

  /** The bytes written so far, as a view of the writer's buffer (valid until the next write). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.n);
  }

  /** The bytes written, as a plain Uint8Array copy. */
  finish(): Uint8Array {
    return new Uint8Array(this.buf.subarray(0, this.n));
  }
}

const TEXT = new TextDecoder('utf-8', { fatal: true });

export class ByteReader {
  private i = 0;

  constructor(private readonly b: Uint8Array) {}

  get offset(): number {
    return this.i;
  }

  get remaining(): number {
    return this.b.length - this.i;
  }

  fail(detail: string, at = this.i): never {
    throw new BlobDecodeError(at, detail);
  }

  private need(k: number, what: string): number {
    if (this.i + k > this.b.length) this.fail(`${what} needs ${k} bytes, ${this.remaining} left`);
    const at = this.i;
    this.i += k;
    return at;
  }

  u8(what = 'byte'): number {
    return this.b[this.need(1, what)];
  }

  varint(what = 'varint'): number {
    const start = this.i;
    let v = 0;
    let scale = 1;
    for (let k = 0; ; k++) {
      if (k === 8) this.fail(`${what} longer than 8 bytes`, start);
      const byte = this.u8(what);
      v += (byte & 0x7f) * scale;
      scale *= 0x80;
      if ((byte & 0x80) === 0) {
        if (byte === 0 && k > 0) this.fail(`${what} is not minimally encoded`, start);
        break;
      }
    }
    if (!Number.isSafeInteger(v)) this.fail(`${what} ${v} exceeds 2^53`, start);
    return v;
  }

  words(count: number, what = 'words'): Uint32Array {
    const at = this.need(4 * count, what);
    const out = new Uint32Array(count);
    const b = this.b;
    for (let k = 0, o = at; k < count; k++, o += 4) out[k] = (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
    return out;
  }

  /** Like words(), into `into` from index `at`; returns the view of those words. */
  wordsInto(into: Uint32Array, at: number, count: number, what = 'words'): Uint32Array {
    let o = this.need(4 * count, what);
    if (at + count > into.length) this.fail(`${what}: ${count} words do not fit`);
    const b = this.b;
    for (let k = at, end = at + count; k < end; k++, o += 4) into[k] = (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
    return into.subarray(at, at + count);
  }

  raw(len: number, what = 'bytes'): Uint8Array {
    const at = this.need(len, what);
    return this.b.slice(at, at + len);
  }

  /** Steps over `len` bytes; returns where they start. */
  skip(len: number, what = 'bytes'): number {
    return this.need(len, what);
  }

  /** Length-prefixed bytes as a view of the blob (no copy: valid while the blob is). */
  bytesView(what = 'bytes'): Uint8Array {
    const len = this.varint(`${what} length`);
    const at = this.need(len, what);
    return this.b.subarray(at, at + len);
  }

  bytes(what = 'bytes'): Uint8Array {
    return this.raw(this.varint(`${what} length`), what);
  }

  uint(what = 'integer', maxBytes = 32): bigint {
    const start = this.i;
    const len = this.u8(`${what} length`);
    if (len > maxBytes) this.fail(`${what} of ${len} bytes, at most ${maxBytes}`, start);
    const at = this.need(len, what);
    if (len === 0) return 0n;
    if (this.b[at] === 0) this.fail(`${what} has a leading zero byte`, start);
    return bytesToBigInt(this.b, at, at + len);
  }

  text(what = 'text'): string {
    const start = this.i;
    const b = this.bytes(what);
    try {
      return TEXT.decode(b);
    } catch {
      this.fail(`${what} is not UTF-8`, start);
    }
  }

  end(what: string): void {
    if (this.remaining !== 0) this.fail(`${this.remaining} bytes left after ${what}`);
  }
}

// ---- CRC-32 (IEEE) -----------------------------------------------------------------------------

let TABLE: Uint32Array | null = null;

function jsCrc32(b: Uint8Array): number {
  if (TABLE === null) {
    TABLE = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      TABLE[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < b.length; i++) c = TABLE[(c ^ b[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** CRC-32 as zlib computes it (native from Node 20.15 on, the same table in JS before). */
export const crc32: (b: Uint8Array) => number =
  typeof (zlib as { crc32?: unknown }).crc32 === 'function' ? (b) => zlib.crc32(b) >>> 0 : jsCrc32;

export { jsCrc32 };

export function hex32(v: number): string {
  return '0x' + (v >>> 0).toString(16).padStart(8, '0');
}

/** Throws BAD_CHECKSUM naming the block and the column when `bytes` do not have the stored CRC. */
export function checkCrc(block: number, part: StoredPart, bytes: Uint8Array, crc: number): void {
  const actual = crc32(bytes);
  if (actual !== crc) throw new CorruptBlockData(block, part, 'BAD_CHECKSUM', -1, -1, `CRC-32 of ${bytes.length} bytes is ${hex32(actual)}, stored ${hex32(crc)}`);
}

/** A blob of counted entries with its checksum, as the block_logs row keeps it. */
export interface StoredBlob {
  bytes: Uint8Array;
  crc: number;
  count: number;
}

/**
 * Encodes entries one at a time as they happen, into `format · varint count · entries` (the
 * frame of both block_logs blobs), so nothing is kept per entry until the block is stored.
 */
export abstract class FramedBlobEncoder<T> {
  private readonly body: ByteWriter;
  private count = 0;

  constructor(
    private readonly format: number,
    capacity: number,
  ) {
    this.body = new ByteWriter(capacity);
  }

  protected abstract write(w: ByteWriter, entry: T): void;

  push(entry: T): void {
    this.write(this.body, entry);
    this.count++;
  }

  /** How many entries were pushed. */
  get length(): number {
    return this.count;
  }

  /** The blob of the entries pushed so far and then `entries`. */
  encode(entries: readonly T[]): StoredBlob {
    for (let i = 0; i < entries.length; i++) this.push(entries[i]);
    return this.finish();
  }

  /** The framed bytes of the entries pushed so far (no checksum: replay only compares them). */
  frame(): Uint8Array {
    const head = new ByteWriter(16).u8(this.format).varint(this.count).view();
    const body = this.body.view();
    const bytes = new Uint8Array(head.length + body.length);
    bytes.set(head);
    bytes.set(body, head.length);
    return bytes;
  }

  /** The blob of the entries pushed so far, with its checksum, as it is stored. */
  finish(): StoredBlob {
    const bytes = this.frame();
    return { bytes, crc: crc32(bytes), count: this.count };
  }
}
