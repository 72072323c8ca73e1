// Strict reading and canonical writing of Solidity ABI words, as the transaction body and its
// reserved_dynamic access list use them. Every rejection is a ZkTxDecodeError (codes in types.ts)
// whose offset is relative to the start of the whole body.
import { bytesToBigInt, writeBigInt } from '../../common/bytes.ts';
import { ZkTxDecodeError } from './types.ts';

export const WORD = 32;

/** Bytes a dynamic `bytes` of `n` bytes occupies after its length word (zero-padded to 32). */
export const paddedLength = (n: number): number => Math.ceil(n / WORD) * WORD;

/** A view over `buf`, which starts at byte `base` of the body (for error offsets). */
export class AbiReader {
  constructor(
    readonly buf: Uint8Array,
    readonly base = 0,
  ) {}

  /** Requires `len` bytes at `pos`. */
  need(pos: number, len: number, what: string): void {
    if (pos + len > this.buf.length) {
      throw new ZkTxDecodeError('ZK_TRUNCATED', `${what}: ${len} bytes at offset ${this.base + pos} run past the end (${this.base + this.buf.length})`, {
        offset: this.base + pos,
        field: what,
      });
    }
  }

  private zeroPrefix(pos: number, zeroBytes: number): boolean {
    for (let i = pos; i < pos + zeroBytes; i++) if (this.buf[i] !== 0) return false;
    return true;
  }

  /** An unsigned integer word that must fit `bits` bits (upper bytes zero). */
  uint(pos: number, bits: number, field: string): bigint {
    this.need(pos, WORD, field);
    if (!this.zeroPrefix(pos, WORD - bits / 8)) {
      throw new ZkTxDecodeError('ZK_INT_RANGE', `${field} does not fit u${bits}`, { offset: this.base + pos, field });
    }
    return bytesToBigInt(this.buf, pos, pos + WORD);
  }

  /** An address word (upper 12 bytes zero). */
  address(pos: number, field: string): bigint {
    this.need(pos, WORD, field);
    if (!this.zeroPrefix(pos, 12)) {
      throw new ZkTxDecodeError('ZK_ADDRESS_RANGE', `${field} has non-zero upper 12 bytes`, { offset: this.base + pos, field });
    }
    return bytesToBigInt(this.buf, pos + 12, pos + WORD);
  }

  /** A length or count word (must fit u32). */
  length(pos: number, field: string): number {
    this.need(pos, WORD, `${field} length`);
    if (!this.zeroPrefix(pos, WORD - 4)) {
      throw new ZkTxDecodeError('ZK_LENGTH_RANGE', `${field} length does not fit u32`, { offset: this.base + pos, field });
    }
    const b = this.buf;
    return b[pos + 28] * 0x1000000 + (b[pos + 29] << 16) + (b[pos + 30] << 8) + b[pos + 31];
  }

  /** An offset word that must be exactly `expected`. */
  offset(pos: number, expected: number, field: string): void {
    this.need(pos, WORD, `${field} offset`);
    const b = this.buf;
    const ok = this.zeroPrefix(pos, WORD - 4) && b[pos + 28] * 0x1000000 + (b[pos + 29] << 16) + (b[pos + 30] << 8) + b[pos + 31] === expected;
    if (!ok) {
      const got = bytesToBigInt(b, pos, pos + WORD);
      throw new ZkTxDecodeError('ZK_BAD_OFFSET', `${field} offset is 0x${got.toString(16)}, expected 0x${expected.toString(16)}`, {
        offset: this.base + pos,
        field,
      });
    }
  }

  /** A dynamic `bytes` at `pos`: length word, data, zero padding. Returns a view of the data and the end. */
  bytes(pos: number, field: string): { value: Uint8Array; end: number } {
    const len = this.length(pos, field);
    const start = pos + WORD;
    const padded = paddedLength(len);
    this.need(start, padded, field);
    for (let i = start + len; i < start + padded; i++) {
      if (this.buf[i] !== 0) {
        throw new ZkTxDecodeError('ZK_NONZERO_PADDING', `${field} padding byte at offset ${this.base + i} is not zero`, { offset: this.base + i, field });
      }
    }
    // A view, not a copy: the body is the block's and nothing writes to it (see Fields.bytes in tx/ethereum.ts).
    return { value: this.buf.subarray(start, start + len), end: start + padded };
  }
}

// ---------------------------------------------------------------------------------------------
// Writing

export function writeWord(out: Uint8Array, pos: number, v: bigint): void {
  writeBigInt(out, pos, v, WORD);
}

/** Writes length word + data (padding is already zero in a fresh buffer); returns the end. */
export function writeBytes(out: Uint8Array, pos: number, data: Uint8Array): number {
  writeWord(out, pos, BigInt(data.length));
  out.set(data, pos + WORD);
  return pos + WORD + paddedLength(data.length);
}
