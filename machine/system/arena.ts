// The memory arena (reference §2.1, §3.5): one preallocated buffer holding every EE heap and the
// return data, so a block's memory is bounded by a fixed budget instead of the JS heap.
//
//   0 ─ heap(depth 0) ─ heap(depth 1) ─ … ─ heap(top) ─▶ heapTop   free   rdStart ─ return data ─ budget
//
// Heaps are a stack: a callee's heap starts where its caller's ends (the caller is suspended at
// the spawn, so its heap is frozen) and is released when the callee ends. Only the running frame
// grows. Return data sit at the far end. Only the running frame's are ever live: a suspended
// frame's return data are replaced whatever its spawn returns (EVM: every CALL/CREATE resets the
// buffer), so the runner drops them at each spawn and writes the callee's output there at its
// end. A frame's output is a slice of its own heap, which lies below the free space, so moving it
// to the far end always fits; only a hook's output (fresh bytes) can exhaust the arena there.
//
// Running out is ArenaExhausted: the block fails (nothing is stored), it is never a gas outcome.
// Heaps only grow after the growth is paid for, so only memory some frame could pay for counts.
import { EMPTY_BYTES } from '../common/bytes.ts';

/**
 * 1 GiB, the RAM of the reference's RISC-V machine: more than a proving run could ever hold. Live
 * heaps along a call chain (63/64 rule, quadratic cost) can peak at ~26 MiB for a 30M-gas
 * transaction, ~50 MiB for 100M gas, ~512 MiB for 8.9G gas, and return data add at most as much
 * again: no transaction below ~8.9G gas can exhaust it. The reference's own 128 MiB + 128 MiB
 * would fail the Ethereum suite's static_Call1MB1024Calldepth (882G gas, ~800 frames holding 1 MB
 * each), which needs ~790 MiB here. Only pages blocks touch become resident.
 */
export const DEFAULT_ARENA_BYTES = 1024 * 1024 * 1024;

/** The block cannot run within its memory budget. Block-level, like an oracle failure. */
export class ArenaExhausted extends Error {
  readonly code = 'ARENA_EXHAUSTED';
  constructor(
    readonly block: bigint,
    readonly txIndex: number,
    /** 'heap' (a frame's memory) or 'return data'. */
    readonly region: string,
    /** Bytes the region needed: the heap's new size, or the return data's length. */
    readonly requested: number,
    readonly inUse: number,
    readonly budget: number,
  ) {
    super(`block ${block}, transaction ${txIndex}: the memory arena has no room for ${region} of ${requested} bytes (${inUse} of ${budget} bytes in use)`);
    this.name = 'ArenaExhausted';
  }
}

export class Arena {
  readonly bytes: Uint8Array;
  /** One view over the whole arena: MLOAD/MSTORE address it at heap base + offset. */
  readonly view: DataView;
  /** End of the heaps: the running frame's heap ends here. */
  heapTop = 0;
  /** Start of the running frame's return data, which end at the budget. */
  rdStart: number;
  /** Where the block is, for the failure's message. */
  block = 0n;
  txIndex = -1;
  private busy = false;
  /** Heaps never reached this far: [zeroFrom, rdDirty) was never written and is still zero. */
  private zeroFrom = 0;
  /** Return data never reached below this. */
  private rdDirty: number;

  constructor(readonly budget: number) {
    if (!Number.isSafeInteger(budget) || budget < 0) throw new RangeError(`arena budget ${budget} is not a byte count`);
    // Untouched pages of a large ArrayBuffer are not committed by the OS: the budget is reserved,
    // and only what blocks actually use becomes resident.
    this.bytes = new Uint8Array(budget);
    this.view = new DataView(this.bytes.buffer);
    this.rdStart = budget;
    this.rdDirty = budget;
  }

  /** Empties the arena: no heaps, no return data. */
  reset(): void {
    this.heapTop = 0;
    this.rdStart = this.budget;
  }

  /** Heap [from, to) joins the top heap, zeroed; only the top heap (ending at heapTop) grows. */
  growHeap(base: number, from: number, to: number): void {
    if (from !== this.heapTop) throw new Error(`arena: a heap ending at ${from} grew while the top heap ends at ${this.heapTop}`);
    if (to > this.rdStart) this.fail('heap', to - base);
    // EVM memory starts zeroed. Space used before holds old bytes; space never used is still the
    // OS's zero pages, and leaving it untouched keeps it uncommitted (a 1 MB argument nobody
    // writes costs no RAM).
    const z = this.zeroFrom;
    const r = this.rdDirty;
    if (z >= r) this.bytes.fill(0, from, to);
    else {
      if (from < z) this.bytes.fill(0, from, to < z ? to : z);
      if (to > r) this.bytes.fill(0, from > r ? from : r, to);
    }
    if (to > z) this.zeroFrom = to;
    this.heapTop = to;
  }

  /** Releases every heap from `mark` up (a frame ended; mark is heapTop when it started). */
  releaseTo(mark: number): void {
    this.heapTop = mark;
  }

  /** The running frame spawns: its return data are dead (whatever the spawn gives replaces them). */
  dropReturnData(): void {
    this.rdStart = this.budget;
  }

  /**
   * Makes `src` the running frame's return data and returns their view in the arena. `src` may lie
   * in the arena (a released callee heap, even overlapping the destination) or outside it.
   */
  setReturnData(src: Uint8Array): Uint8Array {
    const len = src.length;
    if (len === 0) {
      this.rdStart = this.budget;
      return EMPTY_BYTES;
    }
    const start = this.budget - len;
    if (start < this.heapTop) this.fail('return data', len);
    if (src.buffer === this.bytes.buffer) this.bytes.copyWithin(start, src.byteOffset, src.byteOffset + len);
    else this.bytes.set(src, start);
    this.rdStart = start;
    if (start < this.rdDirty) this.rdDirty = start;
    return this.bytes.subarray(start, this.budget);
  }

  /** Bytes in use: heaps plus return data. */
  inUse(): number {
    return this.heapTop + (this.budget - this.rdStart);
  }

  private fail(region: string, requested: number): never {
    throw new ArenaExhausted(this.block, this.txIndex, region, requested, this.inUse(), this.budget);
  }

  // ---- one arena per process, reused block after block -----------------------------------------

  private static readonly pool = new Map<number, Arena>();

  /**
   * An empty arena of `budget` bytes. Blocks run one at a time (the machine is synchronous), so one
   * arena per budget serves them all and its pages stay mapped; a block started inside a running
   * one (never done today) would get its own.
   */
  static acquire(budget: number = DEFAULT_ARENA_BYTES): Arena {
    let a = Arena.pool.get(budget);
    if (a === undefined || a.busy) {
      a = new Arena(budget);
      if (!Arena.pool.has(budget)) {
        // A handful of budgets at most (tests use a few); never let the pool grow without bound.
        if (Arena.pool.size >= 4) Arena.pool.clear();
        Arena.pool.set(budget, a);
      }
    }
    a.busy = true;
    a.reset();
    a.block = 0n;
    a.txIndex = -1;
    return a;
  }

  /** The block is over: nothing it produced may still point into the arena. */
  release(): void {
    this.busy = false;
    this.reset();
  }
}
