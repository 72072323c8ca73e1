// The row batch between BlockStore.encode and BlockStore.apply: every parameter type reaches its
// column as the direct binding would store it, a malformed batch is refused with its position, and
// the writer refuses rows with the wrong number of parameters.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../storage/db.ts';
import { BlobDecodeError } from '../../storage/binary.ts';
import { RowBatchWriter, RowInserter, Table } from '../../storage/rows.ts';
import { tempDir, type TempDir } from './helpers.ts';

let tmp: TempDir;
let db: Db;

beforeEach(() => {
  tmp = tempDir();
  db = openDatabase(tmp.file('rows.db'));
});
afterEach(() => {
  db.close();
  tmp.cleanup();
});

const addr = new Uint8Array(20).fill(0xab);
const word = (b: number): Uint8Array => new Uint8Array(32).fill(b);

describe('row batches', () => {
  it('stores integers, 64-bit integers, blobs, text and NULL as direct binding does', () => {
    const w = new RowBatchWriter(16);
    w.row(Table.Tx).int(7).int(3).blob(new Uint8Array([1, 2, 3])).text('rejected');
    for (let k = 0; k < 10; k++) w.null();
    w.int(0).null().i64(9_007_199_254_740_993n).null().text('NONCE_TOO_LOW').text('nonce 1, expected 2 — ünïcode');
    w.step(2);
    w.row(Table.Slot).blob(addr).blob(word(1)).int(7).blob(new Uint8Array(0));
    const steps: number[] = [];
    new RowInserter(db).apply(w.finish(), (i) => steps.push(i));
    expect(steps).toEqual([2]);
    const tx = db.prepare('SELECT * FROM transactions').safeIntegers(true).get() as Record<string, unknown>;
    expect(tx.block).toBe(7n);
    expect(tx.idx).toBe(3n);
    expect([...(tx.raw as Buffer)]).toEqual([1, 2, 3]);
    expect(tx.status).toBe('rejected');
    expect(tx.hash).toBeNull();
    expect(tx.log_count).toBe(0n);
    expect(tx.pubdata_used).toBe(9_007_199_254_740_993n);
    expect(tx.error_message).toBe('nonce 1, expected 2 — ünïcode');
    const types = db.prepare('SELECT typeof(block) b, typeof(raw) r, typeof(status) s, typeof(hash) h FROM transactions').get();
    expect(types).toEqual({ b: 'integer', r: 'blob', s: 'text', h: 'null' });
    const slot = db.prepare('SELECT * FROM slot_history').get() as Record<string, Buffer>;
    expect(Buffer.compare(slot.address, Buffer.from(addr))).toBe(0);
    expect(slot.value.length).toBe(0);
  });

  it('refuses a row with too few or too many parameters', () => {
    expect(() => new RowBatchWriter().row(Table.SlotDiff).int(1).row(Table.Slot)).toThrow('SlotDiff: 3 parameters missing');
    expect(() => new RowBatchWriter().row(Table.Preimage).blob(addr).blob(addr).int(1).int(2)).toThrow('too many parameters for table Preimage');
    expect(() => new RowBatchWriter().row(Table.SlotDiff).int(1).finish()).toThrow('parameters missing');
    expect(() => new RowBatchWriter().int(1)).toThrow('a parameter before any row');
  });

  it('refuses an unknown table or tag, and a cut batch, naming the byte', () => {
    const inserter = new RowInserter(db);
    const good = new RowBatchWriter().row(Table.Preimage).blob(word(2)).blob(addr).int(1).finish();
    expect(() => inserter.apply(Uint8Array.of(200), null)).toThrow(BlobDecodeError);
    const badTag = good.slice();
    badTag[1] = 9;
    expect(() => inserter.apply(badTag, null)).toThrow(/unknown parameter tag 9/);
    expect(() => inserter.apply(good.subarray(0, good.length - 1), null)).toThrow(BlobDecodeError);
    expect(db.prepare('SELECT count(*) FROM preimages').pluck().get()).toBe(0);
  });
});
