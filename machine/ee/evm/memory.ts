// EVM memory: the frame's heap in the block's arena (machine/system/arena.ts), growing in 32-byte
// words with the quadratic expansion cost. Offsets are relative to the heap's base.
import { EMPTY_BYTES } from '../../common/bytes.ts';
import type { Arena } from '../../system/arena.ts';
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
  private arena!: Arena;
  /** The whole arena; this heap is [base, base + size). */
  u8!: Uint8Array;
  private view!: DataView;
  base = 0;
  /** Active size in bytes, always a multiple of 32. */
  size = 0;
  /**
   * The size expansions asked for and the frame is about to pay: grow() makes it real once the
   * charge succeeded, so memory nobody paid for never takes arena space.
   */
  want = 0;
  private lastHashed: Uint8Array = EMPTY_BYTES;
  private lastHashedIn: Uint8Array = EMPTY_BYTES;

  /** A fresh, empty heap on top of the arena's heaps. */
  bind(arena: Arena): void {
    this.arena = arena;
    this.u8 = arena.bytes;
    this.view = arena.view;
    this.base = arena.heapTop;
    this.size = 0;
    this.want = 0;
  }

  /**
   * Ergs needed to make [offset, offset + len) addressable (recorded in `want`; call grow() after
   * charging); IMPOSSIBLE when the range is beyond any budget. A zero-length range costs nothing
   * whatever its offset.
   */
  expand(offset: bigint, len: bigint): number {
    if (len === 0n) return 0;
    if (offset > 0xffffffffn || len > 0xffffffffn) return IMPOSSIBLE;
    const end = Number(offset) + Number(len);
    const cur = this.want;
    if (end <= cur) return 0;
    if (end > MAX_MEMORY_BYTES) return IMPOSSIBLE;
    const words = Math.ceil(end / 32);
    this.want = words * 32;
    return wordsCostErgs(words) - wordsCostErgs(cur / 32);
  }

  /** Takes the paid-for expansion from the arena (ArenaExhausted when it has no room). */
  grow(): void {
    const b = this.base;
    this.arena.growHeap(b, b + this.size, b + this.want);
    this.size = this.want;
  }

  load(offset: number): bigint {
    const v = this.view;
    const o = this.base + offset;
    return (v.getBigUint64(o) << 192n) | (v.getBigUint64(o + 8) << 128n) | (v.getBigUint64(o + 16) << 64n) | v.getBigUint64(o + 24);
  }

  store(offset: number, x: bigint): void {
    const v = this.view;
    const o = this.base + offset;
    // setBigUint64 takes its argument modulo 2^64: no masks needed.
    v.setBigUint64(o + 24, x);
    v.setBigUint64(o + 16, x >> 64n);
    v.setBigUint64(o + 8, x >> 128n);
    v.setBigUint64(o, x >> 192n);
  }

  storeByte(offset: number, x: number): void {
    this.u8[this.base + offset] = x;
  }

  /** MCOPY: an overlapping move within the heap. */
  move(dst: number, src: number, len: number): void {
    const b = this.base;
    this.u8.copyWithin(b + dst, b + src, b + src + len);
  }

  /** Copies src[srcOffset .. srcOffset+len) into memory, zero-filling past the end of src. */
  copyFrom(memOffset: number, src: Uint8Array, srcOffset: bigint, len: number): void {
    if (len === 0) return;
    const start = srcOffset > BigInt(src.length) ? src.length : Number(srcOffset);
    const avail = Math.min(len, src.length - start);
    const at = this.base + memOffset;
    // src may lie in the arena too (calldata in the caller's heap, return data): set() handles it.
    if (avail > 0) this.u8.set(src.subarray(start, start + avail), at);
    if (avail < len) this.u8.fill(0, at + Math.max(avail, 0), at + len);
  }

  /** A view of [offset, offset + len): valid while this heap lives, for data that do not escape it. */
  region(offset: number, len: number): Uint8Array {
    if (len === 0) return EMPTY_BYTES;
    const o = this.base + offset;
    return this.u8.subarray(o, o + len);
  }

  /**
   * region() for KECCAK256: the same view again when the range repeats (code hashing one scratch
   * area over and over is the common case), saving a typed-array allocation per hash.
   */
  hashInput(offset: number, len: number): Uint8Array {
    const last = this.lastHashed;
    const o = this.base + offset;
    if (last.byteOffset === o && last.length === len && this.lastHashedIn === this.u8) return last;
    const r = this.region(offset, len);
    this.lastHashed = r;
    this.lastHashedIn = this.u8;
    return r;
  }

  /** A copy of [offset, offset + len), for data that outlive the frame (logs). */
  slice(offset: number, len: number): Uint8Array {
    if (len === 0) return new Uint8Array(0);
    const o = this.base + offset;
    return this.u8.slice(o, o + len);
  }
}

/** Ergs for copying `len` bytes at G_COPY_WORD-like `perWordGas` per 32-byte word. */
export function wordsErgs(len: bigint, perWordGas: number): number {
  if (len > 0xffffffffn) return IMPOSSIBLE;
  return Math.ceil(Number(len) / 32) * perWordGas * ERGS_PER_GAS;
}
