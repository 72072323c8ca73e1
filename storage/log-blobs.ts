// A block's two replay blobs as stored, checksums verified but not decoded: replay decodes the
// oracle log (it needs the answers) and only compares the IO events bytewise, so decoding the
// events into objects is work it does only when they differ (storage/replay.ts).
import type { Statement } from 'better-sqlite3';
import { checkCrc } from './binary.ts';
import type { Db } from './db.ts';

export interface LogBlobs {
  oracleLog: Uint8Array;
  oracleCrc: number;
  /** The query count the row states. */
  oracleQueries: number;
  /** CRC-32 verified. */
  ioEvents: Uint8Array;
  /** The event count the row states. */
  ioEventCount: number;
}

interface Row {
  oracle_log: Buffer;
  oracle_crc: number;
  oracle_queries: number;
  io_events: Buffer;
  io_crc: number;
  io_event_count: number;
}

// One prepared statement per connection (a prepared statement belongs to its connection).
const statements = new WeakMap<Db, Statement<[number], Row>>();

/** Block n's oracle log and IO events blobs; null when the block has no block_logs row. */
export function readLogBlobs(db: Db, n: number): LogBlobs | null {
  let stmt = statements.get(db);
  if (stmt === undefined) {
    stmt = db.prepare<[number], Row>('SELECT oracle_log, oracle_crc, oracle_queries, io_events, io_crc, io_event_count FROM block_logs WHERE block = ?');
    statements.set(db, stmt);
  }
  const r = stmt.get(n);
  if (r === undefined) return null;
  checkCrc(n, 'io_events', r.io_events, r.io_crc);
  return { oracleLog: r.oracle_log, oracleCrc: r.oracle_crc, oracleQueries: r.oracle_queries, ioEvents: r.io_events, ioEventCount: r.io_event_count };
}
