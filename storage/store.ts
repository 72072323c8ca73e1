// Writing a block: every table's rows for one block in one SQLite transaction (design.md "One
// SQLite transaction per block"), with one prepared statement per table reused across blocks.
// (Multi-row INSERT … VALUES batches were measured: no gain, B-tree insertion dominates.)
import type { Statement } from 'better-sqlite3';
import type { BlockOutput, StorageWrite, TxResult } from '../machine/bootloader/types.ts';
import type { BlockMetadata } from '../machine/oracle/types.ts';
import { blake2s } from '../machine/crypto/index.ts';
import type { StoredBlob } from './binary.ts';
import { addressBlob, u64Column, wordBlob } from './columns.ts';
import type { Db } from './db.ts';
import { canonicalDigest, outputDigest } from './digest.ts';
import { extraColumns, L2Outputs, receiptExtraColumns } from './l2-outputs.ts';
import { StateWriter, type Preimage } from './state.ts';

/** Everything stored about one executed block. */
export interface BlockRecord {
  number: number;
  /** The profile the block ran with ('ethereum', 'zksync'). */
  profile: string;
  metadata: BlockMetadata;
  rawTxs: readonly Uint8Array[];
  output: BlockOutput;
  /** The block's oracle log, encoded as the queries were answered (storage/oracle-log.ts). */
  oracleLog: StoredBlob;
  /** The block's IO events, encoded as they were emitted (storage/io-events.ts). */
  ioEvents: StoredBlob;
}

export interface PersistStats {
  number: number;
  digest: Uint8Array;
  oracleLogBytes: number;
  ioEventBytes: number;
}

/** The groups of rows persist writes, in order; the test hook is called after each. */
export type PersistStep = 'block' | 'block_logs' | 'transactions' | 'logs' | 'l2_to_l1' | 'state_diff' | 'slot_history' | 'preimages';

const BLOCK_SQL = `INSERT INTO blocks (number, profile, chain_id, timestamp, gas_limit, base_fee, gas_per_pubdata, native_price,
  coinbase, mix_hash, blob_base_fee, gas_used, tx_count, output_digest, block_hash, header, tx_rolling_hash, priority_ops_hash,
  upgrade_tx_hash, event_count, l2_log_count, l2_message_count) VALUES (${new Array(22).fill('?').join(', ')})`;
const TX_SQL = `INSERT INTO transactions (block, idx, raw, status, hash, tx_type, sender, recipient, gas_used, cumulative_gas_used,
  effective_gas_price, output, created, out_of_native, log_count, native_used, pubdata_used, l2_log_count, error_code, error_message)
  VALUES (${new Array(20).fill('?').join(', ')})`;
const LOG_SQL = 'INSERT INTO logs (block, log_index, tx_idx, address, topic0, topic1, topic2, topic3, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)';

/** Topic k of a log as its column value; null past the last one. */
function topicBlob(topics: readonly bigint[], k: number): Uint8Array | null {
  return k < topics.length ? wordBlob(topics[k]) : null;
}

export class BlockStore {
  /** For tests: called after each group of rows; a throw there must leave no trace of the block. */
  onPersistStep: ((step: PersistStep, block: number) => void) | null = null;

  private readonly insertBlock: Statement;
  private readonly insertBlockLogs: Statement;
  private readonly insertTx: Statement;
  private readonly insertLog: Statement;
  private readonly insertAccount: Statement;
  private readonly insertSlotDiff: Statement;
  private readonly headStmt: Statement<[], number | null>;
  private readonly state: StateWriter;
  private readonly l2: L2Outputs;

  constructor(private readonly db: Db) {
    this.insertBlock = db.prepare(BLOCK_SQL);
    this.insertBlockLogs = db.prepare(
      'INSERT INTO block_logs (block, oracle_log, oracle_crc, oracle_queries, io_events, io_crc, io_event_count) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.insertTx = db.prepare(TX_SQL);
    this.insertLog = db.prepare(LOG_SQL);
    this.insertAccount = db.prepare(
      'INSERT INTO account_diffs (block, address, nonce, balance, code_hash, bytecode_hash, storage_cleared) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.insertSlotDiff = db.prepare('INSERT INTO slot_diffs (block, address, key, value) VALUES (?, ?, ?, ?)');
    this.headStmt = db.prepare<[], number | null>('SELECT max(number) FROM blocks').pluck();
    this.state = new StateWriter(db);
    this.l2 = new L2Outputs(db);
  }

  /** The highest stored block number, -1 for an empty database. */
  head(): number {
    return this.headStmt.get() ?? -1;
  }

  private step(step: PersistStep, block: number): void {
    this.onPersistStep?.(step, block);
  }

  /** Stores a block wholly or not at all (a savepoint when the caller holds a transaction). */
  persist(rec: BlockRecord): PersistStats {
    return this.db.transaction(() => this.write(rec))();
  }

  private write(rec: BlockRecord): PersistStats {
    const n = rec.number;
    const out = rec.output;
    if (out.results.length !== rec.rawTxs.length) throw new Error(`block ${n}: ${out.results.length} results for ${rec.rawTxs.length} transactions`);
    const digest = outputDigest(out);
    this.writeBlockRow(n, rec.profile, rec.metadata, out.gasUsed, rec.rawTxs.length, digest, extraColumns(out));
    this.step('block', n);

    const { oracleLog: log, ioEvents: events } = rec;
    this.insertBlockLogs.run(n, log.bytes, log.crc, log.count, events.bytes, events.crc, events.count);
    this.step('block_logs', n);

    this.writeTransactions(n, rec.rawTxs, out.results);
    this.step('transactions', n);
    this.writeLogs(n, out.results);
    this.step('logs', n);
    this.l2.write(n, out);
    this.step('l2_to_l1', n);

    for (const a of out.stateDiff) {
      const address = addressBlob(a.address);
      const bytecodeHash = a.code === null ? null : blake2s(a.code);
      this.insertAccount.run(n, address, u64Column(a.nonce, 'nonce'), wordBlob(a.balance), a.codeHash, bytecodeHash, a.storageCleared ? 1 : 0);
      for (const [key, value] of a.storage) this.insertSlotDiff.run(n, address, wordBlob(key), wordBlob(value));
    }
    this.step('state_diff', n);
    this.state.writeSlots(n, out.storageWrites);
    this.step('slot_history', n);
    this.state.writePreimages(n, out.preimages);
    this.step('preimages', n);
    return { number: n, digest, oracleLogBytes: log.bytes.length, ioEventBytes: events.bytes.length };
  }

  private writeBlockRow(n: number, profile: string, m: BlockMetadata, gasUsed: bigint, txCount: number, digest: Uint8Array, extras: unknown[]): void {
    this.insertBlock.run(
      n,
      profile,
      u64Column(m.chainId, 'chain id'),
      u64Column(m.timestamp, 'timestamp'),
      u64Column(m.gasLimit, 'gas limit'),
      wordBlob(m.eip1559BaseFee),
      wordBlob(m.gasPerPubdata),
      wordBlob(m.nativePrice),
      addressBlob(m.coinbase),
      wordBlob(m.mixHash),
      wordBlob(m.blobBaseFee),
      u64Column(gasUsed, 'gas used'),
      txCount,
      digest,
      ...extras,
    );
  }

  private writeTransactions(n: number, raws: readonly Uint8Array[], results: readonly TxResult[]): void {
    for (let i = 0; i < raws.length; i++) {
      const r = results[i];
      const raw = raws[i];
      if (r.kind === 'rejected') {
        const x = r.rejection;
        this.insertTx.run(n, i, raw, 'rejected', null, null, null, null, null, null, null, null, null, null, 0, null, null, null, x.error, x.message);
        continue;
      }
      const x = r.receipt;
      this.insertTx.run(
        n,
        i,
        raw,
        x.success ? 'success' : 'reverted',
        x.hash,
        x.type,
        addressBlob(x.from),
        x.to === null ? null : addressBlob(x.to),
        u64Column(x.gasUsed, 'gas used'),
        u64Column(x.cumulativeGasUsed, 'cumulative gas used'),
        wordBlob(x.effectiveGasPrice),
        x.output,
        x.created === null ? null : addressBlob(x.created),
        x.outOfNative ? 1 : 0,
        x.logs.length,
        ...receiptExtraColumns(x),
        null,
        null,
      );
    }
  }

  private writeLogs(n: number, results: readonly TxResult[]): void {
    let logIndex = 0;
    for (const r of results) {
      if (r.kind !== 'executed') continue;
      for (const l of r.receipt.logs) {
        if (l.topics.length > 4) throw new Error(`block ${n}: a log with ${l.topics.length} topics`);
        const t = l.topics;
        this.insertLog.run(n, logIndex++, r.receipt.index, addressBlob(l.address), topicBlob(t, 0), topicBlob(t, 1), topicBlob(t, 2), topicBlob(t, 3), l.data);
      }
    }
  }

  /** Block 0: the given state, as the first rows of the state tables. */
  writeGenesis(m: BlockMetadata, writes: readonly StorageWrite[], preimages: readonly Preimage[]): Uint8Array {
    return this.db.transaction(() => {
      const digest = canonicalDigest({ gasUsed: 0n, results: [], accounts: [], storageWrites: [...writes], extras: {} });
      this.writeBlockRow(0, 'genesis', m, 0n, 0, digest, new Array(8).fill(null));
      this.state.writeSlots(0, writes);
      this.state.writePreimages(0, preimages);
      return digest;
    })();
  }
}
