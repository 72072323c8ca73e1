// Replay in forward mode from the stored log alone: every block identical, still identical with
// every state table emptied, corrupted blobs reported with their block, divergences named.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EthereumProfile } from '../../machine/bootloader/ethereum.ts';
import type { Profile } from '../../machine/bootloader/profile.ts';
import { IoEventKind, type IoEvent } from '../../machine/system/events.ts';
import { openChain, type Chain } from '../../storage/chain.ts';
import { ChainError, CorruptBlockData } from '../../storage/errors.ts';
import { encodeIoEvents } from '../../storage/io-events.ts';
import { encodeOracleLog } from '../../storage/oracle-log.ts';
import { crc32 } from '../../storage/binary.ts';
import { loggedTransactions, ReplayAhead, replayStoredBlock } from '../../storage/replay.ts';
import { SenderRecovery, type RecoveryJob } from '../../storage/senders/pool.ts';
import { genesisAccounts, scenario, tempDir, type TempDir } from './helpers.ts';

let tmp: TempDir;
let chain: Chain;
let path: string;

beforeEach(() => {
  tmp = tempDir();
  path = tmp.file('chain.db');
  chain = openChain(path);
  chain.genesis(genesisAccounts());
  for (const b of scenario()) chain.executeBlock(b.meta, b.txs, new EthereumProfile());
});
afterEach(() => {
  chain.close();
  tmp.cleanup();
});

const STATE_TABLES = ['slot_history', 'preimages'];
/** Everything but the block rows and their logs: nothing of it may be needed for a replay. */
const DERIVED_TABLES = [...STATE_TABLES, 'account_diffs', 'slot_diffs', 'transactions', 'logs', 'l2_to_l1_logs', 'l2_to_l1_messages'];

function corrupt(f: () => unknown): CorruptBlockData {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CorruptBlockData);
    return e as CorruptBlockData;
  }
  throw new Error('expected CorruptBlockData');
}

function blobOf(n: number, column: 'oracle_log' | 'io_events'): Buffer {
  return chain.db.prepare(`SELECT ${column} FROM block_logs WHERE block = ?`).pluck().get(n) as Buffer;
}

describe('replayBlock', () => {
  it('replays every stored block identically', () => {
    for (let n = 1; n <= chain.head(); n++) {
      const v = chain.replayBlock(n);
      expect(v).toMatchObject({ identical: true, block: n });
      if (v.identical) expect(v.queries).toBeGreaterThan(0);
    }
    const v2 = chain.replayBlock(2);
    expect(v2.identical && v2.events).toBeGreaterThan(20);
  });

  it('still replays after DELETE FROM every state table (and every derived one)', () => {
    for (const t of DERIVED_TABLES) chain.db.exec(`DELETE FROM ${t}`);
    for (const t of STATE_TABLES) expect(chain.db.prepare(`SELECT count(*) FROM ${t}`).pluck().get()).toBe(0);
    for (let n = 1; n <= chain.head(); n++) expect(chain.replayBlock(n)).toMatchObject({ identical: true, block: n });
    // Forward execution, on the other hand, needs the state: it is really gone.
    expect(chain.accountAt(genesisAccounts().keys().next().value!, 0)).toBeNull();
  });

  it('replays from another connection opened read-only', () => {
    const reader = openChain(path, { readonly: true });
    try {
      expect(reader.replayBlock(3)).toMatchObject({ identical: true, block: 3 });
    } finally {
      reader.close();
    }
  });

  it('refuses genesis, unknown blocks and a profile other than the stored one', () => {
    expect(() => chain.replayBlock(0)).toThrow(ChainError);
    expect(() => chain.replayBlock(9)).toThrow(/BLOCK_NOT_FOUND/);
    const other = { ...new EthereumProfile(), name: 'zksync' } as unknown as Profile;
    expect(() => chain.replayBlock(1, other)).toThrow(/PROFILE_MISMATCH/);
    chain.db.prepare("UPDATE blocks SET profile = 'no-such-profile' WHERE number = 1").run();
    expect(() => chain.replayBlock(1)).toThrow(/UNKNOWN_PROFILE/);
  });
});

describe('corruption', () => {
  it('detects a flipped byte in the oracle log and names the block', () => {
    const b = Buffer.from(blobOf(2, 'oracle_log'));
    b[b.length >> 1] ^= 0x40;
    chain.db.prepare('UPDATE block_logs SET oracle_log = ? WHERE block = 2').run(b);
    const e = corrupt(() => chain.replayBlock(2));
    expect(e).toMatchObject({ block: 2, part: 'oracle_log', code: 'BAD_CHECKSUM' });
    expect(e.message).toMatch(/^block 2 oracle_log BAD_CHECKSUM/);
    expect(chain.replayBlock(1)).toMatchObject({ identical: true });
    expect(() => chain.reader.blockContext(2)).toThrow(CorruptBlockData);
  });

  it('detects a flipped byte in the IO events and names the block', () => {
    const b = Buffer.from(blobOf(3, 'io_events'));
    b[10] ^= 0x01;
    chain.db.prepare('UPDATE block_logs SET io_events = ? WHERE block = 3').run(b);
    expect(corrupt(() => chain.replayBlock(3))).toMatchObject({ block: 3, part: 'io_events', code: 'BAD_CHECKSUM' });
  });

  it('refuses an event count column that disagrees with an intact blob', () => {
    chain.db.prepare('UPDATE block_logs SET io_event_count = io_event_count + 1 WHERE block = 2').run();
    expect(corrupt(() => chain.replayBlock(2))).toMatchObject({ block: 2, part: 'io_events', code: 'UNDECODABLE', detail: expect.stringMatching(/the row says/) });
    chain.db.prepare('UPDATE block_logs SET oracle_queries = oracle_queries - 1 WHERE block = 3').run();
    expect(corrupt(() => chain.replayBlock(3))).toMatchObject({ block: 3, part: 'oracle_log', code: 'UNDECODABLE' });
  });

  it('reports an undecodable blob (with a valid checksum) with its block and position', () => {
    const log = blobOf(2, 'oracle_log');
    const cut = log.subarray(0, log.length - 3);
    chain.db.prepare('UPDATE block_logs SET oracle_log = ?, oracle_crc = ? WHERE block = 2').run(cut, crc32(cut));
    const e = corrupt(() => chain.replayBlock(2));
    expect(e).toMatchObject({ block: 2, part: 'oracle_log', code: 'UNDECODABLE' });
    // The last query (the sealing NextTxSize) lost its last bytes.
    expect(e.position).toBe(countQueries(2) - 1);
    expect(e.offset).toBeGreaterThan(0);
    expect(e.message).toMatch(/answer needs 8 bytes, 5 left/);
  });

  it('reports an unknown event kind with the event index and byte offset', () => {
    const events = blobOf(4, 'io_events');
    const bad = Buffer.concat([Buffer.from([1, 1]), Buffer.from([0x63])]);
    chain.db.prepare('UPDATE block_logs SET io_events = ?, io_crc = ? WHERE block = 4').run(bad, crc32(bad));
    expect(events.length).toBeGreaterThan(0);
    const e = corrupt(() => chain.replayBlock(4));
    expect(e).toMatchObject({ block: 4, part: 'io_events', code: 'UNDECODABLE', position: 0, offset: 2 });
    expect(e.message).toMatch(/unknown IO event kind 99/);
  });
});

function countQueries(n: number): number {
  return chain.db.prepare('SELECT oracle_queries FROM block_logs WHERE block = ?').pluck().get(n) as number;
}

describe('divergence verdicts', () => {
  function storedEvents(n: number): IoEvent[] {
    return chain.reader.blockLogs(n)!.events.events;
  }

  function rewriteEvents(n: number, events: IoEvent[]): void {
    const e = encodeIoEvents(events);
    chain.db.prepare('UPDATE block_logs SET io_events = ?, io_crc = ?, io_event_count = ? WHERE block = ?').run(Buffer.from(e.bytes), e.crc, e.count, n);
  }

  it('names the first divergent event with both values', () => {
    const events = storedEvents(2);
    const i = events.findIndex((e) => e.kind === IoEventKind.Balance);
    const changed = { ...events[i], value: 12345n } as IoEvent;
    rewriteEvents(2, [...events.slice(0, i), changed, ...events.slice(i + 1)]);
    const v = chain.replayBlock(2);
    expect(v).toMatchObject({ identical: false, block: 2, at: 'event', index: i, stored: changed, replayed: events[i] });
  });

  it('names a missing event at the end', () => {
    const events = storedEvents(1);
    rewriteEvents(1, events.slice(0, -1));
    expect(chain.replayBlock(1)).toMatchObject({ identical: false, at: 'event', index: events.length - 1, stored: null, replayed: events[events.length - 1] });
  });

  it('names an oracle divergence: the run asks a query the log does not have', () => {
    const log = chain.reader.blockLogs(3)!.oracleLog;
    const e = encodeOracleLog(log.slice(0, -1));
    chain.db.prepare('UPDATE block_logs SET oracle_log = ?, oracle_crc = ?, oracle_queries = ? WHERE block = 3').run(Buffer.from(e.bytes), e.crc, e.count);
    const v = chain.replayBlock(3);
    expect(v).toMatchObject({ identical: false, at: 'oracle', index: storedEvents(3).length, query: log.length - 1, stored: 'nothing', replayed: 'NextTxSize(0)' });
  });

  it('names an output divergence when only the digest differs', () => {
    chain.db.prepare('UPDATE blocks SET output_digest = zeroblob(32) WHERE number = 1').run();
    const v = chain.replayBlock(1);
    expect(v).toMatchObject({ identical: false, at: 'output', stored: '0x' + '00'.repeat(32) });
  });

  it('sees the same corruption through a plain SQLite connection', () => {
    const raw = new Database(path);
    raw.prepare('UPDATE block_logs SET io_crc = io_crc + 1 WHERE block = 1').run();
    raw.close();
    expect(corrupt(() => chain.replayBlock(1))).toMatchObject({ block: 1, part: 'io_events', code: 'BAD_CHECKSUM' });
  });
});

describe('replay with senders recovered on a worker', () => {
  it('hands the logged transactions to the worker and replays identically with its recoveries', async () => {
    for (let n = 1; n <= chain.head(); n++) {
      expect(loggedTransactions(chain.reader.blockLogs(n)!.oracleLog)).toEqual(chain.reader.transactions(n).map((t) => t.raw));
    }
    const pool = new SenderRecovery();
    const jobs: RecoveryJob[] = [];
    const start = pool.start.bind(pool);
    pool.start = (...args) => {
      const job = start(...args);
      if (job !== null) jobs.push(job);
      return job;
    };
    try {
      expect(await pool.ready()).toBe(true);
      const head = chain.head();
      const lookAhead = new ReplayAhead();
      for (let n = 1; n <= head; n++) {
        const inline = chain.replayBlock(n);
        // As a range replay runs: block n+1 is handed to the worker while n replays.
        const ahead = replayStoredBlock(chain.reader, n, new EthereumProfile(), { senders: pool, ahead: lookAhead, announceNext: n < head });
        expect(ahead).toEqual(inline);
        expect(ahead.identical).toBe(true);
      }
      expect(jobs.reduce((a, j) => a + j.hits, 0)).toBeGreaterThan(0);
      // One job per block with transactions, each announced one taken by its block's replay.
      const withTxs = Array.from({ length: head }, (_, i) => chain.reader.transactions(i + 1).length).filter((k) => k > 0).length;
      expect(jobs.length).toBe(withTxs);
      expect((pool as unknown as { prepared: Map<unknown, unknown> }).prepared.size).toBe(0);
    } finally {
      pool.close();
    }
  });
});
