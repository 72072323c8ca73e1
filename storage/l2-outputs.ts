// The outputs only the zksync profile gives: block hash and header, the rolling hashes, L2→L1
// logs and user messages (block-level and per receipt), native and pubdata used. Absent fields
// are stored as NULL counts / columns so a read gives back exactly what the output had.
import type { Statement } from 'better-sqlite3';
import type { BlockOutput, TxReceipt } from '../machine/bootloader/types.ts';
import type { L2ToL1Log, L2ToL1Message } from '../machine/system/io.ts';
import { bytesOf, toBigInt, u64Column } from './columns.ts';
import type { Db } from './db.ts';
import type { BlockExtras } from './digest.ts';
import { CorruptBlockData } from './errors.ts';
import { decodeHeaderRlp, encodeHeaderRlp } from './header.ts';
import { Table, type RowBatchWriter } from './rows.ts';

type Row = Record<string, unknown>;

/** Values of the blocks columns block_hash … l2_message_count, in that order. */
export function extraColumns(out: BlockOutput): Array<Uint8Array | number | null> {
  return [
    out.blockHash ?? null,
    out.header === undefined ? null : encodeHeaderRlp(out.header),
    out.txRollingHash ?? null,
    out.priorityOpsHash ?? null,
    out.upgradeTxHash ?? null,
    out.events?.length ?? null,
    out.l2ToL1Logs?.length ?? null,
    out.l2ToL1Messages?.length ?? null,
  ];
}

/** Values of the transactions columns native_used, pubdata_used, l2_log_count. */
export function receiptExtraColumns(x: TxReceipt): Array<bigint | number | null> {
  return [x.nativeUsed === undefined ? null : u64Column(x.nativeUsed, 'native used'), x.pubdataUsed ?? null, x.l2ToL1Logs?.length ?? null];
}

/** The block's L2→L1 logs and messages as rows. A receipt's logs must be the block's of its tx number. */
export function l2OutputRows(w: RowBatchWriter, n: number, out: BlockOutput): void {
  const logs = out.l2ToL1Logs ?? [];
  logs.forEach((l, i) => w.row(Table.L2Log).int(n).int(i).int(l.txNumber).address(l.sender).blob(l.key).blob(l.value));
  (out.l2ToL1Messages ?? []).forEach((m, i) => w.row(Table.L2Message).int(n).int(i).int(m.txNumber).address(m.sender).blob(m.data).blob(m.hash));
  for (const r of out.results) {
    if (r.kind !== 'executed' || r.receipt.l2ToL1Logs === undefined) continue;
    const own = logs.filter((l) => l.txNumber === r.receipt.index);
    if (own.length !== r.receipt.l2ToL1Logs.length) {
      throw new Error(`block ${n}: receipt ${r.receipt.index} lists ${r.receipt.l2ToL1Logs.length} L2→L1 logs, the block ${own.length} with its tx number`);
    }
  }
}

/** Reads of the L2 outputs. */
export class L2Outputs {
  private readonly logsStmt: Statement<[number], Row>;
  private readonly messagesStmt: Statement<[number], Row>;

  constructor(db: Db) {
    this.logsStmt = db.prepare<[number], Row>('SELECT * FROM l2_to_l1_logs WHERE block = ? ORDER BY log_index');
    this.messagesStmt = db.prepare<[number], Row>('SELECT * FROM l2_to_l1_messages WHERE block = ? ORDER BY idx');
  }

  logs(n: number): L2ToL1Log[] {
    return this.logsStmt.all(n).map((r) => ({ txNumber: Number(r.tx_number), sender: toBigInt(r.sender as Buffer), key: bytesOf(r.key as Buffer), value: bytesOf(r.value as Buffer) }));
  }

  messages(n: number): L2ToL1Message[] {
    return this.messagesStmt.all(n).map((r) => ({
      txNumber: Number(r.tx_number),
      sender: toBigInt(r.sender as Buffer),
      data: bytesOf(r.data as Buffer),
      hash: bytesOf(r.hash as Buffer),
    }));
  }

  /** The block-level extras from a blocks row (read with safeIntegers) and the block's logs. */
  extras(n: number, row: Row, events: () => NonNullable<BlockExtras['events']>): BlockExtras {
    const x: BlockExtras = {};
    const bytes = (k: string): Uint8Array | undefined => (row[k] === null ? undefined : bytesOf(row[k] as Buffer));
    const count = (k: string, rows: unknown[], what: string): void => {
      if (rows.length !== Number(row[k])) throw new CorruptBlockData(n, 'block', 'MISSING', -1, -1, `${rows.length} ${what} stored, the block row says ${row[k]}`);
    };
    if (row.event_count !== null) {
      x.events = events();
      count('event_count', x.events, 'logs');
    }
    if (row.l2_log_count !== null) {
      x.l2ToL1Logs = this.logs(n);
      count('l2_log_count', x.l2ToL1Logs, 'L2→L1 logs');
    }
    if (row.l2_message_count !== null) {
      x.l2ToL1Messages = this.messages(n);
      count('l2_message_count', x.l2ToL1Messages, 'L2→L1 messages');
    }
    const rolling = bytes('tx_rolling_hash');
    if (rolling) x.txRollingHash = rolling;
    const priority = bytes('priority_ops_hash');
    if (priority) x.priorityOpsHash = priority;
    const upgrade = bytes('upgrade_tx_hash');
    if (upgrade) x.upgradeTxHash = upgrade;
    const header = bytes('header');
    if (header) {
      try {
        x.header = decodeHeaderRlp(header);
      } catch (e) {
        throw new CorruptBlockData(n, 'block', 'UNDECODABLE', -1, -1, `header: ${(e as Error).message}`);
      }
    }
    const hash = bytes('block_hash');
    if (hash) x.blockHash = hash;
    return x;
  }

  /** Adds a zksync receipt's fields from its transactions row. */
  receiptExtras(receipt: TxReceipt, row: Row, blockLogs: () => L2ToL1Log[]): void {
    if (row.native_used !== null) receipt.nativeUsed = BigInt(row.native_used as bigint);
    if (row.pubdata_used !== null) receipt.pubdataUsed = Number(row.pubdata_used);
    if (row.l2_log_count !== null) {
      receipt.l2ToL1Logs = blockLogs().filter((l) => l.txNumber === receipt.index);
      if (receipt.l2ToL1Logs.length !== Number(row.l2_log_count)) {
        throw new CorruptBlockData(Number(row.block), 'transaction', 'MISSING', receipt.index, -1, `${receipt.l2ToL1Logs.length} L2→L1 logs stored, the receipt says ${row.l2_log_count}`);
      }
    }
  }
}
