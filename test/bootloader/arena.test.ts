// The memory arena (machine/system/arena.ts): heaps nested and released as a stack, return data
// alive exactly as long as the EVM lets a frame see them, and a clean, named, block-level failure
// when the budget runs out.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { concatBytes } from '../../machine/common/bytes.ts';
import { createAddress } from '../../machine/ee/evm/calls.ts';
import type { BlockOutput } from '../../machine/bootloader/types.ts';
import { Arena, ArenaExhausted, DEFAULT_ARENA_BYTES } from '../../machine/system/arena.ts';
import { IoEventLog } from '../../machine/system/events.ts';
import { assemble } from '../zksync/asm.ts';
import { account, run, SENDER, tx } from '../helpers/chain.ts';
import { A, call, deepChain, DEEP, DEPTH, DRIVER, fill, hashOf, HOG, HOG_CODE, IDENTITY, KiB, NESTED, recordReturnData, returnDataScript, word } from '../helpers/arena.ts';

const HASH_EMPTY = hashOf(new Uint8Array(0));
const ser = (x: unknown) => JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? `n${v}` : v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v));
const withSender = (m: Map<bigint, ReturnType<typeof account>>) => new Map([[SENDER, account({ balance: 10n ** 24n })], ...m]);

function slot(out: BlockOutput, address: bigint, key: bigint): bigint {
  return out.stateDiff.find((d) => d.address === address)?.storage.find(([k]) => k === key)?.[1] ?? 0n;
}

function executed(out: BlockOutput, i: number) {
  const r = out.results[i];
  if (r.kind !== 'executed') throw new Error(`transaction ${i} was rejected`);
  return r.receipt;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the arena itself', () => {
  it('hands out zeroed heaps, only to the top heap, and moves overlapping return data', () => {
    const a = new Arena(4 * KiB);
    a.growHeap(0, 0, 1 * KiB);
    a.bytes.fill(7, 0, 1 * KiB);
    a.releaseTo(0);
    a.growHeap(0, 0, 512);
    expect(a.bytes.subarray(0, 512).every((b) => b === 0)).toBe(true); // reused space is zeroed
    expect(() => a.growHeap(0, 256, 768)).toThrow(/grew while the top heap ends at 512/);
    // A callee's output (a slice of its released heap) moves to the far end, even when it overlaps.
    a.growHeap(512, 512, 4 * KiB - 64);
    a.bytes.set(fill(9, 2 * KiB), 1 * KiB);
    a.releaseTo(512);
    const rd = a.setReturnData(a.bytes.subarray(1 * KiB, 3 * KiB));
    expect(rd.byteOffset).toBe(2 * KiB);
    expect(rd.every((b) => b === 9)).toBe(true);
    expect(a.inUse()).toBe(512 + 2 * KiB);
    // The heap may grow right up to the return data, not one word further.
    a.growHeap(0, 512, 2 * KiB);
    expect(() => a.growHeap(0, 2 * KiB, 2 * KiB + 32)).toThrow(ArenaExhausted);
    a.dropReturnData();
    a.growHeap(0, 2 * KiB, 4 * KiB);
    expect(a.bytes.subarray(2 * KiB, 4 * KiB).every((b) => b === 0)).toBe(true); // old return data zeroed
  });

  it('names the region, the requested size and where the block was', () => {
    const a = new Arena(1 * KiB);
    a.block = 7n;
    a.txIndex = 3;
    a.growHeap(0, 0, 512);
    const err = (() => {
      try {
        a.setReturnData(fill(1, 600));
      } catch (e) {
        return e;
      }
    })() as ArenaExhausted;
    expect(err).toBeInstanceOf(ArenaExhausted);
    expect(err).toMatchObject({ name: 'ArenaExhausted', code: 'ARENA_EXHAUSTED', block: 7n, txIndex: 3, region: 'return data', requested: 600, inUse: 512, budget: 1 * KiB });
    expect(err.message).toBe('block 7, transaction 3: the memory arena has no room for return data of 600 bytes (512 of 1024 bytes in use)');
  });
});

// ---- heaps along a deep call chain ---------------------------------------------------------------

describe('heaps', () => {
  const pre = () => withSender(deepChain());

  it('nest along a 100-deep call chain, are released when each frame ends, and start zeroed', () => {
    const grow = vi.spyOn(Arena.prototype, 'growHeap');
    const release = vi.spyOn(Arena.prototype, 'releaseTo');
    const out = run(pre(), [tx({ nonce: 0n, to: DRIVER, gasLimit: 10_000_000n })]);
    expect(executed(out, 0).success).toBe(true);
    for (let n = 0; n <= DEPTH; n++) expect(slot(out, DEEP, BigInt(n))).toBe(1n);
    // Each callee's heap starts where its caller's ends: the peak is the sum of all of them.
    let frameHeaps = 0;
    for (let n = 0; n <= DEPTH; n++) frameHeaps += 96 + 32 * n;
    expect(Math.max(...grow.mock.calls.map(([, , to]) => to))).toBe(32 + frameHeaps);
    // Every frame's heap is released (two chains of 101 frames plus the driver); last the driver's.
    expect(release.mock.calls.length).toBe(2 * (DEPTH + 1) + 1);
    expect(release.mock.calls.at(-1)).toEqual([0]);
  });
});

// ---- return data lifetimes -----------------------------------------------------------------------

const returnDataPre = () => withSender(returnDataScript());
const returnDataTx = () => [tx({ nonce: 0n, to: A, gasLimit: 2_000_000n })];

describe('return data', () => {
  it('live exactly as long as the EVM lets a frame see them', () => {
    const out = run(returnDataPre(), returnDataTx());
    expect(executed(out, 0).success).toBe(true);
    const s = (k: number) => slot(out, A, BigInt(k));
    // Inside NESTED, after its own call: RETX's 64 bytes.
    expect(slot(out, NESTED, 0n)).toBe(64n);
    expect(slot(out, NESTED, 1n)).toBe(hashOf(concatBytes(fill(0xaa, 32), word(0xbbn))));
    // In A: NESTED's 40 bytes, before and after A's heap grew towards them.
    const x = hashOf(concatBytes(fill(0xcc, 32), fill(0xdd, 8)));
    expect([s(10), s(11), s(12), s(13), s(14)]).toEqual([1n, 40n, x, 40n, x]);
    expect([s(15), s(16), s(17)]).toEqual([0n, 48n, hashOf(concatBytes(fill(0xee, 32), fill(0xef, 16)))]);
    expect([s(18), s(19), s(20)]).toEqual([1n, 0n, HASH_EMPTY]);
    const identityInput = new Uint8Array(100);
    identityInput[0x801f - 0x7fc0] = 1;
    expect([s(21), s(22), s(23)]).toEqual([1n, 100n, hashOf(identityInput)]);
    // CREATE: a reverting constructor's data; a successful deployment leaves none.
    expect([s(24), s(25), s(26)]).toEqual([0n, 16n, hashOf(fill(0x11, 16))]);
    expect([s(27), s(28), s(29)]).toEqual([createAddress(A, 2n), 0n, HASH_EMPTY]);
    expect(out.stateDiff.find((d) => d.address === createAddress(A, 2n))?.code).toEqual(fill(0x60, 10));
    expect([s(30), s(31), s(32)]).toEqual([0n, 0n, HASH_EMPTY]);
  });

  it('give the same block under a tight budget as under the default one', () => {
    const tight = run(returnDataPre(), returnDataTx(), { arenaBytes: 36 * KiB });
    const roomy = run(returnDataPre(), returnDataTx());
    expect(ser(tight)).toBe(ser(roomy));
  });

  it('are dropped when their frame spawns: the next callee may use their space', () => {
    const SEQ = 0xa1001n;
    const BIG = 0xa1002n; // returns calldata-word many (zero) bytes
    const GROWER = 0xa1003n; // expands its memory to calldata-word bytes
    const pre = new Map([
      [SENDER, account({ balance: 10n ** 24n })],
      [SEQ, account({ code: assemble(20 * KiB, 0, 'MSTORE', ...call(BIG, 0, 32), 'POP', 'RETURNDATASIZE', 5, 'SSTORE', 24 * KiB, 0, 'MSTORE', ...call(GROWER, 0, 32), 6, 'SSTORE', ...recordReturnData(0), 'STOP') })],
      [BIG, account({ code: assemble(0, 'CALLDATALOAD', 0, 'RETURN') })],
      [GROWER, account({ code: assemble(1, 0, 'CALLDATALOAD', 'MSTORE', 'STOP') })],
    ]);
    // 40 KiB: BIG's 20 KiB of return data plus GROWER's 24 KiB heap would not fit together.
    const out = run(pre, [tx({ nonce: 0n, to: SEQ, gasLimit: 1_000_000n })], { arenaBytes: 40 * KiB });
    expect(executed(out, 0).success).toBe(true);
    expect(slot(out, SEQ, 5n)).toBe(BigInt(20 * KiB));
    expect(slot(out, SEQ, 6n)).toBe(1n);
    expect([slot(out, SEQ, 0n), slot(out, SEQ, 1n)]).toEqual([0n, HASH_EMPTY]);
  });
});

// ---- running out ---------------------------------------------------------------------------------

const IDHOG = 0xb0002n; // a 20 KiB heap, then 16 KiB of it through the identity precompile
const BOB = 0xb0b0n;

function hogPre() {
  return new Map([
    [SENDER, account({ balance: 10n ** 24n })],
    [HOG, account({ code: HOG_CODE })],
    [IDHOG, account({ code: assemble(1, 20 * KiB - 32, 'MSTORE', 0, 0, 16 * KiB, 0, IDENTITY, 'GAS', 'STATICCALL', 0, 'SSTORE', 'STOP') })],
  ]);
}
const hogBlock = () => [tx({ nonce: 0n, to: BOB, value: 1n }), tx({ nonce: 1n, to: HOG, data: word(BigInt(64 * KiB)), gasLimit: 200_000n })];

function exhaustion(fn: () => unknown): ArenaExhausted {
  try {
    fn();
  } catch (e) {
    if (e instanceof ArenaExhausted) return e;
    throw e;
  }
  throw new Error('the block ran to the end');
}

describe('running out of the arena', () => {
  it('fails the block with ArenaExhausted naming block, transaction and size', () => {
    const e = exhaustion(() => run(hogPre(), hogBlock(), { arenaBytes: 32 * KiB, meta: { blockNumber: 9n } }));
    expect(e).toMatchObject({ block: 9n, txIndex: 1, region: 'heap', requested: 64 * KiB + 32, budget: 32 * KiB });
    // The actor-driven machine fails the same way.
    const viaActor = exhaustion(() => run(hogPre(), hogBlock(), { arenaBytes: 32 * KiB, meta: { blockNumber: 9n }, actor: true }));
    expect(viaActor.message).toBe(e.message);
  });

  it('runs the same block with a budget that holds it', () => {
    for (const arenaBytes of [128 * KiB, DEFAULT_ARENA_BYTES]) {
      const out = run(hogPre(), hogBlock(), { arenaBytes });
      expect(executed(out, 1).success).toBe(true);
    }
  });

  it('fails on return data that do not fit beside the heaps', () => {
    const block = [tx({ nonce: 0n, to: IDHOG, gasLimit: 500_000n })];
    const e = exhaustion(() => run(hogPre(), block, { arenaBytes: 32 * KiB }));
    expect(e).toMatchObject({ txIndex: 0, region: 'return data', requested: 16 * KiB, inUse: 20 * KiB });
    const out = run(hogPre(), block, { arenaBytes: 40 * KiB });
    expect(slot(out, IDHOG, 0n)).toBe(1n);
  });

  it('never spends the budget on memory the frame cannot pay for: that is plain out of gas', () => {
    const grow = vi.spyOn(Arena.prototype, 'growHeap');
    // 1 MiB of memory costs ~2.2M gas; the transaction has 100k.
    const out = run(hogPre(), [tx({ nonce: 0n, to: HOG, data: word(1n << 20n), gasLimit: 100_000n })], { arenaBytes: 32 * KiB });
    const r = executed(out, 0);
    expect(r.success).toBe(false);
    expect(r.gasUsed).toBe(100_000n);
    expect(grow).not.toHaveBeenCalled();
  });

  it('leaves the arena usable for the next block', () => {
    exhaustion(() => run(hogPre(), hogBlock(), { arenaBytes: 32 * KiB }));
    const out = run(returnDataPre(), returnDataTx(), { arenaBytes: 36 * KiB });
    expect(ser(out)).toBe(ser(run(returnDataPre(), returnDataTx())));
  });
});

describe('determinism', () => {
  it('gives identical outputs and IO events for the same block, run twice and under other budgets', () => {
    const txs = () => [tx({ nonce: 0n, to: DRIVER, gasLimit: 10_000_000n }), tx({ nonce: 1n, to: A, gasLimit: 2_000_000n })];
    const pre = () => withSender(new Map([...returnDataScript(), ...deepChain()]));
    const runs = [undefined, undefined, 256 * KiB].map((arenaBytes) => {
      const events = new IoEventLog();
      const out = run(pre(), txs(), { events, arenaBytes });
      return { out: ser(out), count: events.events.length, events: ser(events.events) };
    });
    expect(runs[0].count).toBeGreaterThan(400);
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).toEqual(runs[0]);
  });
});
