// Writing a block: every table's rows for one block in one SQLite transaction (design.md "One
// SQLite transaction per block"). Two halves: `encode` turns the block's record into one checked
// batch of rows (storage/rows.ts) and reads nothing; `apply` inserts a batch on top of its parent,
// on any connection to the file. (Multi-row INSERT … VALUES batches were measured: no gain,
// B-tree insertion dominates.)
import type { Statement } from 'better-sqlite3';
import type { BlockOutput, StorageWrite, TxResult } from '../machine/bootloader/types.ts';
import type { BlockMetadata } from '../machine/oracle/types.ts';
import { blake2s } from '../machine/crypto/index.ts';
import type { StoredBlob } from './binary.ts';
import { addressBlob, u64Column } from './columns.ts';
import type { Db } from './db.ts';
import { canonicalDigest, outputDigest } from './digest.ts';
import { ChainError } from './errors.ts';
import { extraColumns, l2OutputRows, receiptExtraColumns } from './l2-outputs.ts';
import { RowBatchWriter, RowInserter, Table } from './rows.ts';
import type { Preimage } from './state.ts';

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

/** A block's rows, encoded and checked: any connection to the file, on any thread, can store it. */
export interface EncodedBlock {
  number: number;
  rows: Uint8Array;
  stats: PersistStats;
}

/** The groups of rows persist writes, in order; the test hook is called after each. */
export const PERSIST_STEPS = ['block', 'block_logs', 'transactions', 'logs', 'l2_to_l1', 'state_diff', 'slot_history', 'preimages'] as const;
export type PersistStep = (typeof PERSIST_STEPS)[number];

/** Room for a typical block's rows besides its two blobs: an ERC-20 transfer takes ~700 B. */
const BATCH_BYTES_PER_TX = 1024;

export class BlockStore {
  /** For tests: called after each group of rows; a throw there must leave no trace of the block. */
  onPersistStep: ((step: PersistStep, block: number) => void) | null = null;

  private readonly inserter: RowInserter;
  private readonly headStmt: Statement<[], number | null>;

  constructor(private readonly db: Db) {
    this.inserter = new RowInserter(db);
    this.headStmt = db.prepare<[], number | null>('SELECT max(number) FROM blocks').pluck();
  }

  /** The highest stored block number, -1 for an empty database. */
  head(): number {
    return this.headStmt.get() ?? -1;
  }

  /** Stores a block wholly or not at all (a savepoint when the caller holds a transaction). */
  persist(rec: BlockRecord): PersistStats {
    const e = this.encode(rec);
    this.apply(e.number, e.rows);
    return e.stats;
  }

  /**
   * Stores encoded block n on top of block n-1, wholly or not at all: in its own IMMEDIATE
   * transaction, or in a savepoint of the caller's.
   */
  apply(n: number, rows: Uint8Array): void {
    const store = this.db.transaction(() => {
      const head = this.head();
      if (head !== n - 1) throw new ChainError('BLOCK_OUT_OF_ORDER', `block ${n} cannot be stored on top of block ${head}`);
      this.inserter.apply(rows, this.onPersistStep === null ? null : (i) => this.onPersistStep?.(PERSIST_STEPS[i], n));
    });
    if (this.db.inTransaction) store();
    else store.immediate();
  }

  /** The block's rows as one batch, every value checked; reads nothing. */
  encode(rec: BlockRecord): EncodedBlock {
    const n = rec.number;
    const out = rec.output;
    if (out.results.length !== rec.rawTxs.length) throw new Error(`block ${n}: ${out.results.length} results for ${rec.rawTxs.length} transactions`);
    const { oracleLog: log, ioEvents: events } = rec;
    const w = new RowBatchWriter(BATCH_BYTES_PER_TX * rec.rawTxs.length + log.bytes.length + events.bytes.length + 1024);
    // A step is marked by its index in PERSIST_STEPS, which apply() turns back into its name.
    const done = (step: PersistStep) => w.step(PERSIST_STEPS.indexOf(step));
    const digest = outputDigest(out);
    blockRow(w, n, rec.profile, rec.metadata, out.gasUsed, rec.rawTxs.length, digest, extraColumns(out));
    done('block');
    w.row(Table.BlockLogs).int(n).blob(log.bytes).int(log.crc).int(log.count).blob(events.bytes).int(events.crc).int(events.count);
    done('block_logs');
    transactionRows(w, n, rec.rawTxs, out.results);
    done('transactions');
    logRows(w, n, out.results);
    done('logs');
    l2OutputRows(w, n, out);
    done('l2_to_l1');
    for (const a of out.stateDiff) {
      const address = addressBlob(a.address);
      const bytecodeHash = a.code === null ? null : blake2s(a.code);
      w.row(Table.Account).int(n).blob(address).i64(u64Column(a.nonce, 'nonce')).word(a.balance).blob(a.codeHash).blob(bytecodeHash);
      w.int(a.storageCleared ? 1 : 0);
      for (const [key, value] of a.storage) w.row(Table.SlotDiff).int(n).blob(address).word(key).word(value);
    }
    done('state_diff');
    slotRows(w, n, out.storageWrites);
    done('slot_history');
    preimageRows(w, n, out.preimages);
    done('preimages');
    return { number: n, rows: w.finish(), stats: { number: n, digest, oracleLogBytes: log.bytes.length, ioEventBytes: events.bytes.length } };
  }

  /** Block 0: the given state, as the first rows of the state tables. */
  writeGenesis(m: BlockMetadata, writes: readonly StorageWrite[], preimages: readonly Preimage[]): Uint8Array {
    const digest = canonicalDigest({ gasUsed: 0n, results: [], accounts: [], storageWrites: [...writes], extras: {} });
    const w = new RowBatchWriter();
    blockRow(w, 0, 'genesis', m, 0n, 0, digest, new Array(8).fill(null));
    slotRows(w, 0, writes);
    preimageRows(w, 0, preimages);
    this.apply(0, w.finish());
    return digest;
  }
}

function blockRow(w: RowBatchWriter, n: number, profile: string, m: BlockMetadata, gasUsed: bigint, txCount: number, digest: Uint8Array, extras: ReadonlyArray<Uint8Array | number | null>): void {
  w.row(Table.Block).int(n).text(profile);
  w.i64(u64Column(m.chainId, 'chain id')).i64(u64Column(m.timestamp, 'timestamp')).i64(u64Column(m.gasLimit, 'gas limit'));
  w.word(m.eip1559BaseFee).word(m.gasPerPubdata).word(m.nativePrice).address(m.coinbase);
  w.word(m.mixHash).word(m.blobBaseFee).i64(u64Column(gasUsed, 'gas used')).int(txCount).blob(digest);
  for (const x of extras) w.param(x);
}

function transactionRows(w: RowBatchWriter, n: number, raws: readonly Uint8Array[], results: readonly TxResult[]): void {
  for (let i = 0; i < raws.length; i++) {
    const r = results[i];
    w.row(Table.Tx).int(n).int(i).blob(raws[i]);
    if (r.kind === 'rejected') {
      const x = r.rejection;
      w.text('rejected');
      for (let k = 0; k < 10; k++) w.null(); // hash … out_of_native
      w.int(0).null().null().null().text(x.error).text(x.message);
      continue;
    }
    const x = r.receipt;
    w.text(x.success ? 'success' : 'reverted').blob(x.hash).int(x.type).address(x.from).address(x.to);
    w.i64(u64Column(x.gasUsed, 'gas used')).i64(u64Column(x.cumulativeGasUsed, 'cumulative gas used')).word(x.effectiveGasPrice);
    w.blob(x.output).address(x.created).int(x.outOfNative ? 1 : 0).int(x.logs.length);
    for (const v of receiptExtraColumns(x)) w.param(v);
    w.null().null();
  }
}

function logRows(w: RowBatchWriter, n: number, results: readonly TxResult[]): void {
  let logIndex = 0;
  for (const r of results) {
    if (r.kind !== 'executed') continue;
    for (const l of r.receipt.logs) {
      const t = l.topics;
      if (t.length > 4) throw new Error(`block ${n}: a log with ${t.length} topics`);
      w.row(Table.Log).int(n).int(logIndex++).int(r.receipt.index).address(l.address);
      for (let k = 0; k < 4; k++) {
        if (k < t.length) w.word(t[k]);
        else w.null();
      }
      w.blob(l.data);
    }
  }
}

/** Tree-level writes as slot_history rows at block n. */
function slotRows(w: RowBatchWriter, n: number, writes: readonly StorageWrite[]): void {
  for (const s of writes) w.row(Table.Slot).address(s.address).word(s.key).int(n).word(s.value);
}

function preimageRows(w: RowBatchWriter, n: number, preimages: readonly Preimage[]): void {
  for (const p of preimages) w.row(Table.Preimage).blob(p.hash).blob(p.bytes).int(n);
}
