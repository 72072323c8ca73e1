// Reading stored blocks back: block rows, the oracle log and IO events (checked), transactions
// with their receipts or rejections, logs by address / topic0 / block range, state diffs, and the
// block's output in the canonical form its digest covers.
import type { Statement } from 'better-sqlite3';
import type { StorageWrite, TxReceipt, TxResult } from '../machine/bootloader/types.ts';
import { decodeBlockMetadata } from '../machine/oracle/codec.ts';
import type { RecordedQuery } from '../machine/oracle/queries.ts';
import { QueryKind, type BlockMetadata } from '../machine/oracle/types.ts';
import type { Log } from '../machine/system/io.ts';
import { addressBlob, bytesOf, int, toBigInt, wordBlob } from './columns.ts';
import type { Db } from './db.ts';
import type { CanonicalAccount, CanonicalOutput } from './digest.ts';
import { CorruptBlockData } from './errors.ts';
import { decodeIoEvents, type DecodedEvents } from './io-events.ts';
import { L2Outputs } from './l2-outputs.ts';
import { decodeOracleLog } from './oracle-log.ts';

export interface StoredBlock {
  number: number;
  profile: string;
  chainId: bigint;
  timestamp: bigint;
  gasLimit: bigint;
  eip1559BaseFee: bigint;
  gasPerPubdata: bigint;
  nativePrice: bigint;
  coinbase: bigint;
  mixHash: bigint;
  blobBaseFee: bigint;
  gasUsed: bigint;
  txCount: number;
  outputDigest: Uint8Array;
}

export interface StoredTransaction {
  block: number;
  index: number;
  raw: Uint8Array;
  result: TxResult;
}

export interface StoredLog extends Log {
  block: number;
  logIndex: number;
  txIndex: number;
}

export interface LogFilter {
  address?: bigint;
  topic0?: bigint;
  fromBlock?: number;
  toBlock?: number;
}

export interface BlockLogs {
  oracleLog: RecordedQuery[];
  events: DecodedEvents;
  /** The IO events blob (event i is bytes events.starts[i] up to events.starts[i + 1]). */
  ioEventsBlob: Uint8Array;
  /** Byte sizes of the two blobs. */
  oracleLogBytes: number;
  ioEventBytes: number;
}

type Row = Record<string, unknown>;
const buf = (v: unknown): Uint8Array => bytesOf(v as Buffer);
const big = (v: unknown): bigint => toBigInt(v as Buffer);

export class BlockReader {
  private readonly blockStmt: Statement<[number], Row>;
  private readonly logsBlobStmt: Statement<[number], Row>;
  private readonly oracleLogStmt: Statement<[number], Row>;
  private readonly txStmt: Statement<[number], Row>;
  private readonly txOneStmt: Statement<[number, number], Row>;
  private readonly txLogsStmt: Statement<[number, number], Row>;
  private readonly blockLogsStmt: Statement<[number], Row>;
  private readonly accountStmt: Statement<[number], Row>;
  private readonly slotDiffStmt: Statement<[number], Row>;
  private readonly writesStmt: Statement<[number], Row>;
  private readonly hashStmt: Statement<[Uint8Array], Row>;
  readonly l2: L2Outputs;

  constructor(readonly db: Db) {
    this.blockStmt = db.prepare<[number], Row>('SELECT * FROM blocks WHERE number = ?').safeIntegers(true);
    this.logsBlobStmt = db.prepare<[number], Row>('SELECT * FROM block_logs WHERE block = ?');
    this.oracleLogStmt = db.prepare<[number], Row>('SELECT oracle_log, oracle_crc, oracle_queries FROM block_logs WHERE block = ?');
    this.txStmt = db.prepare<[number], Row>('SELECT * FROM transactions WHERE block = ? ORDER BY idx').safeIntegers(true);
    this.txOneStmt = db.prepare<[number, number], Row>('SELECT * FROM transactions WHERE block = ? AND idx = ?').safeIntegers(true);
    this.txLogsStmt = db.prepare<[number, number], Row>('SELECT * FROM logs WHERE block = ? AND tx_idx = ? ORDER BY log_index');
    this.blockLogsStmt = db.prepare<[number], Row>('SELECT * FROM logs WHERE block = ? ORDER BY log_index');
    this.accountStmt = db.prepare<[number], Row>('SELECT * FROM account_diffs WHERE block = ? ORDER BY address').safeIntegers(true);
    this.slotDiffStmt = db.prepare<[number], Row>('SELECT address, key, value FROM slot_diffs WHERE block = ? ORDER BY address, key');
    this.writesStmt = db.prepare<[number], Row>('SELECT address, key, value FROM slot_history WHERE block = ? ORDER BY address, key');
    this.hashStmt = db.prepare<[Uint8Array], Row>('SELECT block, idx FROM transactions WHERE hash = ?');
    this.l2 = new L2Outputs(db);
  }

  block(n: number): StoredBlock | null {
    const r = this.blockStmt.get(n);
    if (r === undefined) return null;
    return {
      number: Number(r.number),
      profile: r.profile as string,
      chainId: int(r.chain_id as bigint),
      timestamp: int(r.timestamp as bigint),
      gasLimit: int(r.gas_limit as bigint),
      eip1559BaseFee: big(r.base_fee),
      gasPerPubdata: big(r.gas_per_pubdata),
      nativePrice: big(r.native_price),
      coinbase: big(r.coinbase),
      mixHash: big(r.mix_hash),
      blobBaseFee: big(r.blob_base_fee),
      gasUsed: int(r.gas_used as bigint),
      txCount: Number(r.tx_count),
      outputDigest: buf(r.output_digest),
    };
  }

  /** The oracle log and IO events of a block, checksums verified; null when none are stored. */
  blockLogs(n: number): BlockLogs | null {
    const r = this.logsBlobStmt.get(n);
    if (r === undefined) return null;
    const log = r.oracle_log as Buffer;
    const events = r.io_events as Buffer;
    const oracleLog = decodeOracleLog(n, log, r.oracle_crc as number);
    if (oracleLog.length !== r.oracle_queries) {
      throw new CorruptBlockData(n, 'oracle_log', 'UNDECODABLE', -1, -1, `${oracleLog.length} queries decoded, the row says ${r.oracle_queries}`);
    }
    const decoded = decodeIoEvents(n, events, r.io_crc as number);
    if (decoded.events.length !== r.io_event_count) {
      throw new CorruptBlockData(n, 'io_events', 'UNDECODABLE', -1, -1, `${decoded.events.length} events decoded, the row says ${r.io_event_count}`);
    }
    return { oracleLog, events: decoded, ioEventsBlob: events, oracleLogBytes: log.length, ioEventBytes: events.length };
  }

  /** The oracle log alone, checksum verified (a proving replay needs no IO events). */
  oracleLog(n: number): RecordedQuery[] | null {
    const r = this.oracleLogStmt.get(n);
    if (r === undefined) return null;
    const log = decodeOracleLog(n, r.oracle_log as Buffer, r.oracle_crc as number);
    if (log.length !== r.oracle_queries) {
      throw new CorruptBlockData(n, 'oracle_log', 'UNDECODABLE', -1, -1, `${log.length} queries decoded, the row says ${r.oracle_queries}`);
    }
    return log;
  }

  /** The block context as the block ran with it: query 3's answer plus the stored blob base fee. */
  blockContext(n: number): BlockMetadata | null {
    const b = this.block(n);
    const logs = b === null ? null : this.blockLogs(n);
    if (b === null || logs === null) return null;
    const i = logs.oracleLog.findIndex((q) => q.kind === QueryKind.BlockMetadata);
    if (i < 0) throw new CorruptBlockData(n, 'oracle_log', 'MISSING', -1, -1, 'no BlockMetadata query in the log');
    return decodeBlockMetadata(logs.oracleLog[i].answer, b.blobBaseFee);
  }

  transactions(n: number): StoredTransaction[] {
    const logs = this.logs(n);
    let l2: ReturnType<L2Outputs['logs']> | null = null;
    const l2Logs = () => (l2 ??= this.l2.logs(n));
    return this.txStmt.all(n).map((r) => this.txRow(n, r, (index) => logs.filter((l) => l.txIndex === index), l2Logs));
  }

  /** One transaction with its receipt, reading only its own rows (a receipt lookup by hash). */
  transaction(n: number, index: number): StoredTransaction | null {
    const r = this.txOneStmt.get(n, index);
    if (r === undefined) return null;
    let l2: ReturnType<L2Outputs['logs']> | null = null;
    return this.txRow(n, r, (i) => this.txLogs(n, i), () => (l2 ??= this.l2.logs(n)));
  }

  /** The logs one transaction emitted, with their block-wide log indices. */
  txLogs(n: number, index: number): StoredLog[] {
    return this.txLogsStmt.all(n, index).map(logRow);
  }

  private txRow(n: number, r: Row, logsOf: (index: number) => StoredLog[], l2Logs: () => ReturnType<L2Outputs['logs']>): StoredTransaction {
    const index = Number(r.idx);
    const raw = buf(r.raw);
    if (r.status === 'rejected') {
      return { block: n, index, raw, result: { kind: 'rejected', rejection: { index, error: r.error_code as string, message: r.error_message as string } } };
    }
    const receipt: TxReceipt = {
      index,
      hash: buf(r.hash),
      type: Number(r.tx_type),
      from: big(r.sender),
      to: r.recipient === null ? null : big(r.recipient),
      success: r.status === 'success',
      gasUsed: int(r.gas_used as bigint),
      cumulativeGasUsed: int(r.cumulative_gas_used as bigint),
      effectiveGasPrice: big(r.effective_gas_price),
      logs: logsOf(index).map(({ address, topics, data }) => ({ address, topics, data })),
      output: buf(r.output),
      created: r.created === null ? null : big(r.created),
      outOfNative: Number(r.out_of_native) === 1,
    };
    this.l2.receiptExtras(receipt, r, l2Logs);
    if (receipt.logs.length !== Number(r.log_count)) {
      throw new CorruptBlockData(n, 'transaction', 'MISSING', index, -1, `${receipt.logs.length} logs stored, the receipt says ${r.log_count}`);
    }
    return { block: n, index, raw, result: { kind: 'executed', receipt } };
  }

  /** Where a transaction hash was included, or null. */
  findTransaction(hash: Uint8Array): { block: number; index: number } | null {
    const r = this.hashStmt.get(Buffer.from(hash));
    return r === undefined ? null : { block: Number(r.block), index: Number(r.idx) };
  }

  logs(n: number): StoredLog[] {
    return this.blockLogsStmt.all(n).map(logRow);
  }

  /** Logs by emitting address and/or first topic over a block range (uses the indexes). */
  findLogs(f: LogFilter): StoredLog[] {
    const where: string[] = ['block >= ?', 'block <= ?'];
    const args: unknown[] = [f.fromBlock ?? 0, f.toBlock ?? Number.MAX_SAFE_INTEGER];
    if (f.address !== undefined) {
      where.push('address = ?');
      args.push(addressBlob(f.address));
    }
    if (f.topic0 !== undefined) {
      where.push('topic0 = ?');
      args.push(wordBlob(f.topic0));
    }
    const sql = `SELECT * FROM logs WHERE ${where.join(' AND ')} ORDER BY block, log_index`;
    return (this.db.prepare(sql).all(...args) as Row[]).map(logRow);
  }

  /** The Ethereum view of a block's state diff (code by its blake2s hash). */
  stateDiff(n: number): CanonicalAccount[] {
    const slots = new Map<string, Array<[bigint, bigint]>>();
    for (const r of this.slotDiffStmt.all(n)) {
      const k = (r.address as Buffer).toString('hex');
      let list = slots.get(k);
      if (list === undefined) slots.set(k, (list = []));
      list.push([big(r.key), big(r.value)]);
    }
    return this.accountStmt.all(n).map((r) => ({
      address: big(r.address),
      nonce: int(r.nonce as bigint),
      balance: big(r.balance),
      codeHash: buf(r.code_hash),
      bytecodeHash: r.bytecode_hash === null ? null : buf(r.bytecode_hash),
      storageCleared: Number(r.storage_cleared) === 1,
      storage: slots.get((r.address as Buffer).toString('hex')) ?? [],
    }));
  }

  /** The tree-level writes of a block, by address then key (from slot_history). */
  storageWrites(n: number): StorageWrite[] {
    return this.writesStmt.all(n).map((r) => ({ address: big(r.address), key: big(r.key), value: big(r.value) }));
  }

  /** What the block's digest covers, rebuilt from its rows. */
  output(n: number): CanonicalOutput | null {
    const row = this.blockStmt.get(n);
    if (row === undefined) return null;
    const events = () => this.logs(n).map(({ address, topics, data, txIndex, logIndex }) => ({ address, topics, data, txIndex, logIndex }));
    return {
      gasUsed: int(row.gas_used as bigint),
      results: this.transactions(n).map((t) => t.result),
      accounts: this.stateDiff(n),
      storageWrites: this.storageWrites(n),
      extras: this.l2.extras(n, row, events),
    };
  }
}

function logRow(r: Row): StoredLog {
  const topics: bigint[] = [];
  for (const k of ['topic0', 'topic1', 'topic2', 'topic3']) if (r[k] !== null) topics.push(big(r[k]));
  return { block: Number(r.block), logIndex: Number(r.log_index), txIndex: Number(r.tx_idx), address: big(r.address), topics, data: buf(r.data) };
}
