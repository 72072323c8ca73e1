// Recursive Length Prefix (RLP) encoding, as defined in the Ethereum Yellow Paper, appendix B.
//
// The decoder is strict: it accepts only the canonical encoding of an item, so that every value has
// exactly one byte representation (and therefore one hash). Every rejection is an RlpError with a
// stable code:
//
//   RLP_EMPTY_INPUT          decode() of zero bytes
//   RLP_TRUNCATED            a prefix announces more bytes than the input (or enclosing list) holds
//   RLP_TRAILING_BYTES       bytes left after the top-level item
//   RLP_NON_CANONICAL_SIZE   a long-form prefix for a payload under 56 bytes, or a single byte < 0x80
//                            wrapped as a one-byte string (0x81 0x00..0x7f)
//   RLP_LEADING_ZERO_LENGTH  a long-form length with leading zero bytes
//   RLP_LENGTH_OVERFLOW      a length that does not fit in a safe integer
//   RLP_EXPECTED_STRING      a list where a string was required (helpers)
//   RLP_EXPECTED_LIST        a string where a list was required (helpers)
//   RLP_LEADING_ZERO         an integer with leading zero bytes (helpers)
//   RLP_INTEGER_TOO_LARGE    an integer wider than allowed (helpers)
//   RLP_BAD_ADDRESS_LENGTH   an address that is not exactly 20 bytes (helpers)
//   RLP_BAD_FIXED_LENGTH     a fixed-width string (hash, storage key) of the wrong width (helpers)
//
// Decoding is iterative (an explicit stack), so deeply nested hostile input cannot exhaust the JS
// stack. Decoded strings are views (subarray) into the input; copy them if the input is reused.
import { bigIntToMinimalBytes, bytesToBigInt, fitsBytes, MAX_U256, writeBigInt, writeMinimal } from './bytes.ts';

/** An item to encode: a byte string or a (nested) list of items. */
export type RlpInput = Uint8Array | RlpInput[];
/** A decoded item: a byte string or a (nested) list of items. */
export type RlpItem = Uint8Array | RlpItem[];

export type RlpErrorCode =
  | 'RLP_EMPTY_INPUT'
  | 'RLP_TRUNCATED'
  | 'RLP_TRAILING_BYTES'
  | 'RLP_NON_CANONICAL_SIZE'
  | 'RLP_LEADING_ZERO_LENGTH'
  | 'RLP_LENGTH_OVERFLOW'
  | 'RLP_EXPECTED_STRING'
  | 'RLP_EXPECTED_LIST'
  | 'RLP_LEADING_ZERO'
  | 'RLP_INTEGER_TOO_LARGE'
  | 'RLP_BAD_ADDRESS_LENGTH'
  | 'RLP_BAD_FIXED_LENGTH';

export class RlpError extends Error {
  readonly code: RlpErrorCode;
  constructor(code: RlpErrorCode, message: string) {
    super(`${code}: ${message}`);
    this.name = 'RlpError';
    this.code = code;
  }
}

// ---------------------------------------------------------------------------------------------
// Encoding

function lengthBytes(len: number): number[] {
  const out: number[] = [];
  while (len > 0) {
    out.unshift(len % 256);
    len = Math.floor(len / 256);
  }
  return out;
}

function header(len: number, shortBase: number, longBase: number): Uint8Array {
  if (len < 56) return Uint8Array.of(shortBase + len);
  const lb = lengthBytes(len);
  return Uint8Array.of(longBase + lb.length, ...lb);
}

/** RLP of one byte string. */
export function rlpEncodeBytes(b: Uint8Array): Uint8Array {
  if (b.length === 1 && b[0] < 0x80) return Uint8Array.of(b[0]);
  const h = header(b.length, 0x80, 0xb7);
  const out = new Uint8Array(h.length + b.length);
  out.set(h, 0);
  out.set(b, h.length);
  return out;
}

/** RLP of a list whose items are already RLP-encoded (concatenated under one list header). */
export function rlpEncodeList(encodedItems: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const e of encodedItems) len += e.length;
  const h = header(len, 0xc0, 0xf7);
  const out = new Uint8Array(h.length + len);
  out.set(h, 0);
  let o = h.length;
  for (const e of encodedItems) {
    out.set(e, o);
    o += e.length;
  }
  return out;
}

/** RLP of an unsigned integer: minimal big-endian bytes, zero as the empty string. */
export function rlpEncodeUint(v: bigint): Uint8Array {
  if (v < 0n) throw new RangeError('RLP integers are unsigned');
  return rlpEncodeBytes(bigIntToMinimalBytes(v));
}

/**
 * RLP of a byte string or a (nested) list of them, written into one buffer: a first pass records
 * every list's payload length (pre-order), the second writes. Nothing is allocated per item, which
 * matters for block-sized inputs (the output digest, headers, receipts).
 */
export function rlpEncode(input: RlpInput): Uint8Array {
  if (input instanceof Uint8Array) return rlpEncodeBytes(input);
  const lens: number[] = [];
  const out = new Uint8Array(measure(input, lens));
  const cursor = { list: 0 };
  const end = writeItem(input, out, 0, lens, cursor);
  if (end !== out.length) throw new Error('rlpEncode: length mismatch');
  return out;
}

function headerLength(len: number): number {
  if (len < 56) return 1;
  let n = 1;
  while (len > 0) {
    n++;
    len = Math.floor(len / 256);
  }
  return n;
}

function measure(input: RlpInput, lens: number[]): number {
  if (input instanceof Uint8Array) return input.length === 1 && input[0] < 0x80 ? 1 : headerLength(input.length) + input.length;
  const slot = lens.length;
  lens.push(0);
  let payload = 0;
  for (let i = 0; i < input.length; i++) payload += measure(input[i], lens);
  lens[slot] = payload;
  return headerLength(payload) + payload;
}

/**
 * An RLP list whose items are already encoded (`items` is their concatenation), after an optional
 * leading byte (an EIP-2718 type): lead || header || items.
 */
export function rlpWrapList(items: Uint8Array, lead?: number): Uint8Array {
  const at = lead === undefined ? 0 : 1;
  const out = new Uint8Array(at + headerLength(items.length) + items.length);
  if (lead !== undefined) out[0] = lead;
  out.set(items, writeHeader(out, at, items.length, 0xc0, 0xf7));
  return out;
}

function writeHeader(out: Uint8Array, pos: number, len: number, shortBase: number, longBase: number): number {
  if (len < 56) {
    out[pos] = shortBase + len;
    return pos + 1;
  }
  const n = headerLength(len) - 1;
  out[pos] = longBase + n;
  for (let i = n; i >= 1; i--) {
    out[pos + i] = len % 256;
    len = Math.floor(len / 256);
  }
  return pos + 1 + n;
}

function writeItem(input: RlpInput, out: Uint8Array, pos: number, lens: number[], cursor: { list: number }): number {
  if (input instanceof Uint8Array) {
    if (input.length === 1 && input[0] < 0x80) {
      out[pos] = input[0];
      return pos + 1;
    }
    pos = writeHeader(out, pos, input.length, 0x80, 0xb7);
    out.set(input, pos);
    return pos + input.length;
  }
  pos = writeHeader(out, pos, lens[cursor.list++], 0xc0, 0xf7);
  for (let i = 0; i < input.length; i++) pos = writeItem(input[i], out, pos, lens, cursor);
  return pos;
}

/**
 * RLP written as it goes, for large outputs built from values rather than from byte strings (the
 * output digest): no tree of inputs, no per-value arrays. A list reserves one header byte and, if
 * its payload turns out 56 bytes or longer, moves the payload right to fit the long header.
 */
export class RlpWriter {
  private buf = new Uint8Array(4096);
  private n = 0;
  private readonly open: number[] = [];

  /** Starts over, keeping the buffer. */
  reset(): this {
    this.n = 0;
    this.open.length = 0;
    return this;
  }

  private room(k: number): void {
    if (this.n + k <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.n + k));
    next.set(this.buf.subarray(0, this.n));
    this.buf = next;
  }

  begin(): this {
    this.room(1);
    this.open.push(this.n++);
    return this;
  }

  end(): this {
    const at = this.open.pop()!;
    const len = this.n - at - 1;
    if (len < 56) {
      this.buf[at] = 0xc0 + len;
      return this;
    }
    const extra = headerLength(len) - 1;
    this.room(extra);
    this.buf.copyWithin(at + 1 + extra, at + 1, this.n);
    writeHeader(this.buf, at, len, 0xc0, 0xf7);
    this.n += extra;
    return this;
  }

  bytes(b: Uint8Array): this {
    if (b.length === 1 && b[0] < 0x80) {
      this.room(1);
      this.buf[this.n++] = b[0];
      return this;
    }
    this.room(9 + b.length);
    this.n = writeHeader(this.buf, this.n, b.length, 0x80, 0xb7);
    this.buf.set(b, this.n);
    this.n += b.length;
    return this;
  }

  /** A non-negative integer, minimal big-endian (zero is the empty string). */
  uint(v: bigint): this {
    if (v < 0n) throw new RangeError(`negative integer ${v}`);
    if (v < 0x80n) {
      this.room(1);
      this.buf[this.n++] = v === 0n ? 0x80 : Number(v);
      return this;
    }
    if (v > MAX_U256) return this.bytes(bigIntToMinimalBytes(v));
    // One conversion gives both the length and the bytes; at most 32 of them, so the header is
    // one byte (0x80 + len), and v >= 0x80 makes len >= 1.
    this.room(33);
    const len = writeMinimal(this.buf, this.n + 1, v);
    this.buf[this.n] = 0x80 + len;
    this.n += 1 + len;
    return this;
  }

  /** Exactly `len` bytes, big-endian (addresses, words); the value must fit. */
  fixed(v: bigint, len: number): this {
    if (!fitsBytes(v, len)) throw new RangeError(`value ${v} does not fit ${len} bytes`);
    if (len === 1 && v < 0x80n) {
      this.room(1);
      this.buf[this.n++] = Number(v); // a single byte below 0x80 is its own encoding (0x00 too)
      return this;
    }
    return this.number(v, len);
  }

  /** A byte string of `len` bytes holding v big-endian. */
  private number(v: bigint, len: number): this {
    this.room(9 + len);
    this.n = writeHeader(this.buf, this.n, len, 0x80, 0xb7);
    writeBigInt(this.buf, this.n, v, len);
    this.n += len;
    return this;
  }

  /** The encoding so far, as a view (valid until the next write or reset). */
  view(): Uint8Array {
    if (this.open.length !== 0) throw new Error(`RlpWriter: ${this.open.length} lists still open`);
    return this.buf.subarray(0, this.n);
  }
}

// ---------------------------------------------------------------------------------------------
// Decoding

interface Prefix {
  isList: boolean;
  /** Offset of the payload. */
  start: number;
  /** Offset one past the payload. */
  end: number;
}

/** Reads the prefix at `pos`; the whole item must end at or before `limit`. */
function readPrefix(data: Uint8Array, pos: number, limit: number): Prefix {
  if (pos >= limit) throw new RlpError('RLP_TRUNCATED', `item expected at offset ${pos}`);
  const b = data[pos];
  if (b < 0x80) return { isList: false, start: pos, end: pos + 1 };
  if (b <= 0xb7) {
    const len = b - 0x80;
    const end = pos + 1 + len;
    if (end > limit) throw new RlpError('RLP_TRUNCATED', `string of ${len} bytes at offset ${pos} exceeds the input`);
    if (len === 1 && data[pos + 1] < 0x80) {
      throw new RlpError('RLP_NON_CANONICAL_SIZE', `single byte 0x${data[pos + 1].toString(16)} must not be prefixed (offset ${pos})`);
    }
    return { isList: false, start: pos + 1, end };
  }
  if (b <= 0xbf) return readLong(data, pos, limit, b - 0xb7, false);
  if (b <= 0xf7) {
    const end = pos + 1 + (b - 0xc0);
    if (end > limit) throw new RlpError('RLP_TRUNCATED', `list of ${b - 0xc0} bytes at offset ${pos} exceeds the input`);
    return { isList: true, start: pos + 1, end };
  }
  return readLong(data, pos, limit, b - 0xf7, true);
}

function readLong(data: Uint8Array, pos: number, limit: number, lenOfLen: number, isList: boolean): Prefix {
  const kind = isList ? 'list' : 'string';
  if (pos + 1 + lenOfLen > limit) throw new RlpError('RLP_TRUNCATED', `${kind} length at offset ${pos} exceeds the input`);
  if (data[pos + 1] === 0) throw new RlpError('RLP_LEADING_ZERO_LENGTH', `${kind} length at offset ${pos} has leading zeros`);
  if (lenOfLen > 6) throw new RlpError('RLP_LENGTH_OVERFLOW', `${kind} length at offset ${pos} uses ${lenOfLen} bytes`);
  let len = 0;
  for (let i = 0; i < lenOfLen; i++) len = len * 256 + data[pos + 1 + i];
  if (len < 56) throw new RlpError('RLP_NON_CANONICAL_SIZE', `${kind} of ${len} bytes at offset ${pos} uses the long form`);
  const start = pos + 1 + lenOfLen;
  if (start + len > limit) throw new RlpError('RLP_TRUNCATED', `${kind} of ${len} bytes at offset ${pos} exceeds the input`);
  return { isList, start, end: start + len };
}

/** Decodes exactly one canonical item spanning the whole input. */
export function rlpDecode(data: Uint8Array): RlpItem {
  if (data.length === 0) throw new RlpError('RLP_EMPTY_INPUT', 'no data');
  const { item, end } = rlpDecodePrefix(data, 0);
  if (end !== data.length) throw new RlpError('RLP_TRAILING_BYTES', `${data.length - end} bytes after the item`);
  return item;
}

/** Decodes one canonical item starting at `offset`; returns it and the offset after it. */
export function rlpDecodePrefix(data: Uint8Array, offset = 0): { item: RlpItem; end: number } {
  const top = readPrefix(data, offset, data.length);
  if (!top.isList) return { item: data.subarray(top.start, top.end), end: top.end };
  // Explicit stack of open lists: each has its items so far, its next read position and its end.
  const root: RlpItem[] = [];
  const stack: Array<{ items: RlpItem[]; pos: number; end: number }> = [{ items: root, pos: top.start, end: top.end }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    if (frame.pos === frame.end) {
      stack.pop();
      continue;
    }
    const p = readPrefix(data, frame.pos, frame.end);
    frame.pos = p.end;
    if (p.isList) {
      const items: RlpItem[] = [];
      frame.items.push(items);
      stack.push({ items, pos: p.start, end: p.end });
    } else {
      frame.items.push(data.subarray(p.start, p.end));
    }
  }
  return { item: root, end: top.end };
}

// ---------------------------------------------------------------------------------------------
// Typed helpers over decoded items

export function rlpExpectBytes(item: RlpItem, what = 'item'): Uint8Array {
  if (!(item instanceof Uint8Array)) throw new RlpError('RLP_EXPECTED_STRING', `${what} is a list, expected a string`);
  return item;
}

export function rlpExpectList(item: RlpItem, what = 'item'): RlpItem[] {
  if (item instanceof Uint8Array) throw new RlpError('RLP_EXPECTED_LIST', `${what} is a string, expected a list`);
  return item;
}

/**
 * A canonical unsigned integer: big-endian without leading zero bytes (zero is the empty string),
 * at most `maxBytes` wide (default 32: a uint256).
 */
export function rlpDecodeUint(item: RlpItem, what = 'integer', maxBytes = 32): bigint {
  const b = rlpExpectBytes(item, what);
  if (b.length > 0 && b[0] === 0) throw new RlpError('RLP_LEADING_ZERO', `${what} has leading zero bytes`);
  if (b.length > maxBytes) throw new RlpError('RLP_INTEGER_TOO_LARGE', `${what} is ${b.length} bytes, at most ${maxBytes} allowed`);
  return bytesToBigInt(b);
}

/** An address: exactly 20 bytes; the empty string gives null when `allowEmpty` (creation "to"). */
export function rlpDecodeAddress(item: RlpItem, what = 'address', allowEmpty = false): bigint | null {
  const b = rlpExpectBytes(item, what);
  if (b.length === 0 && allowEmpty) return null;
  if (b.length !== 20) throw new RlpError('RLP_BAD_ADDRESS_LENGTH', `${what} is ${b.length} bytes, expected 20`);
  return bytesToBigInt(b);
}

/** A fixed-width byte string (e.g. 32-byte storage keys and hashes). */
export function rlpDecodeFixedBytes(item: RlpItem, len: number, what = 'bytes'): Uint8Array {
  const b = rlpExpectBytes(item, what);
  if (b.length !== len) throw new RlpError('RLP_BAD_FIXED_LENGTH', `${what} is ${b.length} bytes, expected ${len}`);
  return b;
}
