// replay.*, witness.*, ingest.* and the new-blocks subscription, in-process: verdicts against the
// stored digests and public inputs, a witness proved by its own tape, jobs and their progress,
// the run cap, the token rules, and blocks written through the API.
import { isTrackedEnvelope, TRPCError } from '@trpc/server';
import type { JobEvent } from '../../server/api/replay/jobs.ts';
import type { BlockView } from '../../server/api/chain/view.ts';
import Database from 'better-sqlite3';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesToHex } from '../../machine/common/bytes.ts';
import { ZksyncProfile } from '../../machine/bootloader/zksync/profile.ts';
import { signTransaction } from '../../machine/tx/encode.ts';
import { witnessFromText } from '../../machine/oracle/witness.ts';
import type { Chain } from '../../storage/chain.ts';
import { CorruptBlockData } from '../../storage/errors.ts';
import { proveTape } from '../../storage/witness.ts';
import { DEMO_CHAIN_ID, demoKey } from '../../server/demo/workload.ts';
import type { ApiServices } from '../../server/api/services.ts';
import { type ApiFixture, type DemoDb, TEST_TOKEN, apiFixture, caller, demoDb, services } from './helpers.ts';

let db: DemoDb;
let s: ApiServices;
let store: Chain;
let c: ReturnType<typeof caller>;

let f: ApiFixture;
beforeAll(() => {
  f = apiFixture(3, 16, { limits: { headPollMs: 20 } });
  ({ db, s, store, c } = f);
});
afterAll(() => f.close());

async function failure(p: Promise<unknown>): Promise<TRPCError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e, 'the call should have failed').toBeInstanceOf(TRPCError);
  return e as TRPCError;
}

/**
 * Collects a subscription's tracked events as { id, data } (in-process, tRPC hands out the
 * tracked envelopes themselves) until `stop` says enough, or `max` events.
 */
async function collect<T>(it: AsyncIterable<unknown>, stop: (e: { id: string; data: T }) => boolean, max = 100): Promise<Array<{ id: string; data: T }>> {
  const out: Array<{ id: string; data: T }> = [];
  for await (const v of it) {
    if (!isTrackedEnvelope(v)) throw new Error(`expected tracked events, got ${JSON.stringify(v)}`);
    const e = { id: v[0], data: v[1] as T };
    out.push(e);
    if (stop(e) || out.length >= max) break;
  }
  return out;
}

describe('replay', () => {
  it('forward: identical, with the stored output digest', async () => {
    const v = await c.replay.block({ number: 2 });
    expect(v).toMatchObject({ block: 2, mode: 'forward', ok: true });
    expect(v.mode === 'forward' && v.ok && v.digest).toBe(bytesToHex(store.reader.block(2)!.outputDigest));
  });

  it('proving: the public input the tree stage stored, reproduced from the tape', async () => {
    const v = await c.replay.block({ number: 3, mode: 'proving' });
    if (v.mode !== 'proving' || !('publicInput' in v)) throw new Error(`expected a proving verdict, got ${JSON.stringify(v)}`);
    expect(v.ok).toBe(true);
    expect(v.publicInput).toBe(bytesToHex(store.commitment(3)!.publicInput!));
    expect(v.storedPublicInput).toBe(v.publicInput);
    expect((await c.chain.block({ block: 3 })).publicInput).toBe(v.publicInput);
  });

  it('a block beyond the head or the genesis block: named errors', async () => {
    expect((await failure(c.replay.block({ number: 9 }))).code).toBe('NOT_FOUND');
    const genesis = await failure(c.replay.block({ number: 0 }));
    expect(genesis.code).toBe('BAD_REQUEST');
    expect(genesis.message).toMatch(/genesis state: nothing ran/);
  });

  it('a range job: a verdict per block on the progress subscription, then its end', async () => {
    const job = await c.replay.start({ from: 1, to: 3 });
    expect(job).toMatchObject({ from: 1, to: 3, total: 3, mode: 'forward' });
    const events = await collect<JobEvent>(await c.replay.progress({ id: job.id }), (e) => e.data.type === 'end');
    expect(events.map((e) => e.id)).toEqual(['0', '1', '2', '3']);
    const blocks = events.flatMap((e) => (e.data.type === 'block' ? [e.data.verdict] : []));
    expect(blocks.map((v) => [v.block, v.ok])).toEqual([
      [1, true],
      [2, true],
      [3, true],
    ]);
    expect(events[3].data).toMatchObject({ type: 'end', state: 'done', ok: 3, failed: 0 });
    expect(await c.replay.job({ id: job.id })).toMatchObject({ state: 'done', done: 3, ok: 3 });
    // Resuming after event 1 gives the rest only.
    const rest = await collect<JobEvent>(await c.replay.progress({ id: job.id, lastEventId: '1' }), (e) => e.data.type === 'end');
    expect(rest.map((e) => e.id)).toEqual(['2', '3']);
  });

  it('the run cap: a second run is refused while a job holds the only slot; a cancelled job ends', async () => {
    const capped = services(db.path, { limits: { maxConcurrentRuns: 1 } });
    try {
      const k = caller(capped);
      const job = await k.replay.start({ from: 1, to: 3, mode: 'proving' });
      const refused = await failure(k.replay.block({ number: 1 }));
      expect(refused.code).toBe('TOO_MANY_REQUESTS');
      expect(refused.message).toMatch(/the cap is 1/);
      await k.replay.cancel({ id: job.id });
      const events = await collect<JobEvent>(await k.replay.progress({ id: job.id }), (e) => e.data.type === 'end');
      expect(events[events.length - 1].data).toMatchObject({ type: 'end', state: 'cancelled' });
      expect((await k.replay.block({ number: 1 })).ok).toBe(true);
    } finally {
      capped.close();
    }
  });

  it('ranges are checked: empty, beyond the head, unknown job', async () => {
    expect((await failure(c.replay.start({ from: 3, to: 2 }))).message).toMatch(/empty range 3\.\.2/);
    expect((await failure(c.replay.start({ from: 1, to: 99 }))).code).toBe('NOT_FOUND');
    expect((await failure(c.replay.job({ id: '00000000-0000-4000-8000-000000000000' }))).code).toBe('NOT_FOUND');
    expect((await failure(c.replay.job({ id: 'nope' }))).message).toMatch(/input\.id: expected a replay job id/);
  });
});

describe('corrupt stored data', () => {
  it('is a replay verdict naming the part; other reads fail with INTERNAL_SERVER_ERROR naming the block', async () => {
    const copy = join(db.dir, 'corrupt.db');
    copyFileSync(db.path, copy);
    const raw = new Database(copy);
    const blob = raw.prepare('SELECT oracle_log FROM block_logs WHERE block = 2').pluck().get() as Buffer;
    blob[blob.length >> 1] ^= 0x01;
    raw.prepare('UPDATE block_logs SET oracle_log = ? WHERE block = 2').run(blob);
    raw.close();
    const bad = services(copy);
    try {
      const k = caller(bad);
      expect(await k.replay.block({ number: 2 })).toMatchObject({ block: 2, ok: false, at: 'corrupt', part: 'oracle_log', code: 'BAD_CHECKSUM' });
      const e = await failure(k.execution.oracleQueries({ block: 2 }));
      expect(e.code).toBe('INTERNAL_SERVER_ERROR');
      expect(e.message).toMatch(/^corrupt stored data: block 2 oracle_log BAD_CHECKSUM/);
      expect(e.cause).toBeInstanceOf(CorruptBlockData);
      // The other blocks still read.
      expect((await k.replay.block({ number: 1 })).ok).toBe(true);
    } finally {
      bad.close();
    }
  });
});

describe('witness', () => {
  it('the tape as CSR_READS_DUMP text and base64 words; proving it alone gives the public input', async () => {
    const w = await c.witness.block({ number: 2, format: 'both' });
    expect(w.text!.length).toBe(8 * w.words);
    expect(w.text).toMatch(/^[0-9A-F]+$/);
    expect(Buffer.from(w.base64!, 'base64').toString('hex')).toBe(w.text!.toLowerCase());
    const out = proveTape(witnessFromText(w.text!), new ZksyncProfile());
    expect(bytesToHex(out.publicInput!.hash)).toBe(bytesToHex(store.commitment(2)!.publicInput!));
  });
});

describe('the token', () => {
  it('missing or wrong: UNAUTHORIZED; a server without one: FORBIDDEN', async () => {
    const none = await failure(caller(s, null).replay.start({ from: 1 }));
    expect(none.code).toBe('UNAUTHORIZED');
    expect(none.message).toMatch(/needs the API token/);
    expect((await failure(caller(s, 'wrong').witness.block({ number: 1 }))).code).toBe('UNAUTHORIZED');
    expect((await failure(caller(s, null).replay.block({ number: 1, mode: 'proving' }))).code).toBe('UNAUTHORIZED');
    // Public procedures need nothing.
    expect((await caller(s, null).replay.block({ number: 1 })).ok).toBe(true);
    const open = services(db.path, { token: null });
    try {
      const e = await failure(caller(open, TEST_TOKEN).ingest.blocks({ file: [] }));
      expect(e.code).toBe('FORBIDDEN');
      expect(e.message).toMatch(/started without an API token/);
    } finally {
      open.close();
    }
  });
});

describe('ingest and new blocks', () => {
  it('a block file executed through the writer; the subscription sees it; a bad file writes nothing', async () => {
    const w = demoDb(1, 8);
    const ws = services(w.path, { limits: { headPollMs: 20 } });
    try {
      const k = caller(ws);
      const head = (await k.chain.head()).number;
      const sub = await k.chain.onNewBlock({ afterBlock: head });
      const seen = collect<BlockView>(sub, () => true);
      const nonce = BigInt((await k.state.account({ address: `0x${w.run.accounts[1].address.toString(16).padStart(40, '0')}` })).nonce);
      const fresh = '0x00000000000000000000000000000000000f4e54';
      const env = signTransaction({ type: 2, chainId: DEMO_CHAIN_ID, nonce, to: BigInt(fresh), value: 5000n, gasLimit: 100_000n, maxFeePerGas: 2000n, maxPriorityFeePerGas: 100n }, demoKey(1));
      const deposit = { type: 'l1', from: '0x1111000000000000000000000000000000001111', to: fresh, gasLimit: '300000', gasPerPubdataByteLimit: '800', maxFeePerGas: '1000', value: '777', toMint: '300000777', refundRecipient: '0x1111000000000000000000000000000000001111' };
      const timestamp = Number(BigInt((await k.chain.block({ block: 'latest' })).timestamp)) + 2;
      const r = await k.ingest.blocks({ file: { blocks: [{ context: { timestamp, baseFee: '1000', nativePrice: '10' }, transactions: [deposit, bytesToHex(env)] }] } });
      expect(r.blocks.map((b) => b.number)).toEqual([head + 1]);
      expect(r.blocks[0].transactions.map((t) => t.status)).toEqual(['success', 'success']);
      const [event] = await seen;
      expect(event.id).toBe(String(head + 1));
      expect(event.data.hash).toBe(r.blocks[0].hash);
      expect(event.data.publicInput).toMatch(/^0x[0-9a-f]{64}$/);
      // The read-only connection sees what the writer wrote.
      expect((await k.state.account({ address: fresh })).balance).toBe(`0x${(777n + 5000n).toString(16)}`);
      const second = r.blocks[0].transactions[1];
      expect(second.status === 'success' && (await k.tx.receipt({ hash: second.hash })).status).toBe('0x1');

      const bad = await failure(k.ingest.blocks({ file: { blocks: [{ context: { number: '1', timestamp, baseFee: '1000', nativePrice: '10' }, transactions: [] }] } }));
      expect(bad.code).toBe('BAD_REQUEST');
      expect(bad.message).toMatch(/context\.number: is 1, but the next block of the chain is 3; nothing was written/);
      expect((await k.chain.head()).number).toBe(head + 1);
    } finally {
      ws.close();
      w.cleanup();
    }
  });
});
