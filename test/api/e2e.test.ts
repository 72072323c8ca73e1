// The server as a user runs it: `node bin/zkos.js serve` in a child process on a demo database,
// every procedure called through the typed client (@trpc/client: batched HTTP and server-sent
// events), bad inputs (400 with the reason), missing and wrong tokens (401), an oversized body
// (413), and a clean stop on SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesToHex } from '../../machine/common/bytes.ts';
import type { TxReceipt } from '../../machine/bootloader/types.ts';
import type { Chain } from '../../storage/chain.ts';
import { createZkosClient, type ZkosClient } from '../../server/api/client.ts';
import { appRouter } from '../../server/api/router.ts';
import { demoToken, tokenBalanceSlot } from '../../server/demo/workload.ts';
import { demoDb, storeOf, TEST_TOKEN, type DemoDb } from './helpers.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const addrHex = (a: bigint): string => `0x${a.toString(16).padStart(40, '0')}`;

let db: DemoDb;
let store: Chain;
let child: ChildProcess;
let url: string;
let stderr = '';
let zkos: ZkosClient;
let anonymous: ZkosClient;
let wrong: ZkosClient;
/** Every procedure path this file called through the client. */
const called = new Set<string>();
const call = <T>(path: string, p: Promise<T>): Promise<T> => {
  called.add(path);
  return p;
};

beforeAll(async () => {
  db = demoDb(2, 16);
  store = storeOf(db.path);
  const tokenFile = join(db.dir, 'token');
  writeFileSync(tokenFile, `${TEST_TOKEN}\n`);
  child = spawn(process.execPath, [join(ROOT, 'bin/zkos.js'), 'serve', '--db', db.path, '--port', '0', '--token-file', tokenFile], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the server printed no URL in 30 s; stderr: ${stderr}`)), 30_000);
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /at (http:\/\/127\.0\.0\.1:\d+\/trpc)/.exec(out);
      if (m !== null) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`the server exited with ${code}: ${stderr}`)));
  });
  zkos = createZkosClient(url, TEST_TOKEN);
  anonymous = createZkosClient(url);
  wrong = createZkosClient(url, 'not-the-token-0123456789');
});

afterAll(() => {
  if (child.exitCode === null) child.kill('SIGKILL');
  store?.close();
  db?.cleanup();
});

const receipts = (n: number): TxReceipt[] => store.reader.transactions(n).flatMap((t) => (t.result.kind === 'executed' ? [t.result.receipt] : []));

/** The HTTP status and message of a failed call. */
async function failure(p: Promise<unknown>): Promise<{ status: number; message: string }> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e, 'the call should have failed').toBeInstanceOf(TRPCClientError);
  const c = e as TRPCClientError<typeof appRouter>;
  expect((c.data as { stack?: unknown } | undefined)?.stack, 'no stack trace is sent').toBeUndefined();
  return { status: c.data!.httpStatus, message: c.message };
}

/** Subscribes and collects `count` events (tracked: { id, data }), then unsubscribes. */
function take<T>(subscribe: (h: { onData: (d: T) => void; onError: (e: unknown) => void }) => { unsubscribe(): void }, count: number, after?: () => Promise<unknown>): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const got: T[] = [];
    const timer = setTimeout(() => reject(new Error(`only ${got.length} of ${count} events in 20 s`)), 20_000);
    const sub = subscribe({
      onData: (d) => {
        got.push(d);
        if (got.length === count) {
          clearTimeout(timer);
          sub.unsubscribe();
          resolve(got);
        }
      },
      onError: (e) => {
        clearTimeout(timer);
        reject(e);
      },
    });
    if (after !== undefined) setTimeout(() => void after().catch(reject), 300);
  });
}

describe('zkos serve over HTTP', () => {
  it('chain: head, blocks by number / hash / range', async () => {
    const head = await call('chain.head', zkos.chain.head.query());
    expect(head.number).toBe(2);
    const b = await call('chain.block', zkos.chain.block.query({ block: 2, withPubdataSize: true }));
    expect(b.hash).toBe(head.hash);
    expect(BigInt(b.gasUsed)).toBe(store.reader.block(2)!.gasUsed);
    expect(b.publicInput).toBe(bytesToHex(store.commitment(2)!.publicInput!));
    expect(b.pubdataSize).toBeGreaterThan(0);
    expect((await zkos.chain.block.query({ block: b.hash! })).number).toBe(2);
    const page = await call('chain.blocks', zkos.chain.blocks.query({ from: 0, limit: 10 }));
    expect(page.blocks.map((x) => x.number)).toEqual([0, 1, 2]);
  });

  it('transactions: by hash, receipt (gas as stored), by block, logs', async () => {
    const r = receipts(2).find((x) => x.logs.length > 0)!;
    const hash = bytesToHex(r.hash);
    expect((await call('tx.byHash', zkos.tx.byHash.query({ hash }))).from).toBe(addrHex(r.from));
    const rc = await call('tx.receipt', zkos.tx.receipt.query({ hash }));
    expect(BigInt(rc.gasUsed)).toBe(r.gasUsed);
    expect(BigInt(rc.cumulativeGasUsed)).toBe(r.cumulativeGasUsed);
    expect(rc.logs[0].transactionHash).toBe(hash);
    const byBlock = await call('tx.byBlock', zkos.tx.byBlock.query({ block: 2, limit: 100 }));
    expect(byBlock.total).toBe(store.reader.transactions(2).length);
    const logs = await call('tx.logs', zkos.tx.logs.query({ fromBlock: 2, toBlock: 2, limit: 100 }));
    expect(logs.logs.length).toBe(store.reader.logs(2).length);
  });

  it('zksync outputs', async () => {
    const l2 = await call('zksync.l2ToL1', zkos.zksync.l2ToL1.query({ block: 2 }));
    expect(l2.logs.length).toBe(store.reader.l2.logs(2).length);
    const p = await call('zksync.pubdata', zkos.zksync.pubdata.query({ block: 2 }));
    expect(p.size).toBe((await zkos.chain.block.query({ block: 2, withPubdataSize: true })).pubdataSize);
    const l1 = await call('zksync.l1Transactions', zkos.zksync.l1Transactions.query({ block: 2 }));
    expect(l1.transactions.length).toBe(receipts(2).filter((x) => x.type === 0xff).length);
  });

  it('state: an old balance differs from the head one where it changed; a token balance slot', async () => {
    const sender = receipts(2).find((x) => x.type === 2)!.from;
    const now = await call('state.account', zkos.state.account.query({ address: addrHex(sender) }));
    const then = await zkos.state.account.query({ address: addrHex(sender), block: 1 });
    expect(BigInt(now.balance)).toBe(store.accountAt(sender, 2)!.balance);
    expect(BigInt(then.balance)).toBe(store.accountAt(sender, 1)!.balance);
    expect(now.balance).not.toBe(then.balance);
    const token = demoToken(db.run.accounts);
    const slot = await call('state.storage', zkos.state.storage.query({ address: addrHex(token), slot: `0x${tokenBalanceSlot(db.run.accounts[0].address).toString(16)}` }));
    expect(BigInt(slot.value)).toBe(db.run.state.tokens[0]);
  });

  it('execution: oracle queries, IO events, call trace, prestate, state diffs', async () => {
    const q = await call('execution.oracleQueries', zkos.execution.oracleQueries.query({ block: 1, limit: 5 }));
    expect(q.total).toBe(store.reader.blockLogs(1)!.oracleLog.length);
    const ev = await call('execution.ioEvents', zkos.execution.ioEvents.query({ block: 1, tx: 1, limit: 1000 }));
    expect(ev.events.every((e) => e.tx === 1)).toBe(true);
    const r = receipts(2).find((x) => x.to === demoToken(db.run.accounts) && x.success)!;
    const hash = bytesToHex(r.hash);
    const trace = await call('execution.callTrace', zkos.execution.callTrace.query({ hash }));
    expect(trace.to).toBe(addrHex(r.to!));
    expect(BigInt(trace.gasUsed)).toBe(r.gasUsed);
    const pre = await call('execution.prestate', zkos.execution.prestate.query({ hash }));
    expect(pre).toHaveProperty(addrHex(r.from));
    const diff = await call('execution.stateDiff', zkos.execution.stateDiff.query({ hash }));
    expect(Object.keys(diff.post)).toContain(addrHex(r.from));
    const block = await zkos.execution.stateDiff.query({ block: 2 });
    expect(Object.keys(block.post).length).toBeGreaterThanOrEqual(store.reader.stateDiff(2).length - Object.keys(block.pre).length);
  });

  it('replay: a block forward and proving; a range as a job followed over server-sent events', async () => {
    const v = await call('replay.block', zkos.replay.block.query({ number: 1 }));
    expect(v.ok).toBe(true);
    expect((await zkos.replay.block.query({ number: 2, mode: 'proving' })).ok).toBe(true);
    const job = await call('replay.start', zkos.replay.start.mutate({ from: 1, to: 2 }));
    const events = await call(
      'replay.progress',
      take<{ id: string; data: { type: string } }>((h) => zkos.replay.progress.subscribe({ id: job.id }, h), 3),
    );
    expect(events.map((e) => [e.id, e.data.type])).toEqual([
      ['0', 'block'],
      ['1', 'block'],
      ['2', 'end'],
    ]);
    expect((await call('replay.job', zkos.replay.job.query({ id: job.id }))).state).toBe('done');
    expect((await call('replay.jobs', zkos.replay.jobs.query())).map((j) => j.id)).toContain(job.id);
    expect((await call('replay.cancel', zkos.replay.cancel.mutate({ id: job.id }))).state).toBe('done');
  });

  it('witness: the tape of a block', async () => {
    const w = await call('witness.block', zkos.witness.block.query({ number: 1 }));
    expect(w.text!.length).toBe(8 * w.words);
  });

  it('ingest through the API shows up on the new-blocks subscription', async () => {
    const last = await zkos.chain.block.query({ block: 'latest' });
    const timestamp = Number(BigInt(last.timestamp)) + 2;
    const deposit = { type: 'l1', from: '0x1111000000000000000000000000000000001111', to: '0x00000000000000000000000000000000000e2e2e', gasLimit: '300000', gasPerPubdataByteLimit: '800', maxFeePerGas: '1000', value: '42', toMint: '300000042', refundRecipient: '0x1111000000000000000000000000000000001111' };
    let ingested: Awaited<ReturnType<typeof zkos.ingest.blocks.mutate>> | null = null;
    const events = await call(
      'chain.onNewBlock',
      take<{ id: string; data: { number: number; hash: string | null } }>(
        (h) => zkos.chain.onNewBlock.subscribe({ afterBlock: last.number }, h),
        1,
        async () => (ingested = await call('ingest.blocks', zkos.ingest.blocks.mutate({ file: { blocks: [{ context: { timestamp, baseFee: '1000', nativePrice: '10' }, transactions: [deposit] }] } }))),
      ),
    );
    expect(events[0].id).toBe(String(last.number + 1));
    expect(events[0].data.hash).toBe(ingested!.blocks[0].hash);
    expect((await zkos.state.account.query({ address: deposit.to })).balance).toBe('0x2a');
  });

  it('every procedure of the router was called over HTTP', () => {
    expect([...called].sort()).toEqual(Object.keys(appRouter._def.procedures).sort());
  });
});

describe('safe to expose', () => {
  it('bad inputs: 400 with what is wrong', async () => {
    const a = await failure(zkos.state.account.query({ address: '0x12' }));
    expect(a).toEqual({ status: 400, message: 'invalid input: input.address: expected an address: 0x and 40 hex digits' });
    expect((await failure(zkos.tx.logs.query({ fromBlock: 2, toBlock: 1 }))).status).toBe(400);
    expect((await failure(zkos.chain.blocks.query({ from: 0, limit: 100_000 }))).message).toMatch(/maximum page of 1000/);
    expect((await failure(zkos.chain.block.query({ block: 77 }))).status).toBe(404);
    const bad = await failure(zkos.ingest.blocks.mutate({ file: { blocks: [{ context: { timestamp: 1 }, transactions: [] }] } }));
    expect(bad.status).toBe(400);
    expect(bad.message).toMatch(/context\.baseFee: is required; nothing was written/);
    // A raw request with broken JSON input is a 400 too, never a crash.
    const res = await fetch(`${url}/chain.block?input=%7Bnot-json`);
    expect(res.status).toBe(400);
    expect(await res.text()).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('tokens: missing or wrong give 401 and name the problem', async () => {
    const missing = await failure(anonymous.witness.block.query({ number: 1 }));
    expect(missing.status).toBe(401);
    expect(missing.message).toMatch(/needs the API token/);
    expect((await failure(wrong.replay.start.mutate({ from: 1 }))).status).toBe(401);
    expect((await failure(anonymous.replay.block.query({ number: 1, mode: 'proving' }))).status).toBe(401);
    expect((await anonymous.chain.head.query()).number).toBeGreaterThan(0);
  });

  it('a body over 1 MB: 413, nothing read past the limit', async () => {
    const res = await fetch(`${url}/ingest.blocks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKEN}` },
      body: JSON.stringify({ file: { blocks: [], padding: 'x'.repeat(1_100_000) } }),
    });
    expect(res.status).toBe(413);
  });

  it('stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toContain('serve: stopping');
    expect(stderr).not.toMatch(/unexpected error/);
  });
});
