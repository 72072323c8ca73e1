// The stored blob formats and the output digest: round trips, one encoding per value, strict
// decoding with the block, entry and byte offset of the first problem.
import { describe, expect, it } from 'vitest';
import { EthereumProfile } from '../../machine/bootloader/ethereum.ts';
import { runBlock } from '../../machine/bootloader/machine.ts';
import type { BlockOutput } from '../../machine/bootloader/types.ts';
import { encodeU32 } from '../../machine/oracle/codec.ts';
import type { RecordedQuery } from '../../machine/oracle/queries.ts';
import { RecordingOracle } from '../../machine/oracle/recording.ts';
import { IoEventKind, type IoEvent } from '../../machine/system/events.ts';
import { ByteReader, ByteWriter, crc32, jsCrc32 } from '../../storage/binary.ts';
import { outputDigest } from '../../storage/digest.ts';
import { CorruptBlockData } from '../../storage/errors.ts';
import { decodeIoEvents, encodeIoEvent, encodeIoEvents, IoEventEncoder } from '../../storage/io-events.ts';
import { decodeOracleLog, encodeOracleLog, OracleLogEncoder } from '../../storage/oracle-log.ts';
import { InMemoryOracle } from '../../machine/oracle/memory.ts';
import { run } from '../helpers/chain.ts';
import { blockMeta, genesisAccounts, scenario } from './helpers.ts';

const EVENTS: IoEvent[] = [
  { kind: IoEventKind.TxStart, index: 0 },
  { kind: IoEventKind.StorageRead, address: 0x8003n, key: (1n << 159n) + 5n, value: (1n << 256n) - 1n },
  { kind: IoEventKind.StorageWrite, address: 1n, key: 0n, value: 0n },
  { kind: IoEventKind.Balance, address: 2n, value: 10n ** 30n },
  { kind: IoEventKind.Nonce, address: 2n, value: 7n },
  { kind: IoEventKind.Code, address: 3n, codeHash: new Uint8Array(32).fill(0xab) },
  { kind: IoEventKind.Log, address: 4n, topics: [1n, 0n, 2n ** 255n], data: new Uint8Array([1, 2, 3]) },
  { kind: IoEventKind.FrameStart, depth: 1024, callKind: 'delegatecall', caller: 5n, callee: 6n, value: 0n, gas: 2 ** 50, input: new Uint8Array(300) },
  { kind: IoEventKind.FrameStart, depth: 0, callKind: 'create2-someday', caller: 5n, callee: 6n, value: 1n, gas: 0, input: new Uint8Array(0) },
  { kind: IoEventKind.FrameEnd, depth: 1, status: 2, gasLeft: 123456, output: new Uint8Array([9]) },
  { kind: IoEventKind.TxEnd, index: 0, status: 'reverted' },
  { kind: IoEventKind.TxEnd, index: 1, status: 'TX_NONCE_TOO_HIGH' },
  { kind: IoEventKind.L2ToL1, sender: 7n, key: 8n, value: new Uint8Array([4, 5]) },
];

function corrupt(f: () => unknown): CorruptBlockData {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CorruptBlockData);
    return e as CorruptBlockData;
  }
  throw new Error('expected CorruptBlockData');
}

describe('binary primitives', () => {
  it('round-trips varints and integers, and refuses non-canonical ones', () => {
    const w = new ByteWriter().varint(0).varint(127).varint(128).varint(2 ** 53 - 1).uint(0n).uint(255n).uint((1n << 256n) - 1n);
    const r = new ByteReader(w.finish());
    expect([r.varint(), r.varint(), r.varint(), r.varint()]).toEqual([0, 127, 128, 2 ** 53 - 1]);
    expect([r.uint(), r.uint(), r.uint()]).toEqual([0n, 255n, (1n << 256n) - 1n]);
    r.end('test');
    expect(() => new ByteReader(Uint8Array.of(0x80, 0x00)).varint()).toThrow(/not minimally encoded/);
    expect(() => new ByteReader(Uint8Array.of(2, 0, 1)).uint()).toThrow(/leading zero/);
    expect(() => new ByteReader(Uint8Array.of(33)).uint()).toThrow(/33 bytes/);
  });

  it('computes the zlib CRC-32 (native and JS agree)', () => {
    const b = new TextEncoder().encode('123456789');
    expect(crc32(b)).toBe(0xcbf43926);
    expect(jsCrc32(b)).toBe(0xcbf43926);
  });
});

describe('IO events blob', () => {
  it('round-trips every kind of event', () => {
    const e = encodeIoEvents(EVENTS);
    const d = decodeIoEvents(7, e.bytes, e.crc);
    expect(d.events).toEqual(EVENTS);
    expect(d.starts.length).toBe(EVENTS.length + 1);
    for (let i = 0; i < EVENTS.length; i++) expect(e.bytes.subarray(d.starts[i], d.starts[i + 1])).toEqual(encodeIoEvent(EVENTS[i]));
  });

  it('encodes as events are pushed, from a buffer that grows, the blob of the whole list', () => {
    const sink = new IoEventEncoder(16);
    expect(decodeIoEvents(1, sink.finish().bytes, sink.finish().crc).events).toEqual([]);
    for (let round = 0; round < 40; round++) for (const e of EVENTS) sink.push(e);
    const all = Array.from({ length: 40 }, () => EVENTS).flat();
    const blob = sink.finish();
    expect(blob.count).toBe(all.length);
    // Format byte, the count as a varint (two bytes here), then each event's own encoding.
    const parts = [new ByteWriter().u8(1).varint(all.length).finish(), ...all.map(encodeIoEvent)];
    expect(blob.bytes).toEqual(Uint8Array.from(parts.flatMap((p) => [...p])));
    expect(blob).toEqual(encodeIoEvents(all));
    expect(decodeIoEvents(1, blob.bytes, blob.crc).events).toEqual(all);
  });

  it('refuses trailing bytes and a spelled-out token', () => {
    const e = encodeIoEvents(EVENTS.slice(0, 1));
    const longer = new Uint8Array([...e.bytes, 0]);
    expect(corrupt(() => decodeIoEvents(3, longer, crc32(longer)))).toMatchObject({ block: 3, code: 'UNDECODABLE', position: -1, offset: e.bytes.length });
    const w = new ByteWriter().u8(1).varint(1).u8(IoEventKind.TxEnd).varint(0).u8(0xff).text('success');
    const b = w.finish();
    expect(corrupt(() => decodeIoEvents(3, b, crc32(b))).detail).toMatch(/spelled out/);
  });
});

describe('oracle log blob', () => {
  function realLog(): RecordedQuery[] {
    const [b1] = scenario();
    const rec = new RecordingOracle(new InMemoryOracle(genesisAccounts(), b1.meta, b1.txs));
    runBlock(rec, new EthereumProfile());
    return [...rec.log];
  }

  it('round-trips a recorded log', () => {
    const log = realLog();
    const e = encodeOracleLog(log);
    expect(e.count).toBe(log.length);
    expect(decodeOracleLog(1, e.bytes, e.crc)).toEqual(log);
  });

  it('is the same blob when the recording oracle hands each query to an encoder as it goes', () => {
    const [b1] = scenario();
    const sink = new OracleLogEncoder(8);
    const rec = new RecordingOracle(new InMemoryOracle(genesisAccounts(), b1.meta, b1.txs), sink);
    runBlock(rec, new EthereumProfile());
    expect(() => rec.log).toThrow(/keeps no log/);
    const streamed = sink.finish();
    expect(streamed).toEqual(encodeOracleLog(realLog()));
    expect(decodeOracleLog(1, streamed.bytes, streamed.crc)).toEqual(realLog());
  });

  it('checks kinds, parameter and answer sizes against the query table', () => {
    const log = realLog();
    const badKind = encodeOracleLog([{ ...log[0], kind: 12 as never }]);
    expect(corrupt(() => decodeOracleLog(5, badKind.bytes, badKind.crc))).toMatchObject({ block: 5, position: 0, detail: 'unknown query kind 12' });
    const slot = log.findIndex((q) => q.kind === 4);
    const badParams = encodeOracleLog([...log.slice(0, slot), { ...log[slot], params: log[slot].params.subarray(1) }]);
    expect(corrupt(() => decodeOracleLog(5, badParams.bytes, badParams.crc))).toMatchObject({ position: slot, detail: expect.stringMatching(/13 param words, expected 14/) });
    // A transaction body whose size disagrees with the size answered before it.
    const body = log.findIndex((q) => q.kind === 1);
    const wrongSize: RecordedQuery[] = [...log.slice(0, body - 1), { ...log[body - 1], answer: encodeU32(3) }, log[body]];
    const e = encodeOracleLog(wrongSize);
    expect(corrupt(() => decodeOracleLog(5, e.bytes, e.crc))).toMatchObject({ position: body, detail: expect.stringMatching(/NewTxContent answer of \d+ words, expected 2/) });
  });
});

describe('output digest', () => {
  const base = (): BlockOutput => run(genesisAccounts(), scenario()[0].txs, { meta: blockMeta(1) });

  it('ignores the order storage writes are listed in and a rejection message, nothing else', () => {
    const a = base();
    expect(a.results.every((r) => r.kind === 'executed')).toBe(true);
    expect(a.storageWrites.length).toBeGreaterThan(3);
    const d = outputDigest(a);
    expect(outputDigest({ ...a, storageWrites: [...a.storageWrites].reverse() })).toEqual(d);
    const withRejection = (message: string): BlockOutput => ({ ...a, results: [...a.results, { kind: 'rejected', rejection: { index: 1, error: 'TX_NONCE_TOO_HIGH', message } }] });
    expect(outputDigest(withRejection('one wording'))).toEqual(outputDigest(withRejection('another')));
    expect(outputDigest(withRejection('x'))).not.toEqual(d);
    expect(outputDigest({ ...a, gasUsed: a.gasUsed + 1n })).not.toEqual(d);
    expect(outputDigest({ ...a, storageWrites: a.storageWrites.slice(1) })).not.toEqual(d);
    const acct = a.stateDiff[0];
    expect(outputDigest({ ...a, stateDiff: [{ ...acct, balance: acct.balance + 1n }, ...a.stateDiff.slice(1)] })).not.toEqual(d);
  });
});
