// Code analysis, done once per code (keyed by its hash): jump destinations, PUSH immediates
// decoded once, and basic blocks whose static gas, native and stack bounds the interpreter checks
// once per block instead of once per instruction (evmone's "advanced" analysis, in outline).
import { bytesToBigInt } from '../../common/bytes.ts';
import { ERGS_PER_GAS } from '../../system/resources.ts';
import { ENDS_BLOCK, NATIVE, STACK_DELTA, STACK_MAX, STACK_MIN, STATIC_GAS } from './opcodes.ts';

export interface CodeAnalysis {
  code: Uint8Array;
  length: number;
  /**
   * Per instruction: the opcode in the low 8 bits, and the index of the basic block starting there
   * (0: none) above them. Position `length` is the implicit STOP. The first data byte of a PUSH
   * holds its immediate's index in pushValues above 8 zero bits (so it is never a JUMPDEST).
   */
  ops: Int32Array;
  /** Decoded PUSH1..PUSH32 immediates; [0] is 0n, for a PUSH that is the code's last byte. */
  pushValues: bigint[];
  /** Per block: static ergs and native of all its instructions, and the stack heights at entry
   * within which none of them can underflow or overflow. */
  blockErgs: Float64Array;
  blockNative: Float64Array;
  blockMinSp: Int32Array;
  blockMaxSp: Int32Array;
}

/** Shared PUSH1 immediates: one bigint per value, not one per push site. */
const SMALL: bigint[] = Array.from({ length: 256 }, (_, i) => BigInt(i));

let blockCharging = true;

/**
 * Off: analyses mark no blocks, so every instruction is checked and charged as it runs — the
 * reference the per-block charging must agree with (tests compare the two). Clears the cache.
 */
export function setBlockCharging(on: boolean): void {
  blockCharging = on;
  byHash.clear();
  cachedCodeBytes = 0;
}

export function analyze(code: Uint8Array): CodeAnalysis {
  const n = code.length;
  // Padded like the code itself: a PUSH cut short by the end of the code runs into zeros (STOP).
  const ops = new Int32Array(n + 33);
  const pushValues: bigint[] = [0n];
  const starts: number[] = [];
  let atStart = true;
  for (let i = 0; i < n; i++) {
    const op = code[i];
    // A JUMPDEST always opens a block (a jump may land there); so does whatever follows the end
    // of one.
    if (atStart || op === 0x5b) starts.push(i);
    ops[i] = op;
    atStart = ENDS_BLOCK[op] === 1;
    if (op >= 0x60 && op <= 0x7f) {
      const len = op - 0x5f;
      if (i + 1 < n) {
        ops[i + 1] = pushValues.length << 8;
        pushValues.push(len === 1 ? SMALL[code[i + 1]] : pushImmediate(code, i + 1, len));
      }
      i += len;
    }
  }
  if (atStart) starts.push(n);
  if (!blockCharging) starts.length = 0;
  const blocks = starts.length + 1;
  const blockErgs = new Float64Array(blocks);
  const blockNative = new Float64Array(blocks);
  const blockMinSp = new Int32Array(blocks);
  const blockMaxSp = new Int32Array(blocks);
  for (let b = 1; b < blocks; b++) {
    const start = starts[b - 1];
    ops[start] |= b << 8;
    let gas = 0;
    let native = 0;
    let h = 0;
    let min = 0;
    let max = 1 << 30;
    for (let i = start; ; ) {
      const op = i < n ? code[i] : 0;
      gas += STATIC_GAS[op];
      native += NATIVE[op];
      // An undefined opcode halts before it is charged: such a block always runs step by step.
      if (STACK_MIN[op] === 255) min = 1 << 30;
      if (STACK_MIN[op] - h > min) min = STACK_MIN[op] - h;
      if (STACK_MAX[op] - h < max) max = STACK_MAX[op] - h;
      h += STACK_DELTA[op];
      if (ENDS_BLOCK[op] === 1) break;
      i += op >= 0x60 && op <= 0x7f ? op - 0x5e : 1;
      if (i < n && code[i] === 0x5b) break;
      // Past the end: the implicit STOP closes the block.
      if (i > n) i = n;
    }
    blockErgs[b] = gas * ERGS_PER_GAS;
    blockNative[b] = native;
    blockMinSp[b] = min;
    blockMaxSp[b] = max;
  }
  return { code, length: n, ops, pushValues, blockErgs, blockNative, blockMinSp, blockMaxSp };
}

/** A PUSH immediate; bytes past the end of the code read as zero. */
function pushImmediate(code: Uint8Array, at: number, len: number): bigint {
  const end = at + len;
  if (end <= code.length) return bytesToBigInt(code, at, end);
  const b = new Uint8Array(len);
  b.set(code.subarray(at));
  return bytesToBigInt(b);
}

/**
 * Static ergs and native of the instructions from `pc` to the end of its block: what the block's
 * up-front charge took for instructions that have not run yet.
 */
export function restOfBlock(a: CodeAnalysis, pc: number): [ergs: number, native: number] {
  let gas = 0;
  let native = 0;
  const ops = a.ops;
  const n = a.length;
  // The same walk as analyze()'s, from pc up to the next block's start.
  for (let i = pc > n ? n : pc; ops[i] <= 0xff; ) {
    const op = ops[i];
    gas += STATIC_GAS[op];
    native += NATIVE[op];
    if (ENDS_BLOCK[op] === 1) break;
    i += op >= 0x60 && op <= 0x7f ? op - 0x5e : 1;
    if (i > n) i = n;
  }
  return [gas * ERGS_PER_GAS, native];
}

const MAX_CACHED = 4096;
/** Code bytes behind the cached analyses: each costs several bytes per code byte, so bound both. */
const MAX_CACHED_CODE_BYTES = 8 * 1024 * 1024;
const byHash = new Map<string, CodeAnalysis>();
let cachedCodeBytes = 0;

/** Cached analysis of deployed code; `hashKey` is its bytecode hash as a string. */
export function analyzeCached(hashKey: string, code: Uint8Array): CodeAnalysis {
  let a = byHash.get(hashKey);
  if (a === undefined) {
    // A plain bound keeps memory flat on long runs; the working set of a chain is far smaller.
    if (byHash.size >= MAX_CACHED || cachedCodeBytes + code.length > MAX_CACHED_CODE_BYTES) {
      byHash.clear();
      cachedCodeBytes = 0;
    }
    a = analyze(code);
    byHash.set(hashKey, a);
    cachedCodeBytes += code.length;
  }
  return a;
}
