// The API's procedures called in-process (createCaller) on a small demo chain, each answer
// checked against what the store holds, read through a second connection.
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesToHex } from '../../machine/common/bytes.ts';
import type { TxReceipt } from '../../machine/bootloader/types.ts';
import type { Chain } from '../../storage/chain.ts';
import { demoToken, tokenBalanceSlot } from '../../server/demo/workload.ts';
import type { ApiServices } from '../../server/api/services.ts';
import { type ApiFixture, type DemoDb, addrHex, apiFixture, caller, hex, services, storedReceipts } from './helpers.ts';

const TRANSFER_TOPIC = 0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3efn;

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

async function rejects(p: Promise<unknown>, code: TRPCError['code'], message: RegExp): Promise<void> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e, 'the call should have failed').toBeInstanceOf(TRPCError);
  expect((e as TRPCError).code).toBe(code);
  expect((e as TRPCError).message).toMatch(message);
}

describe('chain', () => {
  it('head: the stored head and its hash', async () => {
    const h = await c.chain.head();
    expect(h.number).toBe(store.head());
    const stored = store.db.prepare('SELECT block_hash FROM blocks WHERE number = ?').pluck().get(h.number) as Buffer;
    expect(h.hash).toBe(`0x${stored.toString('hex')}`);
  });

  it('block by number, by hash and "latest" agree with the stored row', async () => {
    const byNumber = await c.chain.block({ block: 2 });
    const byHash = await c.chain.block({ block: byNumber.hash! });
    expect(byHash).toEqual(byNumber);
    const b = store.reader.block(2)!;
    expect(byNumber.gasUsed).toBe(hex(b.gasUsed));
    expect(byNumber.transactionCount).toBe(24);
    expect(byNumber.context.nativePrice).toBe(hex(b.nativePrice));
    expect(byNumber.header!.number).toBe('0x2');
    expect(byNumber.header!.gasUsed).toBe(hex(b.gasUsed));
    // The parent hash is block 1's hash: the chain is linked.
    expect(byNumber.parentHash).toBe((await c.chain.block({ block: 1 })).hash);
    expect((await c.chain.block({ block: 'latest' })).number).toBe(store.head());
  });

  it('pubdata: size in the block view equals the pubdata procedure, and it carries the L1 messages', async () => {
    const v = await c.chain.block({ block: 2, withPubdataSize: true });
    const p = await c.zksync.pubdata({ block: 2 });
    expect(v.pubdataSize).toBe(p.size);
    expect(p.size).toBe((p.pubdata!.length - 2) / 2);
    const messages = store.reader.l2.messages(2);
    expect(messages.length).toBeGreaterThan(0);
    for (const m of messages) expect(p.pubdata).toContain(bytesToHex(m.data).slice(2));
  });

  it('blocks: pages with a next cursor until the head', async () => {
    const first = await c.chain.blocks({ from: 0, limit: 2 });
    expect(first.blocks.map((b) => b.number)).toEqual([0, 1]);
    expect(first.next).toBe(2);
    const second = await c.chain.blocks({ from: first.next!, limit: 2 });
    expect(second.blocks.map((b) => b.number)).toEqual([2, 3]);
    expect(second.next).toBeNull();
    expect(first.blocks[0].profile).toBe('genesis');
    expect(first.blocks[0].hash).toBeNull();
  });

  it('unknown blocks and malformed references are named errors', async () => {
    await rejects(c.chain.block({ block: 99 }), 'NOT_FOUND', /block 99 is not stored \(head is 3\)/);
    await rejects(c.chain.block({ block: `0x${'ab'.repeat(32)}` }), 'NOT_FOUND', /no block has hash 0xabab/);
    await rejects(c.chain.block({ block: '0x1234' as never }), 'BAD_REQUEST', /invalid input: input\.block: expected a block/);
    await rejects(c.chain.blocks({ from: 0, limit: 5000 }), 'BAD_REQUEST', /limit 5000 is above this server's maximum page of 1000/);
  });
});

describe('transactions', () => {
  it('byBlock: every transaction with its status; the rejected one has its named error', async () => {
    const page = await c.tx.byBlock({ block: 1, limit: 100 });
    const stored = store.reader.transactions(1);
    expect(page.total).toBe(stored.length);
    expect(page.transactions.map((t) => t.transaction.status)).toEqual(
      stored.map((t) => (t.result.kind === 'rejected' ? 'rejected' : t.result.receipt.success ? 'success' : 'reverted')),
    );
    const rejected = page.transactions.find((t) => t.transaction.status === 'rejected')!;
    expect(rejected.transaction.rejection!.error).toBe('NonceTooHigh');
    expect(rejected.receipt).toBeNull();
    const second = await c.tx.byBlock({ block: 1, offset: 20, limit: 10 });
    expect(second.transactions.map((t) => t.transaction.transactionIndex)).toEqual(['0x14', '0x15', '0x16', '0x17']);
  });

  it('byHash and receipt: the stored values in JSON-RPC form', async () => {
    for (const r of receipts(2).slice(0, 6)) {
      const hash = bytesToHex(r.hash);
      const tx = await c.tx.byHash({ hash });
      const rc = await c.tx.receipt({ hash });
      expect(tx.hash).toBe(hash);
      expect(tx.from).toBe(addrHex(r.from));
      expect(rc.gasUsed).toBe(hex(r.gasUsed));
      expect(rc.cumulativeGasUsed).toBe(hex(r.cumulativeGasUsed));
      expect(rc.status).toBe(r.success ? '0x1' : '0x0');
      expect(rc.logs.length).toBe(r.logs.length);
      expect(rc.nativeUsed).toBe(hex(r.nativeUsed!));
      expect(rc.blockNumber).toBe('0x2');
      expect(rc.logsBloom).toMatch(/^0x[0-9a-f]{512}$/);
      if (r.logs.length > 0) expect(rc.logsBloom).not.toBe(`0x${'0'.repeat(512)}`);
    }
  });

  it('the deployment receipt names the token as contractAddress', async () => {
    const deploy = receipts(1).find((r) => r.created !== null)!;
    const rc = await c.tx.receipt({ hash: bytesToHex(deploy.hash) });
    expect(rc.contractAddress).toBe(addrHex(demoToken(db.run.accounts)));
    expect(rc.to).toBeNull();
    expect((await c.tx.byHash({ hash: bytesToHex(deploy.hash) })).to).toBeNull();
  });

  it('an unknown hash is NOT_FOUND, a short one BAD_REQUEST', async () => {
    await rejects(c.tx.receipt({ hash: `0x${'00'.repeat(32)}` }), 'NOT_FOUND', /no stored transaction has hash/);
    await rejects(c.tx.byHash({ hash: '0x12' }), 'BAD_REQUEST', /input\.hash: expected a 32-byte hash/);
  });

  it('logs: by emitter and topic, paged with the resume point, equal the stored logs', async () => {
    const token = demoToken(db.run.accounts);
    const expected: string[] = [];
    for (let n = 1; n <= store.head(); n++) {
      for (const l of store.reader.logs(n)) if (l.address === token && l.topics[0] === TRANSFER_TOPIC) expected.push(`${n}:${l.logIndex}`);
    }
    expect(expected.length).toBeGreaterThan(5);
    const got: string[] = [];
    let after: { block: number; logIndex: number } | undefined;
    for (let pages = 0; pages < 100; pages++) {
      const r = await c.tx.logs({ address: addrHex(token), topics: [hex(TRANSFER_TOPIC)], limit: 4, after });
      for (const l of r.logs) got.push(`${Number(l.blockNumber)}:${Number(l.logIndex)}`);
      if (r.next === null) break;
      after = r.next;
    }
    expect(got).toEqual(expected);
  });

  it('logs: a topic-1 filter (the sender) and a block range', async () => {
    const sender = store.reader.logs(2).find((l) => l.topics[0] === TRANSFER_TOPIC)!.topics[1];
    const r = await c.tx.logs({ fromBlock: 2, toBlock: 2, topics: [null, `0x${sender.toString(16)}`], limit: 100 });
    const expected = store.reader.logs(2).filter((l) => l.topics[1] === sender);
    expect(r.logs.map((l) => Number(l.logIndex))).toEqual(expected.map((l) => l.logIndex));
    for (const l of r.logs) expect(l.transactionHash).toMatch(/^0x[0-9a-f]{64}$/);
    await rejects(c.tx.logs({ fromBlock: 3, toBlock: 2 }), 'BAD_REQUEST', /fromBlock 3 is after toBlock 2/);
    await rejects(c.tx.logs({ topics: [null, null, null, null, null] }), 'BAD_REQUEST', /at most 4 topics/);
  });
});

describe('zksync outputs and state', () => {
  it('l2ToL1: the stored logs and messages', async () => {
    const r = await c.zksync.l2ToL1({ block: 2 });
    const logs = store.reader.l2.logs(2);
    expect(r.logs.map((l) => [l.txNumberInBlock, l.sender, l.value])).toEqual(logs.map((l) => [l.txNumber, addrHex(l.sender), bytesToHex(l.value)]));
    expect(r.messages.map((m) => m.hash)).toEqual(store.reader.l2.messages(2).map((m) => bytesToHex(m.hash)));
  });

  it('l1Transactions: the deposits of the block, each a priority operation with a receipt', async () => {
    const r = await c.zksync.l1Transactions({ block: 2 });
    const deposits = receipts(2).filter((x) => x.type === 0xff);
    expect(r.transactions.length).toBe(deposits.length);
    expect(r.transactions.length).toBeGreaterThan(0);
    for (const t of r.transactions) {
      expect(t.kind).toBe('priority');
      expect(t.transaction.type).toBe('0xff');
      expect(t.receipt.status).toBe('0x1');
      expect(BigInt(t.transaction.toMint!)).toBeGreaterThan(0n);
    }
    expect(r.priorityOpsHash).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it('account: time travel; an old balance differs from the head where it changed', async () => {
    const sender = receipts(3).find((r) => r.type === 2)!.from;
    const atHead = await c.state.account({ address: addrHex(sender) });
    const atOne = await c.state.account({ address: addrHex(sender), block: 1 });
    expect(atHead.balance).toBe(hex(store.accountAt(sender, 3)!.balance));
    expect(atOne.balance).toBe(hex(store.accountAt(sender, 1)!.balance));
    expect(atHead.balance).not.toBe(atOne.balance);
    expect(atHead.nonce).toBe(hex(db.run.state.nonces[db.run.accounts.findIndex((a) => a.address === sender)]));
    const nobody = await c.state.account({ address: addrHex(0xdeadn) });
    expect(nobody.exists).toBe(false);
    const token = await c.state.account({ address: addrHex(demoToken(db.run.accounts)) });
    expect(token.code).toBe(bytesToHex(store.accountAt(demoToken(db.run.accounts))!.code));
    expect((await c.state.account({ address: addrHex(demoToken(db.run.accounts)), block: 0 })).exists).toBe(false);
  });

  it('storage: the token balance slots the workload tracked', async () => {
    const token = demoToken(db.run.accounts);
    for (const i of [0, 1, 2, 3]) {
      const a = db.run.accounts[i];
      const r = await c.state.storage({ address: addrHex(token), slot: hex(tokenBalanceSlot(a.address)) });
      expect(BigInt(r.value)).toBe(db.run.state.tokens[i]);
    }
    await rejects(c.state.storage({ address: '0x12', slot: '0x0' }), 'BAD_REQUEST', /input\.address: expected an address/);
  });
});
