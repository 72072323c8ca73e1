// The tape oracle over the CSR_READS_DUMP word stream (reference §1.4, §1.5, §1.7, §1.8): the
// minimal empty-block stream, the recording → log → tape round trip, strict lengths, the query-1
// padding caveat, and tampering (one word changed, dropped or added) never going unnoticed.
import { describe, expect, it } from 'vitest';
import { TapeError, encodeBlockMetadata, encodeBytes } from '../../machine/oracle/codec.ts';
import { encodeFsmInit } from '../../machine/oracle/proving.ts';
import type { RecordedQuery } from '../../machine/oracle/queries.ts';
import { RecordingOracle } from '../../machine/oracle/recording.ts';
import { TapeOracle, tapeFromLog } from '../../machine/oracle/tape.ts';
import { OracleError, QueryKind } from '../../machine/oracle/types.ts';
import { metadata, provingOracle, script, tree } from './helpers.ts';

const arr = (w: Uint32Array) => Array.from(w);

function tapeError(f: () => unknown): TapeError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(TapeError);
    return e as TapeError;
  }
  throw new Error('expected a TapeError');
}

/** metadata, nextTxSize → 0, ioImplementerInit, disconnect (reference §1.7). */
function emptyBlock(o: { blockMetadata(): unknown; nextTxSize(): number; ioImplementerInit(): unknown; disconnect(): void }): unknown[] {
  const out = [o.blockMetadata(), o.nextTxSize(), o.ioImplementerInit()];
  o.disconnect();
  return out;
}

function recordFull(): { answers: unknown[]; tape: Uint32Array; log: readonly RecordedQuery[] } {
  const rec = new RecordingOracle(provingOracle());
  const answers = script(rec);
  return { answers, tape: tapeFromLog(rec.log), log: rec.log };
}

/** Structural equality of answers (cheaper than expect().toEqual in a loop of thousands). */
function same(a: unknown, b: unknown): boolean {
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    return a instanceof Uint8Array && b instanceof Uint8Array && a.length === b.length && a.every((x, i) => x === b[i]);
  }
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return a === b;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Runs the script over a tape to the end; the answers, or the error it threw. */
function run(tape: Uint32Array): unknown[] | Error {
  try {
    const o = new TapeOracle(tape);
    const answers = script(o);
    o.finish();
    return answers;
  } catch (e) {
    return e as Error;
  }
}

describe('the minimal empty-block stream', () => {
  it('is [2094, <metadata>, 2, 0, 0, 22, <FSM>, 0]', () => {
    const meta = metadata();
    const commitment = tree().commitment();
    const rec = new RecordingOracle(provingOracle(meta, []));
    const answers = emptyBlock(rec);
    const tape = tapeFromLog(rec.log);
    const expected = [2094, ...arr(encodeBlockMetadata(meta)), 2, 0, 0, 22, ...arr(encodeFsmInit(commitment)), 0];
    expect(arr(tape)).toEqual(expected);
    expect(tape.length).toBe(2122);

    const o = new TapeOracle(Uint32Array.from(expected));
    expect(emptyBlock(o)).toEqual(answers);
    expect(answers[2]).toEqual(commitment);
    o.finish();
    expect(() => o.nextTxSize()).toThrow(OracleError);
  });
});

describe('TapeOracle', () => {
  it('recording → log → tape → TapeOracle gives identical answers', () => {
    const { answers, tape } = recordFull();
    const o = new TapeOracle(tape);
    const got = script(o);
    expect(got).toEqual(answers);
    expect(same(got, answers)).toBe(true);
    o.finish();
    expect(o.remaining).toBe(0);
  });

  it('rejects a length word that disagrees with the expected answer size, at its position', () => {
    const { tape } = recordFull();
    tape[0] = 2093;
    const e = tapeError(() => new TapeOracle(tape).blockMetadata());
    expect([e.code, e.position]).toEqual(['LENGTH_MISMATCH', 0]);
  });

  it('rejects a truncated tape and words left over', () => {
    const { tape } = recordFull();
    let e = tapeError(() => script(new TapeOracle(tape.subarray(0, tape.length - 1))));
    expect([e.code, e.position]).toEqual(['TAPE_EXHAUSTED', tape.length - 1]);
    e = tapeError(() => new TapeOracle(tape.subarray(0, 100)).blockMetadata());
    expect([e.code, e.position]).toEqual(['TAPE_EXHAUSTED', 100]);
    const longer = new Uint32Array(tape.length + 1);
    longer.set(tape);
    const o = new TapeOracle(longer);
    script(o);
    e = tapeError(() => o.finish());
    expect([e.code, e.position]).toEqual(['LEFTOVER_WORDS', tape.length]);
  });

  it('takes the host emission 2*ceil(len/8) for tx bodies, padding zero; optionally the guest rule', () => {
    for (const len of [1, 3, 4, 5, 8, 13, 32]) {
      const body = Uint8Array.from({ length: len }, (_, i) => i + 1);
      const tape = Uint32Array.from([2, len, 0, 2 * Math.ceil(len / 8), ...encodeBytes(body)]);
      const o = new TapeOracle(tape);
      expect(o.nextTxSize()).toBe(len);
      expect(o.nextTxContent()).toEqual(body);
      o.finish();
      const guest = new TapeOracle(tape, { referenceTxLength: true });
      guest.nextTxSize();
      if ([0, 5, 6, 7].includes(len % 8)) expect(guest.nextTxContent()).toEqual(body);
      else expect(tapeError(() => guest.nextTxContent()).code).toBe('LENGTH_MISMATCH');
    }
    // ceil(len/4) words for a 3-byte body (what the guest would want) is not the host's form.
    expect(tapeError(() => {
      const o = new TapeOracle(Uint32Array.from([2, 3, 0, 1, 0x030201]));
      o.nextTxSize();
      o.nextTxContent();
    }).code).toBe('LENGTH_MISMATCH');
    // Non-zero padding after a 3-byte body.
    const e = tapeError(() => {
      const o = new TapeOracle(Uint32Array.from([2, 3, 0, 2, 0xff030201, 0]));
      o.nextTxSize();
      o.nextTxContent();
    });
    expect([e.code, e.position]).toEqual(['NONZERO_PADDING', 4]);
  });

  it('asks for no body before a non-zero size', () => {
    const o = new TapeOracle(Uint32Array.from([2, 0, 0]));
    expect(o.nextTxSize()).toBe(0);
    expect(() => o.nextTxContent()).toThrow(OracleError);
  });

  it('requires an even preimage length and a zero disconnect length', () => {
    let e = tapeError(() => new TapeOracle(Uint32Array.from([3, 1, 2, 3])).preimage(new Uint8Array(32)));
    expect([e.code, e.position]).toEqual(['LENGTH_MISMATCH', 0]);
    e = tapeError(() => new TapeOracle(Uint32Array.from([1, 0])).disconnect());
    expect([e.code, e.position]).toEqual(['LENGTH_MISMATCH', 0]);
  });
});

describe('tapeFromLog', () => {
  it('rejects log entries of the wrong size', () => {
    const bad: RecordedQuery[] = [{ kind: QueryKind.ExactIndex, params: new Uint32Array(8), answer: new Uint32Array(3) }];
    expect(tapeError(() => tapeFromLog(bad)).code).toBe('BAD_LOG_ENTRY');
    const orphan: RecordedQuery[] = [{ kind: QueryKind.NewTxContent, params: new Uint32Array(0), answer: new Uint32Array(2) }];
    expect(tapeError(() => tapeFromLog(orphan)).code).toBe('BAD_LOG_ENTRY');
  });
});

describe('tampering', () => {
  const { answers, tape } = recordFull();
  const differs = (r: unknown[] | Error): boolean => {
    if (r instanceof Error) return r instanceof TapeError || r instanceof OracleError;
    return !same(r, answers);
  };

  it(`changing any one of the ${tape.length} words is detected or changes an answer`, () => {
    for (let i = 0; i < tape.length; i++) {
      const t = tape.slice();
      t[i] = (t[i] ^ 0x80000001) >>> 0;
      if (!differs(run(t))) throw new Error(`changed word ${i} went unnoticed`);
    }
  });

  it('dropping or adding one word anywhere is detected or changes an answer', () => {
    for (let i = 0; i <= tape.length; i++) {
      if (i < tape.length) {
        const dropped = new Uint32Array(tape.length - 1);
        dropped.set(tape.subarray(0, i));
        dropped.set(tape.subarray(i + 1), i);
        if (!differs(run(dropped))) throw new Error(`dropped word ${i} went unnoticed`);
      }
      const added = new Uint32Array(tape.length + 1);
      added.set(tape.subarray(0, i));
      added[i] = i === tape.length ? 0 : tape[i];
      added.set(tape.subarray(i), i + 1);
      if (!differs(run(added))) throw new Error(`word added at ${i} went unnoticed`);
    }
  });

  it('a plain changed word in the metadata changes the answer, not an error', () => {
    const t = tape.slice();
    t[1] ^= 1; // basefee's low limb
    const r = run(t);
    expect(r).not.toBeInstanceOf(Error);
    expect((r as { eip1559BaseFee: bigint }[])[0].eip1559BaseFee).toBe((answers[0] as { eip1559BaseFee: bigint }).eip1559BaseFee ^ 1n);
  });
});
