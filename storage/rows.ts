// A block's rows as one binary batch: what BlockStore.encode builds from a block's record and
// BlockStore.apply inserts. The batch is a transferable byte string, so the two may run on
// different connections or threads. One INSERT per table, prepared once per connection.
//
//   per row: u8 table, then its parameters in column order, each
//     0 NULL · 1 varint (a non-negative safe integer, bound as a number)
//     2 i64 little-endian (bound as a bigint) · 3 varint length + bytes (BLOB) · 4 varint length + UTF-8 (TEXT)
//   a step marker: u8 STEP_MARK, u8 step index (the persist test hook, between groups of rows)
import type { Statement } from 'better-sqlite3';
import { ByteReader, ByteWriter } from './binary.ts';
import { checkFits } from './columns.ts';
import type { Db } from './db.ts';

/** The tables a block writes, in the order BlockStore writes them. */
export enum Table {
  Block,
  BlockLogs,
  Tx,
  Log,
  L2Log,
  L2Message,
  Account,
  SlotDiff,
  Slot,
  Preimage,
}

const q = (n: number): string => new Array(n).fill('?').join(', ');

/** Table → its INSERT (column lists as in migrations/001_event_store.sql). */
const INSERTS: Record<Table, string> = {
  [Table.Block]: `INSERT INTO blocks (number, profile, chain_id, timestamp, gas_limit, base_fee, gas_per_pubdata, native_price,
    coinbase, mix_hash, blob_base_fee, gas_used, tx_count, output_digest, block_hash, header, tx_rolling_hash, priority_ops_hash,
    upgrade_tx_hash, event_count, l2_log_count, l2_message_count) VALUES (${q(22)})`,
  [Table.BlockLogs]: `INSERT INTO block_logs (block, oracle_log, oracle_crc, oracle_queries, io_events, io_crc, io_event_count) VALUES (${q(7)})`,
  [Table.Tx]: `INSERT INTO transactions (block, idx, raw, status, hash, tx_type, sender, recipient, gas_used, cumulative_gas_used,
    effective_gas_price, output, created, out_of_native, log_count, native_used, pubdata_used, l2_log_count, error_code, error_message)
    VALUES (${q(20)})`,
  [Table.Log]: `INSERT INTO logs (block, log_index, tx_idx, address, topic0, topic1, topic2, topic3, data) VALUES (${q(9)})`,
  [Table.L2Log]: `INSERT INTO l2_to_l1_logs (block, log_index, tx_number, sender, key, value) VALUES (${q(6)})`,
  [Table.L2Message]: `INSERT INTO l2_to_l1_messages (block, idx, tx_number, sender, data, hash) VALUES (${q(6)})`,
  [Table.Account]: `INSERT INTO account_diffs (block, address, nonce, balance, code_hash, bytecode_hash, storage_cleared) VALUES (${q(7)})`,
  [Table.SlotDiff]: `INSERT INTO slot_diffs (block, address, key, value) VALUES (${q(4)})`,
  [Table.Slot]: `INSERT INTO slot_history (address, key, block, value) VALUES (${q(4)})`,
  // A preimage is content-addressed: the first block that stored it keeps it.
  [Table.Preimage]: `INSERT OR IGNORE INTO preimages (hash, bytes, block) VALUES (${q(3)})`,
};

const TABLES = Object.keys(INSERTS).length;
const ARITY: number[] = Array.from({ length: TABLES }, (_, t) => (INSERTS[t as Table].match(/\?/g) ?? []).length);
const STEP_MARK = 0xff;

const enum Tag {
  Null,
  Int,
  I64,
  Blob,
  Text,
}

export type Param = number | bigint | Uint8Array | string | null;

/** Builds a batch: `row(table)`, then exactly the table's parameters, in column order. */
export class RowBatchWriter {
  private readonly w: ByteWriter;
  private left = 0;
  private table = -1;
  private readonly i64Bytes = new Uint8Array(8);
  private readonly i64View = new DataView(this.i64Bytes.buffer);

  constructor(capacity = 4096) {
    this.w = new ByteWriter(capacity);
  }

  row(t: Table): this {
    this.checkDone();
    this.w.u8(t);
    this.table = t;
    this.left = ARITY[t];
    return this;
  }

  /** A group of rows ends (the persist test hook's step `index`). */
  step(index: number): this {
    this.checkDone();
    this.w.u8(STEP_MARK).u8(index);
    return this;
  }

  null(): this {
    this.tag(Tag.Null);
    return this;
  }

  /** A non-negative safe integer. */
  int(v: number): this {
    this.tag(Tag.Int).varint(v);
    return this;
  }

  /** A signed 64-bit integer (u64 columns are checked to fit before they get here). */
  i64(v: bigint): this {
    this.i64View.setBigInt64(0, v, true);
    this.tag(Tag.I64).raw(this.i64Bytes);
    return this;
  }

  blob(b: Uint8Array | null): this {
    if (b === null) return this.null();
    this.tag(Tag.Blob).bytes(b);
    return this;
  }

  /** A 256-bit value as a 32-byte big-endian BLOB (columns.ts wordBlob, without the array). */
  word(v: bigint): this {
    return this.fixed(v, 32);
  }

  /** An address as a 20-byte BLOB (columns.ts addressBlob, without the array), or NULL. */
  address(v: bigint | null): this {
    return v === null ? this.null() : this.fixed(v, 20);
  }

  private fixed(v: bigint, len: number): this {
    checkFits(v, len);
    this.tag(Tag.Blob).varint(len).fixed(v, len);
    return this;
  }

  text(s: string | null): this {
    if (s === null) return this.null();
    this.tag(Tag.Text).text(s);
    return this;
  }

  /** A value of any parameter type. */
  param(v: Param): this {
    if (v === null) return this.null();
    if (typeof v === 'number') return this.int(v);
    if (typeof v === 'bigint') return this.i64(v);
    if (typeof v === 'string') return this.text(v);
    return this.blob(v);
  }

  /** The batch: a view of the writer's buffer, so write nothing more once it is taken. */
  finish(): Uint8Array {
    this.checkDone();
    return this.w.view();
  }

  /** Counts one parameter of the current row and writes its tag. */
  private tag(t: Tag): ByteWriter {
    if (this.left-- <= 0) throw new RangeError(this.table < 0 ? 'a parameter before any row' : `too many parameters for table ${Table[this.table]}`);
    return this.w.u8(t);
  }

  private checkDone(): void {
    if (this.left > 0) throw new RangeError(`table ${Table[this.table]}: ${this.left} parameters missing`);
  }
}

/** The INSERTs of one connection, and the batch runner over them. */
export class RowInserter {
  private readonly stmts: Statement[];
  private readonly args: Param[][];

  constructor(db: Db) {
    this.stmts = Array.from({ length: TABLES }, (_, t) => db.prepare(INSERTS[t as Table]));
    this.args = ARITY.map((n) => new Array<Param>(n).fill(null));
  }

  /** Inserts every row of the batch, in order; `onStep` hears the step markers. */
  apply(batch: Uint8Array, onStep: ((index: number) => void) | null): void {
    const r = new ByteReader(batch);
    const view = new DataView(batch.buffer, batch.byteOffset, batch.byteLength);
    while (r.remaining > 0) {
      const t = r.u8('table');
      if (t === STEP_MARK) {
        const index = r.u8('step');
        onStep?.(index);
        continue;
      }
      if (t >= TABLES) r.fail(`unknown table ${t}`, r.offset - 1);
      const args = this.args[t];
      for (let k = 0; k < args.length; k++) {
        const tag = r.u8('tag');
        switch (tag) {
          case Tag.Null:
            args[k] = null;
            break;
          case Tag.Int:
            args[k] = r.varint('integer');
            break;
          case Tag.I64:
            args[k] = view.getBigInt64(r.skip(8, 'i64'), true);
            break;
          case Tag.Blob:
            args[k] = r.bytesView('blob');
            break;
          case Tag.Text:
            args[k] = r.text('text');
            break;
          default:
            r.fail(`unknown parameter tag ${tag}`, r.offset - 1);
        }
      }
      this.stmts[t].run(...args);
    }
  }
}
