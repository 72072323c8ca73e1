// The query group, on the ≥1,000,000-transaction database: p50 / p99 latency of a receipt by
// transaction hash, a storage slot at a random block and an account at a random block, through
// the storage API on a fresh read-only connection; and the database's size per 1,000 txs.
import { bytesEqual } from '../../machine/common/bytes.ts';
import { ACCOUNT_PROPERTIES_STORAGE_ADDRESS } from '../../machine/system/account.ts';
import { openChain } from '../../storage/chain.ts';
import { addressBlob, toBigInt } from '../../storage/columns.ts';
import { dbFileBytes, dbLabel, RECIPIENTS, recipientAddress, SENDERS, senderKey, type BigDbInfo } from './big-db.ts';
import { privateKeyToAddress } from '../../machine/crypto/index.ts';
import { percentile, rng } from './stats.ts';
import { fmt, row, type Row } from './table.ts';

const WARMUP = 100;

/** Microseconds per call of `f` over each sample, after WARMUP untimed calls. */
function latencies<T>(samples: readonly T[], f: (s: T) => void): number[] {
  for (let i = 0; i < Math.min(WARMUP, samples.length); i++) f(samples[i]);
  const out = new Array<number>(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const t0 = performance.now();
    f(samples[i]);
    out[i] = (performance.now() - t0) * 1000;
  }
  return out;
}

export function queryRows(path: string, info: BigDbInfo, built: boolean, samples: number, log: (s: string) => void): Row[] {
  const chain = openChain(path, { readonly: true });
  try {
    const head = chain.head();
    const r = rng(0x5eed);
    const randomBlock = () => Math.floor(r() * (head + 1));

    // Receipts: transactions drawn by rowid (rows are numbered in insertion order).
    const maxRowid = chain.db.prepare('SELECT max(rowid) FROM transactions').pluck().get() as number;
    const hashStmt = chain.db.prepare<[number], Buffer | null>('SELECT hash FROM transactions WHERE rowid = ?').pluck();
    const hashes: Uint8Array[] = [];
    while (hashes.length < samples) {
      const h = hashStmt.get(1 + Math.floor(r() * maxRowid));
      if (h) hashes.push(new Uint8Array(h));
    }
    log(`queries: ${fmt(samples)} receipts by hash…`);
    let wrong = 0;
    // What the API's receipt lookup does: the hash's place, then that transaction's own rows.
    const receipt = latencies(hashes, (h) => {
      const at = chain.reader.findTransaction(h);
      const t = at === null ? null : chain.reader.transaction(at.block, at.index);
      if (t === null || t === undefined || t.result.kind !== 'executed' || !bytesEqual(t.result.receipt.hash, h)) wrong++;
    });

    // Slots: existing token balance slots, found by seeking a uniformly random key (keys are keccak outputs).
    const token = BigInt(info.token);
    const seek = chain.db.prepare<[Uint8Array, Uint8Array], Buffer | undefined>('SELECT key FROM slot_history WHERE address = ? AND key >= ? ORDER BY key LIMIT 1').pluck();
    const slots: Array<{ key: bigint; block: number }> = [];
    while (slots.length < samples) {
      const k = seek.get(addressBlob(token), Buffer.from(Array.from({ length: 32 }, () => Math.floor(r() * 256))));
      if (k !== undefined) slots.push({ key: toBigInt(k), block: randomBlock() });
    }
    log(`queries: ${fmt(samples)} storage slots at random blocks…`);
    let nonZero = 0;
    const storage = latencies(slots, (s) => {
      if (chain.storageAt(token, s.key, s.block) !== 0n) nonZero++;
    });

    // Accounts: senders and recipients alike (a recipient may not exist yet at the block drawn).
    const senders = Array.from({ length: SENDERS }, (_, i) => privateKeyToAddress(senderKey(i)));
    const accounts = Array.from({ length: samples }, () => ({
      address: r() < 0.5 ? senders[Math.floor(r() * SENDERS)] : recipientAddress(Math.floor(r() * RECIPIENTS)),
      block: randomBlock(),
    }));
    log(`queries: ${fmt(samples)} accounts at random blocks…`);
    let found = 0;
    const account = latencies(accounts, (a) => {
      if (chain.accountAt(a.address, a.block) !== null) found++;
    });
    const accountSlots = chain.db.prepare('SELECT count(*) FROM slot_history WHERE address = ?').pluck().get(addressBlob(ACCOUNT_PROPERTIES_STORAGE_ADDRESS)) as number;
    const bytes = dbFileBytes(path);
    // Counted after the timed lookups (which would otherwise find its pages warm).
    const versions = chain.db.prepare('SELECT count(*) FROM slot_history WHERE address = ?').pluck().get(addressBlob(token)) as number;

    const db = `${fmt(info.txs)}-tx database (${fmt(head)} blocks of ≤500, ${fmt(bytes / 2 ** 30)} GiB)`;
    const how = `${fmt(samples)} lookups after ${WARMUP} untimed, one run, fresh read-only connection`;
    const source = built
      ? `built in this run in ${fmt(info.buildSeconds / 60)} min (${fmt(info.signSeconds / 60)} min of it signing)`
      : `reused from the cache (built ${info.builtAt} in ${fmt(info.buildSeconds / 60)} min)`;
    const p = (xs: number[], q: number) => percentile(xs, q);
    const pair = (label: string, xs: number[], verified: boolean | null, notes: string[]): Row[] => [
      row(`${label} p50`, 'µs', p(xs, 50), null, verified, notes),
      row(`${label} p99`, 'µs', p(xs, 99), null, verified),
    ];
    return [
      ...pair('receipt by tx hash', receipt, wrong === 0, [
        `${db}, ${source}; ${how}; findTransaction then transaction(block, index) (its row and its logs), as the API's receipt lookup does; blocks hold ${fmt(info.txs / head)} txs on average` +
          (wrong ? `; ✗ ${wrong} lookups did not return the receipt asked for` : '; every lookup returned the receipt with the hash asked for'),
      ]),
      ...pair('storage slot at a random block', storage, null, [
        `chain.storageAt(token, slot, block) over token balance slots that exist at the head (${fmt(versions)} versions in slot_history); ${fmt((100 * nonZero) / samples)} % non-zero at the block drawn`,
      ]),
      ...pair('account at a random block', account, null, [
        `chain.accountAt(address, block) (properties slot and preimage, decoded): senders and recipients, ${fmt((100 * found) / samples)} % existing at the block drawn; ${fmt(accountSlots)} account versions stored`,
      ]),
      row(`database size per 1,000 txs (${dbLabel(info)})`, 'KiB', ((bytes / info.txs) * 1000) / 1024, null, null, [`${db}, after a WAL checkpoint`]),
    ];
  } finally {
    chain.close();
  }
}
