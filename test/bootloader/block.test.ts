import { describe, expect, it } from 'vitest';
import { account, asm, run, SENDER, tx } from '../helpers/chain.ts';
import type { BlockOutput } from '../../machine/bootloader/types.ts';
import { IoEventKind, IoEventLog } from '../../machine/system/events.ts';

const COUNTER = 0xc0de0001n;
// slot0 += 1; CALL(self, all gas); STOP — recursion until the depth limit stops it.
const RECURSE = asm('5f54', 1n, '015f55', '5f5f5f5f5f305af15000');

function ser(x: unknown): string {
  return JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? `n${v}` : v instanceof Uint8Array ? `b${Buffer.from(v).toString('hex')}` : v));
}

function serialize(out: BlockOutput): string {
  return ser(out);
}

function preState() {
  return new Map([
    [SENDER, account({ balance: 10n ** 24n })],
    [COUNTER, account({ code: RECURSE })],
  ]);
}

/** Runs fn with only about `margin` frames of a small function left on the JS stack. */
function nearStackLimit<T>(margin: number, fn: () => T): T {
  let max = 0;
  const probe = (d: number): number => {
    max = d;
    return probe(d + 1) + 1;
  };
  try {
    probe(0);
  } catch {
    // RangeError: max holds the deepest level reached.
  }
  const target = max - margin;
  const descend = (d: number): T => (d >= target ? fn() : descend(d + 1));
  return descend(0);
}

function recurse(n: number): number {
  return n === 0 ? 0 : recurse(n - 1) + 1;
}

describe('the runner', () => {
  it('has a harness that really leaves little JS stack', () => {
    // A recursive runner needs several JS frames per call level: over 3,000 for 1,025 levels.
    expect(() => nearStackLimit(1500, () => recurse(3000))).toThrow(RangeError);
  });

  it('runs a 1024-deep call chain with the JS stack nearly full', () => {
    const txs = [tx({ nonce: 0n, to: COUNTER, gasLimit: 1_000_000_000_000n })];
    const out = nearStackLimit(1500, () => run(preState(), txs, { meta: { gasLimit: 2_000_000_000_000n } }));
    const r = out.results[0];
    expect(r.kind).toBe('executed');
    const counter = out.stateDiff.find((d) => d.address === COUNTER)!;
    // Depths 0..1024 each ran once; the call from depth 1024 failed on the limit.
    expect(counter.storage).toEqual([[0n, 1025n]]);
  });
});

describe('the block machine', () => {
  const txs = [
    tx({ nonce: 0n, to: COUNTER, gasLimit: 200_000n }),
    tx({ nonce: 5n, to: COUNTER }), // nonce too high: rejected, the block goes on
    tx({ nonce: 1n, to: 0xbeefn, value: 7n }),
  ];

  it('rejects an invalid transaction with a named error and goes on', () => {
    const out = run(preState(), txs);
    expect(out.results.map((r) => r.kind)).toEqual(['executed', 'rejected', 'executed']);
    const rej = out.results[1];
    expect(rej.kind === 'rejected' && rej.rejection.error).toBe('TX_NONCE_TOO_HIGH');
    expect(out.stateDiff.find((d) => d.address === 0xbeefn)?.balance).toBe(7n);
  });

  it('leaves no trace of a rejected transaction', () => {
    const out = run(preState(), [tx({ nonce: 1n, to: COUNTER })]);
    expect(out.results[0].kind).toBe('rejected');
    expect(out.stateDiff).toEqual([]);
    expect(out.gasUsed).toBe(0n);
  });

  it('visits the same states through the xstate actor and through the compiled table', () => {
    const table = run(preState(), txs, { trace: true });
    const actor = run(preState(), txs, { actor: true });
    expect(table.trace).toEqual(actor.trace);
    expect(table.trace).toEqual([
      'block.init',
      'block.blockContext',
      ...['readTx', 'validate', 'frameDispatch', 'refund', 'record'].map((s) => `block.txLoop.${s}`),
      ...['readTx', 'validate', 'record'].map((s) => `block.txLoop.${s}`),
      ...['readTx', 'validate', 'frameDispatch', 'refund', 'record'].map((s) => `block.txLoop.${s}`),
      'block.txLoop.readTx',
      'block.finalize',
      'block.done',
    ]);
    expect(serialize({ ...table, trace: null })).toEqual(serialize({ ...actor, trace: null }));
  });

  it('is deterministic: the same block twice gives identical outputs and IO events', () => {
    const a = new IoEventLog();
    const b = new IoEventLog();
    const outA = run(preState(), txs, { events: a });
    const outB = run(preState(), txs, { events: b });
    expect(serialize(outA)).toEqual(serialize(outB));
    expect(a.events.length).toBeGreaterThan(10);
    expect(ser(a.events)).toEqual(ser(b.events));
  });

  it('records IO events in order: tx start, frame start, storage, frame end, tx end', () => {
    const log = new IoEventLog();
    run(preState(), [tx({ nonce: 0n, to: COUNTER, gasLimit: 200_000n })], { events: log });
    const kinds = log.events.map((e) => e.kind);
    expect(kinds[0]).toBe(IoEventKind.TxStart);
    expect(kinds.at(-1)).toBe(IoEventKind.TxEnd);
    const firstWrite = log.events.find((e) => e.kind === IoEventKind.StorageWrite);
    expect(firstWrite).toMatchObject({ address: COUNTER, key: 0n, value: 1n });
    const starts = kinds.filter((k) => k === IoEventKind.FrameStart).length;
    expect(kinds.filter((k) => k === IoEventKind.FrameEnd).length).toBe(starts);
  });
});
