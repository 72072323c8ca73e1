// EVM memory: a byte buffer that grows in 32-byte words, with the quadratic expansion cost.
import { ERGS_PER_GAS } from '../../system/resources.ts';
import { G_MEMORY, MEMORY_QUAD_DIVISOR } from './gas.ts';

/** Offsets and sizes beyond this cannot be paid for with any gas limit we accept. */
export const MAX_MEMORY_BYTES = 0x7fffffff;
/** Ergs cost that no frame can ever afford: the caller sees it as out of gas. */
export const IMPOSSIBLE = Number.MAX_SAFE_INTEGER;

function wordsCostErgs(words: number): number {
  return (G_MEMORY * words + Math.floor((words * words) / MEMORY_QUAD_DIVISOR)) * ERGS_PER_GAS;
}

export class Memory {
  buf = new Uint8Array(1024);
  private view = new DataView(this.buf.buffer);
  /** Active size in bytes, always a multiple of 32. */
  size = 0;

  reset(): void {
    this.buf.fill(0, 0, this.size);
    this.size = 0;
  }

  /**
   * Ergs needed to make [offset, offset + len) addressable, growing the buffer; IMPOSSIBLE when
   * the range is beyond any budget. A zero-length range costs nothing whatever its offset.
   */
  expand(offset: bigint, len: bigint): number {
    if (len === 0n) return 0;
    if (offset > 0xffffffffn || len > 0xffffffffn) return IMPOSSIBLE;
    const end = Number(offset) + Number(len);
    if (end <= this.size) return 0;
    if (end > MAX_MEMORY_BYTES) return IMPOSSIBLE;
    const words = Math.ceil(end / 32);
    const cost = wordsCostErgs(words) - wordsCostErgs(this.size / 32);
    const newSize = words * 32;
    if (newSize > this.buf.length) {
      let cap = this.buf.length * 2;
      while (cap < newSize) cap *= 2;
      const next = new Uint8Array(cap);
      next.set(this.buf.subarray(0, this.size));
      this.buf = next;
      this.view = new DataView(next.buffer);
    }
    this.size = newSize;
    return cost;
  }

  load(offset: number): bigint {
    const v = this.view;
    return (v.getBigUint64(offset) << 192n) | (v.getBigUint64(offset + 8) << 128n) | (v.getBigUint64(offset + 16) << 64n) | v.getBigUint64(offset + 24);
  }

  store(offset: number, x: bigint): void {
    const v = this.view;
    v.setBigUint64(offset + 24, BigInt.asUintN(64, x));
    x >>= 64n;
    v.setBigUint64(offset + 16, BigInt.asUintN(64, x));
    x >>= 64n;
    v.setBigUint64(offset + 8, BigInt.asUintN(64, x));
    v.setBigUint64(offset, x >> 64n);
  }

  /** Copies src[srcOffset .. srcOffset+len) into memory, zero-filling past the end of src. */
  copyFrom(memOffset: number, src: Uint8Array, srcOffset: bigint, len: number): void {
    if (len === 0) return;
    const start = srcOffset > BigInt(src.length) ? src.length : Number(srcOffset);
    const avail = Math.min(len, src.length - start);
    if (avail > 0) this.buf.set(src.subarray(start, start + avail), memOffset);
    if (avail < len) this.buf.fill(0, memOffset + Math.max(avail, 0), memOffset + len);
  }

  slice(offset: number, len: number): Uint8Array {
    return len === 0 ? new Uint8Array(0) : this.buf.slice(offset, offset + len);
  }
}

/** Ergs for copying `len` bytes at G_COPY_WORD-like `perWordGas` per 32-byte word. */
export function wordsErgs(len: bigint, perWordGas: number): number {
  if (len > 0xffffffffn) return IMPOSSIBLE;
  return Math.ceil(Number(len) / 32) * perWordGas * ERGS_PER_GAS;
}
