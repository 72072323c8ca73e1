// The u32 word encodings of the oracle protocol (reference §1.2, §1.3): what a 32-bit guest reads
// through its CSR port. Encoders build words from values; decoders are strict — the exact word
// count, zero high words, bools of 0 or 1, zero padding — and every failure is a TapeError naming
// the word position (an offset supplied by the caller plus the index inside the value).
import type { BlockMetadata, InitialSlot } from './types.ts';
import { fitsBytes, loadWord, scratchWord, scratchWordValue } from '../common/bytes.ts';

/** Whether a Uint32Array holds its words' bytes low first, as the tape's byte blobs do. */
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

export type TapeErrorCode =
  | 'WRONG_LENGTH' | 'NONZERO_HIGH_WORD' | 'BAD_BOOL' | 'NONZERO_PADDING' | 'NONZERO_UNUSED_FIELD' | 'VALUE_OUT_OF_RANGE'
  | 'TAPE_EXHAUSTED' | 'LENGTH_MISMATCH' | 'LEFTOVER_WORDS' | 'BAD_LOG_ENTRY' | 'BAD_HEX' | 'BAD_TEXT_LENGTH';

export class TapeError extends Error {
  constructor(
    readonly code: TapeErrorCode,
    /** Word position: in a tape, the index of the offending word; in a lone value, its offset. */
    readonly position: number,
    /** The message without the code and position. */
    readonly detail: string,
  ) {
    super(`${code} at word ${position}: ${detail}`);
    this.name = 'TapeError';
  }
}

/**
 * EIP-4844 blob base fee used when the caller supplies none: the zksync profile has no blobs and
 * reports 1 (see `BlockMetadata.blobBaseFee`).
 */
export const DEFAULT_BLOB_BASE_FEE = 1n;

export const WORDS_BOOL = 2;
export const WORDS_U32 = 2;
export const WORDS_U64 = 2;
export const WORDS_U256 = 8;
export const WORDS_B160 = 6;
export const WORDS_BYTES32 = 8;
export const WORDS_STORAGE_ADDRESS = WORDS_B160 + WORDS_BYTES32; // 14
export const WORDS_INITIAL_SLOT = WORDS_BOOL + WORDS_BYTES32; // 10
export const BLOCK_HASH_COUNT = 256;
export const WORDS_BLOCK_METADATA = 3 * WORDS_U256 + 4 * WORDS_U64 + WORDS_B160 + BLOCK_HASH_COUNT * WORDS_U256 + WORDS_U256; // 2094
export const WORDS_COMMITMENT = WORDS_BYTES32 + WORDS_U64; // 10
export const WORDS_FSM = WORDS_COMMITMENT + WORDS_BYTES32 + WORDS_U32 + WORDS_BOOL; // 22
export const WORDS_LEAF = 2 * WORDS_BYTES32 + WORDS_U64; // 18
export const PROOF_PATH_LENGTH = 64;
export const WORDS_LEAF_PROOF = WORDS_U64 + WORDS_LEAF + PROOF_PATH_LENGTH * WORDS_BYTES32; // 532

/** Word count of a byte blob as the 64-bit host emits it: zero-padded to a multiple of 8 bytes. */
export function blobWords(byteLength: number): number {
  return 2 * Math.ceil(byteLength / 8);
}

const U32 = 0xffffffffn;

/** `StorageAddress` (query 4 params). The key is a 256-bit integer sent as its big-endian bytes. */
export interface StorageAddress {
  address: bigint;
  key: bigint;
}

// ---- writer ----------------------------------------------------------------------------------

/** What a writer holds after finish() handed its buffer over. */
const NO_WORDS = new Uint32Array(0);

/** Appends encoded values to a growing word buffer. */
export class WordWriter {
  private buf: Uint32Array;
  private n = 0;

  /** Sized exactly for what will be written, finish() hands the buffer over without a copy. */
  constructor(capacity = 64) {
    this.buf = new Uint32Array(Math.max(capacity, 1));
  }

  get length(): number { return this.n; }

  private room(k: number): void {
    if (this.n + k <= this.buf.length) return;
    const next = new Uint32Array(Math.max(this.buf.length * 2, this.n + k));
    next.set(this.buf.subarray(0, this.n));
    this.buf = next;
  }

  private range(ok: boolean, what: string): void {
    if (!ok) throw new TapeError('VALUE_OUT_OF_RANGE', this.n, `${what} out of range`);
  }

  word(v: number): this {
    this.room(1);
    this.buf[this.n++] = v;
    return this;
  }

  words(w: Uint32Array): this {
    this.room(w.length);
    this.buf.set(w, this.n);
    this.n += w.length;
    return this;
  }

  bool(v: boolean): this { return this.word(v ? 1 : 0).word(0); }

  u8(v: number): this {
    this.range(Number.isInteger(v) && v >= 0 && v <= 0xff, `u8 ${v}`);
    return this.word(v).word(0);
  }

  u32(v: number): this {
    this.range(Number.isInteger(v) && v >= 0 && v <= 0xffffffff, `u32 ${v}`);
    return this.word(v).word(0);
  }

  u64(v: bigint): this {
    this.range(v >= 0n && v >> 64n === 0n, `u64 ${v}`);
    return this.word(Number(v & U32)).word(Number(v >> 32n));
  }

  /** A number as `count` little-endian 32-bit limbs (U256: 8, B160: 6). */
  private limbs(v: bigint, count: number, bits: number, what: string): this {
    this.range(fitsBytes(v, bits >> 3), `${what} ${v}`);
    const word = loadWord(v);
    this.room(count);
    // Limb k is big-endian bytes 28-4k..31-4k of the word; limbs past 256 bits are zero.
    for (let k = 0; k < count; k++) this.buf[this.n++] = k < 8 ? word.getUint32(28 - 4 * k) : 0;
    return this;
  }

  u256(v: bigint): this { return this.limbs(v, 8, 256, 'U256'); }
  b160(v: bigint): this { return this.limbs(v, 6, 160, 'B160'); }

  /** Raw 32 bytes in order, each 4-byte group read as a little-endian u32. */
  bytes32(b: Uint8Array): this {
    this.range(b instanceof Uint8Array && b.length === 32, 'Bytes32 length');
    this.room(8);
    for (let i = 0; i < 32; i += 4) this.buf[this.n++] = (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;
    return this;
  }

  /** A 256-bit integer sent as `Bytes32` of its big-endian bytes (slot keys and values). */
  bytes32Int(v: bigint): this {
    this.range(fitsBytes(v, 32), `Bytes32 integer ${v}`);
    const word = loadWord(v);
    this.room(8);
    // Word i holds big-endian bytes 4i..4i+3, read little-endian.
    for (let i = 0; i < 8; i++) this.buf[this.n++] = word.getUint32(4 * i, true);
    return this;
  }

  /** A byte blob: bytes packed little-endian into words, zero-padded to a multiple of 8 bytes. */
  bytes(b: Uint8Array): this {
    const count = blobWords(b.length);
    this.room(count);
    const start = this.n;
    const buf = this.buf;
    buf.fill(0, start, start + count);
    // Whole words first, then the tail; stores into a Uint32Array wrap modulo 2^32, so a sign bit
    // from `<< 24` is harmless.
    const whole = b.length & ~3;
    let o = start;
    for (let i = 0; i < whole; i += 4) buf[o++] = b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24);
    for (let i = whole; i < b.length; i++) buf[start + (i >> 2)] |= b[i] << (8 * (i & 3));
    this.n += count;
    return this;
  }

  /** The words written; the writer starts over empty. */
  finish(): Uint32Array {
    const out = this.n === this.buf.length ? this.buf : this.buf.slice(0, this.n);
    this.buf = NO_WORDS;
    this.n = 0;
    return out;
  }
}

// ---- reader ----------------------------------------------------------------------------------

/** Reads values off a word array; `base` is the tape position of `words[0]` (for errors). */
export class WordReader {
  private i = 0;

  constructor(
    private readonly words: Uint32Array,
    private readonly base = 0,
  ) {}

  /** Tape position of the next word. */
  get position(): number { return this.base + this.i; }
  get remaining(): number { return this.words.length - this.i; }

  private take(k: number, what: string): number {
    if (this.i + k > this.words.length) {
      throw new TapeError('WRONG_LENGTH', this.base + this.words.length, `${what} needs ${k} words, ${this.remaining} left`);
    }
    const at = this.i;
    this.i += k;
    return at;
  }

  private zeroHigh(at: number, what: string): void {
    if (this.words[at] !== 0) throw new TapeError('NONZERO_HIGH_WORD', this.base + at, `${what} high word is ${this.words[at]}`);
  }

  bool(): boolean {
    const at = this.take(2, 'bool');
    this.zeroHigh(at + 1, 'bool');
    const v = this.words[at];
    if (v > 1) throw new TapeError('BAD_BOOL', this.base + at, `bool word is ${v}`);
    return v === 1;
  }

  u8(): number {
    const at = this.take(2, 'u8');
    this.zeroHigh(at + 1, 'u8');
    const v = this.words[at];
    if (v > 0xff) throw new TapeError('VALUE_OUT_OF_RANGE', this.base + at, `u8 word is ${v}`);
    return v;
  }

  u32(): number {
    const at = this.take(2, 'u32');
    this.zeroHigh(at + 1, 'u32');
    return this.words[at];
  }

  u64(): bigint {
    const at = this.take(2, 'u64');
    return (BigInt(this.words[at + 1]) << 32n) | BigInt(this.words[at]);
  }

  u256(): bigint {
    const at = this.take(8, 'U256');
    const word = scratchWord();
    for (let k = 0; k < 8; k++) word.setUint32(28 - 4 * k, this.words[at + k]);
    return scratchWordValue();
  }

  b160(): bigint {
    const at = this.take(6, 'B160');
    this.zeroHigh(at + 5, 'B160');
    let v = 0n;
    for (let k = 4; k >= 0; k--) v = (v << 32n) | BigInt(this.words[at + k]);
    return v;
  }

  bytes32(): Uint8Array {
    const at = this.take(8, 'Bytes32');
    const out = new Uint8Array(32);
    for (let k = 0; k < 8; k++) {
      const w = this.words[at + k];
      out[4 * k] = w & 0xff;
      out[4 * k + 1] = (w >>> 8) & 0xff;
      out[4 * k + 2] = (w >>> 16) & 0xff;
      out[4 * k + 3] = w >>> 24;
    }
    return out;
  }

  /** `Bytes32` read as the big-endian 256-bit integer it holds. */
  bytes32Int(): bigint {
    const at = this.take(8, 'Bytes32');
    const word = scratchWord();
    for (let i = 0; i < 8; i++) word.setUint32(4 * i, this.words[at + i], true);
    return scratchWordValue();
  }

  /**
   * A byte blob. With `byteLength`, exactly `2*ceil(len/8)` words must remain, the padding must be
   * zero, and exactly `byteLength` bytes are returned. Without it (preimages: the caller knows the
   * expected length and truncates, reference §4.5) an even number of words must remain and every
   * byte is returned, padding included.
   */
  bytes(byteLength?: number): Uint8Array {
    const count = byteLength === undefined ? this.remaining : blobWords(byteLength);
    if (count !== this.remaining || count % 2 !== 0) {
      throw new TapeError('WRONG_LENGTH', this.position, `byte blob of ${this.remaining} words, expected ${byteLength === undefined ? 'an even count' : count}`);
    }
    const at = this.take(count, 'blob');
    const len = byteLength ?? count * 4;
    const words = this.words;
    for (let i = len; i < count * 4; i++) {
      const byte = (words[at + (i >> 2)] >>> (8 * (i & 3))) & 0xff;
      if (byte !== 0) throw new TapeError('NONZERO_PADDING', this.base + at + (i >> 2), `padding byte ${i} is ${byte}`);
    }
    // A transaction body: a view of the words, whose bytes in memory are the blob's bytes. The
    // words (a block's log or tape) are never written, and the body lives no longer than they do;
    // a copy over 64 bytes would cost an off-heap allocation per transaction. Preimages, which
    // caches keep past the block, are copied.
    if (byteLength !== undefined && LITTLE_ENDIAN) return new Uint8Array(words.buffer, words.byteOffset + 4 * at, len);
    const out = new Uint8Array(len);
    const whole = len & ~3;
    for (let i = 0, k = at; i < whole; i += 4, k++) {
      const w = words[k];
      out[i] = w & 0xff;
      out[i + 1] = (w >>> 8) & 0xff;
      out[i + 2] = (w >>> 16) & 0xff;
      out[i + 3] = w >>> 24;
    }
    for (let i = whole; i < len; i++) out[i] = (words[at + (i >> 2)] >>> (8 * (i & 3))) & 0xff;
    return out;
  }

  /** Every word consumed, or WRONG_LENGTH at the first extra word. */
  end(what: string): void {
    if (this.remaining !== 0) throw new TapeError('WRONG_LENGTH', this.position, `${this.remaining} extra words after ${what}`);
  }
}

// ---- primitives as standalone values ---------------------------------------------------------

/** Decodes one value that must take exactly `expected` words (null: whatever `read` consumes). */
export function decodeWith<T>(words: Uint32Array, base: number, what: string, expected: number | null, read: (r: WordReader) => T): T {
  if (expected !== null && words.length !== expected) {
    throw new TapeError('WRONG_LENGTH', base, `${what} has ${words.length} words, expected ${expected}`);
  }
  const r = new WordReader(words, base);
  const v = read(r);
  r.end(what);
  return v;
}

export const encodeBool = (v: boolean): Uint32Array => new WordWriter(2).bool(v).finish();
export const encodeU8 = (v: number): Uint32Array => new WordWriter(2).u8(v).finish();
export const encodeU32 = (v: number): Uint32Array => new WordWriter(2).u32(v).finish();
export const encodeU64 = (v: bigint): Uint32Array => new WordWriter(2).u64(v).finish();
export const encodeU256 = (v: bigint): Uint32Array => new WordWriter(8).u256(v).finish();
export const encodeB160 = (v: bigint): Uint32Array => new WordWriter(6).b160(v).finish();
export const encodeBytes32 = (b: Uint8Array): Uint32Array => new WordWriter(8).bytes32(b).finish();
export const encodeBytes = (b: Uint8Array): Uint32Array => new WordWriter(blobWords(b.length)).bytes(b).finish();

export const decodeBool = (w: Uint32Array, base = 0): boolean => decodeWith(w, base, 'bool', WORDS_BOOL, (r) => r.bool());
export const decodeU8 = (w: Uint32Array, base = 0): number => decodeWith(w, base, 'u8', 2, (r) => r.u8());
export const decodeU32 = (w: Uint32Array, base = 0): number => decodeWith(w, base, 'u32', WORDS_U32, (r) => r.u32());
export const decodeU64 = (w: Uint32Array, base = 0): bigint => decodeWith(w, base, 'u64', WORDS_U64, (r) => r.u64());
export const decodeU256 = (w: Uint32Array, base = 0): bigint => decodeWith(w, base, 'U256', WORDS_U256, (r) => r.u256());
export const decodeB160 = (w: Uint32Array, base = 0): bigint => decodeWith(w, base, 'B160', WORDS_B160, (r) => r.b160());
export const decodeBytes32 = (w: Uint32Array, base = 0): Uint8Array => decodeWith(w, base, 'Bytes32', WORDS_BYTES32, (r) => r.bytes32());
export const decodeBytes = (w: Uint32Array, byteLength?: number, base = 0): Uint8Array => decodeWith(w, base, 'byte blob', null, (r) => r.bytes(byteLength));

// ---- composites (reference §1.3) -------------------------------------------------------------

export function encodeStorageAddress(a: StorageAddress): Uint32Array {
  return new WordWriter(WORDS_STORAGE_ADDRESS).b160(a.address).bytes32Int(a.key).finish();
}

export function decodeStorageAddress(w: Uint32Array, base = 0): StorageAddress {
  return decodeWith(w, base, 'StorageAddress', WORDS_STORAGE_ADDRESS, (r) => ({ address: r.b160(), key: r.bytes32Int() }));
}

export function encodeInitialSlot(s: InitialSlot): Uint32Array {
  return new WordWriter(WORDS_INITIAL_SLOT).bool(s.isNew).bytes32Int(s.value).finish();
}

export function decodeInitialSlot(w: Uint32Array, base = 0): InitialSlot {
  return decodeWith(w, base, 'InitialStorageSlotData', WORDS_INITIAL_SLOT, (r) => ({ isNew: r.bool(), value: r.bytes32Int() }));
}

/**
 * `BlockMetadataFromOracle` in its serialisation order (reference §1.3), exactly 2094 words.
 *
 * `blobBaseFee` is NOT encoded. Decision: the query-3 answer keeps the reference layout for every
 * profile, and whoever decodes supplies the blob base fee separately. Why:
 *  - the guest checks that the query-3 answer is exactly 2094 words; a zksync-profile witness must
 *    stay word-for-word what the reference host emits, so no trailing extension there;
 *  - a profile-dependent size would make one query kind have two layouts, and every reader of a
 *    log or tape would need the profile just to parse it — a flag that can silently disagree;
 *  - the value is not state non-determinism: it is 1 in the zksync profile (no blobs) and, in the
 *    ethereum profile, a function of the header's excess blob gas, which the caller stores with
 *    the block anyway; a replay given a wrong value still diverges in its IO events.
 * RecordingOracle exposes the value it saw so the caller can store it next to the log.
 */
export function encodeBlockMetadata(m: Omit<BlockMetadata, 'blobBaseFee'>): Uint32Array {
  if (m.blockHashes.length !== BLOCK_HASH_COUNT) {
    throw new TapeError('VALUE_OUT_OF_RANGE', 3 * WORDS_U256 + 4 * WORDS_U64 + WORDS_B160, `${m.blockHashes.length} block hashes, expected ${BLOCK_HASH_COUNT}`);
  }
  const w = new WordWriter(WORDS_BLOCK_METADATA)
    .u256(m.eip1559BaseFee)
    .u256(m.gasPerPubdata)
    .u256(m.nativePrice)
    .u64(m.blockNumber)
    .u64(m.timestamp)
    .u64(m.chainId)
    .u64(m.gasLimit)
    .b160(m.coinbase);
  for (const h of m.blockHashes) w.u256(h);
  return w.u256(m.mixHash).finish();
}

/** The 2094 reference words plus the separately supplied blob base fee (see the encoder). */
export function decodeBlockMetadata(w: Uint32Array, blobBaseFee: bigint = DEFAULT_BLOB_BASE_FEE, base = 0): BlockMetadata {
  return decodeWith(w, base, 'BlockMetadataFromOracle', WORDS_BLOCK_METADATA, (r) => {
    const eip1559BaseFee = r.u256();
    const gasPerPubdata = r.u256();
    const nativePrice = r.u256();
    const blockNumber = r.u64();
    const timestamp = r.u64();
    const chainId = r.u64();
    const gasLimit = r.u64();
    const coinbase = r.b160();
    const blockHashes: bigint[] = [];
    for (let k = 0; k < BLOCK_HASH_COUNT; k++) blockHashes.push(r.u256());
    const mixHash = r.u256();
    return { chainId, blockNumber, timestamp, blockHashes, eip1559BaseFee, gasPerPubdata, nativePrice, coinbase, gasLimit, mixHash, blobBaseFee };
  });
}
