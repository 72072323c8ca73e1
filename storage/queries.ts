// Read queries the replay server needs beyond BlockReader: a block's zksync columns (hash, header,
// rolling hashes, counts) without loading its transactions, a block by its hash, the hashes of a
// block's transactions, and logs filtered by address and any of the four topics with a limit and
// a resume point. Read-only: safe on a read-only connection.
import type { Statement } from 'better-sqlite3';
import type { BlockHeader } from '../machine/bootloader/types.ts';
import { addressBlob, bytesOf, wordBlob } from './columns.ts';
import type { Db } from './db.ts';
import { CorruptBlockData } from './errors.ts';
import { decodeHeaderRlp } from './header.ts';
import type { StoredLog } from './records.ts';

type Row = Record<string, unknown>;

/** The block-level outputs of the zksync profile; every field null for other profiles and genesis. */
export interface BlockOutputsRow {
  blockHash: Uint8Array | null;
  header: BlockHeader | null;
  txRollingHash: Uint8Array | null;
  priorityOpsHash: Uint8Array | null;
  upgradeTxHash: Uint8Array | null;
  eventCount: number | null;
  l2LogCount: number | null;
  l2MessageCount: number | null;
}

export interface LogQuery {
  fromBlock: number;
  toBlock: number;
  /** Any of these emitters (none: any). */
  addresses: readonly bigint[];
  /** Per position 0..3: null for any value, else one of the listed values. */
  topics: ReadonlyArray<readonly bigint[] | null>;
  /** Resume strictly after this (block, logIndex). */
  after: { block: number; logIndex: number } | null;
  limit: number;
}

const opt = (v: unknown): Uint8Array | null => (v === null || v === undefined ? null : bytesOf(v as Buffer));
const count = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export class ChainQueries {
  private readonly outputsStmt: Statement<[number], Row>;
  private readonly byHashStmt: Statement<[Uint8Array], number>;
  private readonly txHashesStmt: Statement<[number], Row>;

  constructor(private readonly db: Db) {
    this.outputsStmt = db.prepare<[number], Row>(
      'SELECT block_hash, header, tx_rolling_hash, priority_ops_hash, upgrade_tx_hash, event_count, l2_log_count, l2_message_count FROM blocks WHERE number = ?',
    );
    // Uses the partial index of migration 003.
    this.byHashStmt = db.prepare<[Uint8Array], number>('SELECT number FROM blocks WHERE block_hash = ? AND block_hash IS NOT NULL').pluck();
    this.txHashesStmt = db.prepare<[number], Row>('SELECT idx, hash FROM transactions WHERE block = ? ORDER BY idx');
  }

  /** The zksync columns of block n; null when the block is not stored. */
  blockOutputs(n: number): BlockOutputsRow | null {
    const r = this.outputsStmt.get(n);
    if (r === undefined) return null;
    let header: BlockHeader | null = null;
    if (r.header !== null) {
      try {
        header = decodeHeaderRlp(bytesOf(r.header as Buffer));
      } catch (e) {
        throw new CorruptBlockData(n, 'block', 'UNDECODABLE', -1, -1, `header: ${(e as Error).message}`);
      }
    }
    return {
      blockHash: opt(r.block_hash),
      header,
      txRollingHash: opt(r.tx_rolling_hash),
      priorityOpsHash: opt(r.priority_ops_hash),
      upgradeTxHash: opt(r.upgrade_tx_hash),
      eventCount: count(r.event_count),
      l2LogCount: count(r.l2_log_count),
      l2MessageCount: count(r.l2_message_count),
    };
  }

  /** The number of the block with this hash, or null. */
  blockByHash(hash: Uint8Array): number | null {
    return this.byHashStmt.get(Buffer.from(hash)) ?? null;
  }

  /** The hashes of block n's transactions by index (null for rejected ones, which have none). */
  txHashes(n: number): Array<Uint8Array | null> {
    const out: Array<Uint8Array | null> = [];
    for (const r of this.txHashesStmt.all(n)) out[Number(r.idx)] = opt(r.hash);
    return out;
  }

  /**
   * Logs in (block, logIndex) order matching the query, at most `limit`. The address index or the
   * topic0 index narrows the scan when the filter names them; the block range bounds it always.
   */
  logs(q: LogQuery): StoredLog[] {
    const where: string[] = ['block >= ?', 'block <= ?'];
    const args: unknown[] = [q.fromBlock, q.toBlock];
    if (q.after !== null) {
      where.push('(block > ? OR (block = ? AND log_index > ?))');
      args.push(q.after.block, q.after.block, q.after.logIndex);
    }
    if (q.addresses.length > 0) {
      where.push(`address IN (${q.addresses.map(() => '?').join(', ')})`);
      for (const a of q.addresses) args.push(addressBlob(a));
    }
    q.topics.forEach((alternatives, i) => {
      if (alternatives === null) return;
      where.push(`topic${i} IN (${alternatives.map(() => '?').join(', ')})`);
      for (const t of alternatives) args.push(wordBlob(t));
    });
    args.push(q.limit);
    const sql = `SELECT * FROM logs WHERE ${where.join(' AND ')} ORDER BY block, log_index LIMIT ?`;
    return (this.db.prepare(sql).all(...args) as Row[]).map(logRow);
  }
}

function logRow(r: Row): StoredLog {
  const topics: bigint[] = [];
  for (const k of ['topic0', 'topic1', 'topic2', 'topic3']) if (r[k] !== null) topics.push(BigInt(`0x${(r[k] as Buffer).toString('hex')}`));
  return {
    block: Number(r.block),
    logIndex: Number(r.log_index),
    txIndex: Number(r.tx_idx),
    address: BigInt(`0x${(r.address as Buffer).toString('hex')}`),
    topics,
    data: bytesOf(r.data as Buffer),
  };
}
