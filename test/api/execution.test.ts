// execution.*: oracle queries and IO events of a stored block, call trees, prestates and state
// diffs, each checked against the store: a block's per-transaction diffs must chain from the
// state as of n-1 to the state as of n.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesToHex } from '../../machine/common/bytes.ts';
import type { TxReceipt } from '../../machine/bootloader/types.ts';
import type { Chain } from '../../storage/chain.ts';
import { demoToken } from '../../server/demo/workload.ts';
import type { ApiServices } from '../../server/api/services.ts';
import type { PrestateDiff } from '../../server/api/execution/prestate.ts';
import { type ApiFixture, type DemoDb, addrHex, apiFixture, caller, hex, services, storedReceipts } from './helpers.ts';


let db: DemoDb;
let s: ApiServices;
let store: Chain;
let c: ReturnType<typeof caller>;

let f: ApiFixture;
beforeAll(() => {
  f = apiFixture(3, 24);
  ({ db, s, store, c } = f);
});
afterAll(() => f.close());

const receipts = (n: number): TxReceipt[] => storedReceipts(store, n);

describe('recorded execution', () => {
  it('oracleQueries: the stored log, paged, its words decoded', async () => {
    const log = store.reader.blockLogs(2)!.oracleLog;
    const first = await c.execution.oracleQueries({ block: 2, limit: 10 });
    expect(first.total).toBe(log.length);
    expect(first.queries[0].name).toBe('BlockMetadata');
    expect((first.queries[0].decoded!.answer as { blockNumber: string }).blockNumber).toBe('0x2');
    const size = first.queries.find((q) => q.name === 'NextTxSize')!;
    expect(size.answer).toEqual(Array.from(log[size.index].answer, (w) => w.toString(16).padStart(8, '0')));
    expect(typeof size.decoded!.answer).toBe('number');
    const last = await c.execution.oracleQueries({ block: 2, offset: log.length - 1, limit: 10 });
    expect(last.queries.map((q) => q.index)).toEqual([log.length - 1]);
  });

  it('ioEvents: the stored events, or one transaction\'s', async () => {
    const events = store.reader.blockLogs(2)!.events.events;
    const all = await c.execution.ioEvents({ block: 2, limit: 1000 });
    expect(all.total).toBe(events.length);
    expect(all.events[0]).toMatchObject({ kind: 'TxStart', tx: 0, txIndex: 0 });
    const tx3 = await c.execution.ioEvents({ block: 2, tx: 3, limit: 1000 });
    expect(tx3.events.length).toBeGreaterThan(2);
    expect(tx3.events.every((e) => e.tx === 3)).toBe(true);
    expect(tx3.events[0].kind).toBe('TxStart');
    expect(tx3.events[tx3.events.length - 1].kind).toBe('TxEnd');
  });

  it('the genesis block has no log', async () => {
    await expect(c.execution.ioEvents({ block: 0 })).rejects.toThrow(/genesis state: nothing ran/);
  });
});

describe('call traces', () => {
  const token = () => demoToken(db.run.accounts);

  it('a token transfer: one CALL frame with its Transfer log, gas as the receipt', async () => {
    const r = receipts(2).find((x) => x.to === token() && x.success)!;
    const t = await c.execution.callTrace({ hash: bytesToHex(r.hash) });
    expect(t.type).toBe('CALL');
    expect(t.from).toBe(addrHex(r.from));
    expect(t.to).toBe(addrHex(token()));
    expect(t.gasUsed).toBe(hex(r.gasUsed));
    expect(BigInt(t.frameGasUsed)).toBeGreaterThan(0n);
    expect(BigInt(t.frameGasUsed)).toBeLessThanOrEqual(BigInt(t.frameGas));
    expect(t.error).toBeUndefined();
    expect(t.logs!.map((l) => l.topics)).toEqual(r.logs.map((l) => l.topics.map((x) => `0x${x.toString(16).padStart(64, '0')}`)));
    expect(t.nativeUsed).toBe(hex(r.nativeUsed!));
    expect(t.otherFrames).toEqual([]);
  });

  it('a transfer over the balance: reverted, with the revert output and no logs', async () => {
    const r = receipts(2).concat(receipts(3)).find((x) => x.to === token() && !x.success)!;
    const t = await c.execution.callTrace({ hash: bytesToHex(r.hash) });
    expect(t.error).toBe('execution reverted');
    expect(t.output ?? '0x').toBe(bytesToHex(r.output));
    expect(t.logs).toBeUndefined();
  });

  it('the deployment: a CREATE frame whose output is the code the token has', async () => {
    const r = receipts(1).find((x) => x.created !== null)!;
    const t = await c.execution.callTrace({ hash: bytesToHex(r.hash) });
    expect(t.type).toBe('CREATE');
    expect(t.to).toBe(addrHex(token()));
    expect(t.output).toBe(bytesToHex(store.accountAt(token(), 1)!.code));
  });
});

describe('prestate and state diffs', () => {
  it('per-transaction diffs chain from the state as of n-1 to the state as of n', async () => {
    const n = 2;
    const balances = new Map<string, bigint>();
    const slots = new Map<string, string>();
    const balanceBefore = (a: string): bigint => balances.get(a) ?? store.accountAt(BigInt(a), n - 1)?.balance ?? 0n;
    const slotBefore = (a: string, k: string): string => slots.get(`${a}/${k}`) ?? `0x${store.storageAt(BigInt(a), BigInt(k), n - 1).toString(16).padStart(64, '0')}`;
    let checkedPre = 0;
    for (const r of receipts(n)) {
      const hash = bytesToHex(r.hash);
      const diff = (await c.execution.prestate({ hash, diffMode: true })) as PrestateDiff;
      const plain = (await c.execution.prestate({ hash })) as Record<string, { balance?: string; storage?: Record<string, string> }>;
      // The sender always pays a fee, so it is in both.
      expect(diff.pre[addrHex(r.from)]).toBeDefined();
      expect(plain[addrHex(r.from)].balance).toBe(diff.pre[addrHex(r.from)].balance);
      for (const [a, acc] of Object.entries(diff.pre)) {
        expect(BigInt(acc.balance!), `tx ${r.index} pre balance of ${a}`).toBe(balanceBefore(a));
        for (const [k, v] of Object.entries(acc.storage ?? {})) expect(v).toBe(slotBefore(a, k));
        checkedPre++;
      }
      for (const [a, acc] of Object.entries(plain)) expect(BigInt(acc.balance!)).toBe(balanceBefore(a));
      for (const [a, acc] of Object.entries(diff.post)) {
        if (acc.balance !== undefined) balances.set(a, BigInt(acc.balance));
        for (const [k, v] of Object.entries(acc.storage ?? {})) slots.set(`${a}/${k}`, v);
      }
    }
    expect(checkedPre).toBeGreaterThan(receipts(n).length);
    // After the last transaction: the stored state as of block n.
    for (const [a, b] of balances) expect(b, `balance of ${a} after block ${n}`).toBe(store.accountAt(BigInt(a), n)?.balance ?? 0n);
    for (const [key, v] of slots) {
      const [a, k] = key.split('/');
      expect(v).toBe(`0x${store.storageAt(BigInt(a), BigInt(k), n).toString(16).padStart(64, '0')}`);
    }
  });

  it('an ETH transfer moves its value: post minus pre of the recipient', async () => {
    const all = await c.tx.byBlock({ block: 3, limit: 100 });
    const eth = all.transactions.find((t) => t.receipt?.status === '0x1' && t.transaction.input === '0x' && BigInt(t.transaction.value ?? '0x0') > 0n && t.transaction.type !== '0xff')!;
    const d = await c.execution.stateDiff({ hash: eth.transaction.hash! });
    const to = eth.transaction.to!;
    expect(BigInt(d.post[to].balance!) - BigInt(d.pre[to].balance!)).toBe(BigInt(eth.transaction.value!));
    expect(d.post[eth.transaction.from!].nonce).toBe(Number(eth.transaction.nonce) + 1);
  });

  it('a block\'s diff: every changed account, before and after as stored', async () => {
    const d = await c.execution.stateDiff({ block: 3 });
    const changed = store.reader.stateDiff(3);
    expect(changed.length).toBeGreaterThan(10);
    for (const a of changed) {
      const key = addrHex(a.address);
      expect(d.pre[key] ?? d.post[key], key).toBeDefined();
      const after = d.post[key]?.balance ?? d.pre[key].balance;
      expect(BigInt(after!)).toBe(store.accountAt(a.address, 3)!.balance);
      if (d.pre[key] !== undefined) expect(BigInt(d.pre[key].balance!)).toBe(store.accountAt(a.address, 2)?.balance ?? 0n);
    }
    await expect(c.execution.stateDiff({ block: 0 })).rejects.toThrow(/genesis state/);
  });
});
