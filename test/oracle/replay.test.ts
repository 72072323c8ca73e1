// The query table, the recording oracle over InMemoryOracle (+ a tree for the proving queries),
// and replaying the log: identical answers, and divergences named at the right query.
import { describe, expect, it } from 'vitest';
import { blake2s } from '../../machine/crypto/index.ts';
import { TapeError, encodeU32 } from '../../machine/oracle/codec.ts';
import { InMemoryOracle } from '../../machine/oracle/memory.ts';
import { isProvingOracle } from '../../machine/oracle/proving.ts';
import { QUERIES, type RecordedQuery } from '../../machine/oracle/queries.ts';
import { RecordingOracle } from '../../machine/oracle/recording.ts';
import { ReplayDivergence, ReplayingOracle } from '../../machine/oracle/replaying.ts';
import { OracleError, QueryKind, type Oracle } from '../../machine/oracle/types.ts';
import { ACCOUNT_PROPERTIES_STORAGE_ADDRESS } from '../../machine/system/account.ts';
import { ALICE, CODE, CONTRACT, TXS, accountHash, metadata, preState, provingOracle, script } from './helpers.ts';

function record(meta = metadata()): { answers: unknown[]; rec: RecordingOracle } {
  const rec = new RecordingOracle(provingOracle(meta));
  return { answers: script(rec), rec };
}

function divergence(f: () => unknown): ReplayDivergence {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ReplayDivergence);
    return e as ReplayDivergence;
  }
  throw new Error('expected a ReplayDivergence');
}

describe('query table', () => {
  it('has the reference parameter and answer sizes for kinds 0–9', () => {
    const sizes = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((k) => [QUERIES[k as QueryKind].paramWords, QUERIES[k as QueryKind].answerWords]);
    expect(sizes).toEqual([[0, 2], [0, 'tx'], [0, 22], [0, 2094], [14, 10], [8, 'blob'], [0, 0], [2, 532], [8, 2], [8, 2]]);
    for (let k = 0; k <= 9; k++) expect(QUERIES[k as QueryKind].kind).toBe(k);
  });
});

describe('RecordingOracle', () => {
  it('forwards every query and logs it in order, as words', () => {
    const { answers, rec } = record();
    const kinds = rec.log.map((q) => q.kind);
    expect(kinds).toEqual([3, 0, 1, 4, 5, 4, 4, 4, 0, 1, 0, 1, 0, 2, 5, 9, 7, 8, 7, 6]);
    expect(rec.log[1].answer).toEqual(encodeU32(3));
    expect(rec.log[3].params.length).toBe(14);
    expect(rec.log[19]).toEqual({ kind: 6, params: new Uint32Array(0), answer: new Uint32Array(0) });
    // Transaction bodies come back exactly; preimages zero-padded to 8 bytes, as a replay sees them.
    expect(answers[2]).toEqual(TXS[0]);
    const code = answers[answers.length - 5] as Uint8Array;
    expect(code.length).toBe(8);
    expect(code.subarray(0, 5)).toEqual(CODE);
    expect(answers[0]).toEqual(metadata());
    expect(rec.blobBaseFee).toBe(1n);
  });

  it('refuses proving queries over a plain oracle but records the disconnect', () => {
    const plain = new InMemoryOracle(preState(), metadata(), []);
    expect(isProvingOracle(plain)).toBe(false);
    const rec = new RecordingOracle(plain);
    expect(() => rec.ioImplementerInit()).toThrow(OracleError);
    rec.disconnect();
    expect(rec.log.map((q) => q.kind)).toEqual([6]);
    expect(() => rec.nextTxSize()).toThrow(/disconnected/);
  });

  it('rejects a body whose length differs from the announced size', () => {
    const inner = new InMemoryOracle(preState(), metadata(), [new Uint8Array(4)]);
    const lying: Oracle = {
      nextTxSize: () => inner.nextTxSize(),
      nextTxContent: () => new Uint8Array(5),
      blockMetadata: () => inner.blockMetadata(),
      initialStorageSlot: (a, k) => inner.initialStorageSlot(a, k),
      preimage: (h) => inner.preimage(h),
    };
    const rec = new RecordingOracle(lying);
    expect(rec.nextTxSize()).toBe(4);
    expect(() => rec.nextTxContent()).toThrow(/5 bytes, its size was 4/);
  });
});

describe('ReplayingOracle', () => {
  it('answers a replay of the same run identically from the log alone', () => {
    const meta = metadata({ blobBaseFee: 77n });
    const { answers, rec } = record(meta);
    const replay = new ReplayingOracle(rec.log, { blobBaseFee: rec.blobBaseFee! });
    expect(script(replay)).toEqual(answers);
    replay.finish();
    expect(replay.position).toBe(rec.log.length);
    expect((answers[0] as { blobBaseFee: bigint }).blobBaseFee).toBe(77n);
  });

  it('names the query where the parameters differ, with both queries', () => {
    const { rec } = record();
    const replay = new ReplayingOracle(rec.log);
    replay.blockMetadata();
    replay.nextTxSize();
    replay.nextTxContent();
    replay.initialStorageSlot(ACCOUNT_PROPERTIES_STORAGE_ADDRESS, ALICE);
    replay.preimage(accountHash(ALICE));
    const d = divergence(() => replay.initialStorageSlot(ACCOUNT_PROPERTIES_STORAGE_ADDRESS, CONTRACT + 1n));
    expect(d.position).toBe(5);
    expect(d.expected!.kind).toBe(QueryKind.InitialStorageSlot);
    expect(d.expected!.params).toEqual(rec.log[5].params);
    expect(d.actual!.kind).toBe(QueryKind.InitialStorageSlot);
    expect(d.message).toMatch(/query 5: expected InitialStorageSlot\(4\) \[.*\], got InitialStorageSlot\(4\) \[/);
  });

  it('names the query where the kind differs', () => {
    const { rec } = record();
    const replay = new ReplayingOracle(rec.log);
    replay.blockMetadata();
    const d = divergence(() => replay.preimage(blake2s(CODE)));
    expect(d.position).toBe(1);
    expect(d.expected!.kind).toBe(QueryKind.NextTxSize);
    expect(d.actual!.kind).toBe(QueryKind.PreimageContent);
    expect(d.message).toMatch(/expected NextTxSize\(0\), got PreimageContent\(5\)/);
  });

  it('diverges when the log runs out and when queries are left at finish()', () => {
    const { rec } = record();
    const short = new ReplayingOracle(rec.log.slice(0, -1));
    const d = divergence(() => script(short));
    expect(d.position).toBe(rec.log.length - 1);
    expect(d.expected).toBeNull();
    expect(d.actual!.kind).toBe(QueryKind.DisconnectOracle);

    const extra: RecordedQuery[] = [...rec.log, { kind: QueryKind.NextTxSize, params: new Uint32Array(0), answer: encodeU32(0) }];
    const long = new ReplayingOracle(extra);
    script(long);
    const f = divergence(() => long.finish());
    expect(f.position).toBe(rec.log.length);
    expect(f.expected!.kind).toBe(QueryKind.NextTxSize);
    expect(f.actual).toBeNull();
  });

  it('rejects a corrupt recorded answer at its position in the equivalent tape', () => {
    const { rec } = record();
    const log = rec.log.map((q) => ({ ...q }));
    log[1] = { ...log[1], answer: Uint32Array.from([3, 0, 0]) };
    const replay = new ReplayingOracle(log);
    replay.blockMetadata();
    let err: unknown;
    try {
      replay.nextTxSize();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TapeError);
    expect((err as TapeError).code).toBe('LENGTH_MISMATCH');
    expect((err as TapeError).position).toBe(1 + 2094);
  });
});
