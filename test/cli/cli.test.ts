// The chain commands as a user runs them: `node bin/zkos.js …` in child processes on temporary
// databases — demo (new and continued), replay (identical, corrupted, proving), witness and prove, ingest
// (the README example, a malformed transaction, an invalid file).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'zkos-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function zkos(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/zkos.js'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const blockCount = (db: string): number => {
  const d = new Database(db, { readonly: true });
  try {
    return (d.prepare('SELECT COUNT(*) AS n FROM blocks').get() as { n: number }).n;
  } finally {
    d.close();
  }
};

describe('zkos demo and replay', () => {
  const db = join(dir, 'demo', 'chain.db');

  it('creates a chain (and its directory) and runs the workload, every outcome as planned', () => {
    const r = zkos('demo', '--db', db, '--blocks', '3', '--txs-per-block', '40');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('new chain');
    expect(r.stdout).toMatch(/blocks\s+3 \(1\.\.3\)/);
    expect(r.stdout).toMatch(/transactions\s+120: \d+ succeeded, [1-9]\d* reverted, 3 rejected \(NonceTooHigh ×3\)/);
    expect(r.stdout).toContain('every outcome as planned (');
    expect(r.stdout).toMatch(/throughput\s+\d+ tx\/s/);
    expect(r.stdout).toMatch(/head\s+block 3, hash 0x[0-9a-f]{64}/);
    // Not a TTY: one progress line per tenth at most.
    expect(r.stderr).toContain('demo 3/3 (100%)');
  });

  it('continues the chain: nonces and the token come from the stored state', () => {
    const r = zkos('demo', '--db', db, '--blocks', '2', '--txs-per-block', '30');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('continuing the chain');
    expect(r.stdout).toMatch(/blocks\s+2 \(4\.\.5\)/);
    expect(r.stdout).toContain('rejected (NonceTooHigh ×2)');
    expect(r.stdout).toContain('every outcome as planned (');
    expect(blockCount(db)).toBe(6);
  });

  it('replays the whole range identically', () => {
    const r = zkos('replay', '--db', db);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (let n = 1; n <= 5; n++) expect(r.stdout).toMatch(new RegExp(`block ${n}: identical`));
    expect(r.stdout).toContain('replayed 5 blocks (1..5) in forward mode: 5 identical, 0 divergent, 0 corrupt');
    expect(zkos('replay', '--db', db, '--from', '2', '--to', '3').stdout).toContain('replayed 2 blocks (2..3) in forward mode: 2 identical');
  });

  it('the demo ran the tree stage: a state root and a public input per block', () => {
    const d = new Database(db, { readonly: true });
    const rows = d.prepare('SELECT block, public_input FROM tree_commitments ORDER BY block').all() as Array<{ block: number; public_input: Buffer | null }>;
    d.close();
    expect(rows.map((r) => r.block)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(rows[0].public_input).toBeNull();
    expect(new Set(rows.slice(1).map((r) => r.public_input!.toString('hex'))).size).toBe(5);
  });

  it('proving replay: every block proven against its stored public input', () => {
    const r = zkos('replay', '--db', db, '--mode', 'proving', '--from', '2');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (let n = 2; n <= 5; n++) expect(r.stdout).toMatch(new RegExp(`block ${n}: proven \\(public input 0x[0-9a-f]{64}, [\\d,]+ tape words`));
    expect(r.stdout).toContain('replayed 4 blocks (2..5) in proving mode: 4 proven, 0 not proven, 0 corrupt');
  });

  it('witness, then prove on the file alone: the stored public input and output digest', () => {
    const file = join(dir, 'block3.witness');
    const w = zkos('witness', '--db', db, '--block', '3', '--out', file);
    expect(w.code, w.stderr).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^[0-9A-F]+$/);
    expect(text.length % 8).toBe(0);
    const d = new Database(db, { readonly: true });
    const pi = (d.prepare('SELECT public_input FROM tree_commitments WHERE block = 3').get() as { public_input: Buffer }).public_input.toString('hex');
    const digest = (d.prepare('SELECT output_digest FROM blocks WHERE number = 3').get() as { output_digest: Buffer }).output_digest.toString('hex');
    d.close();
    const p = zkos('prove', '--witness', file);
    expect(p.code, p.stderr).toBe(0);
    expect(p.stdout).toBe(`public input: 0x${pi}\noutput digest: 0x${digest}\n`);
    // Stdout form of the same witness is the same text.
    expect(zkos('witness', '--db', db, '--block', '3').stdout).toBe(text);
  });

  it('a changed witness word is not proven (or proves something else); a cut witness is refused', () => {
    const file = join(dir, 'block3.witness');
    const text = readFileSync(file, 'utf8');
    const pi = zkos('prove', '--witness', file).stdout.split('\n')[0];
    const words = text.length / 8;
    for (const at of [0, 7, Math.floor(words / 3), Math.floor(words / 2), words - 3]) {
      const w = text.slice(at * 8, at * 8 + 8);
      const flipped = (parseInt(w, 16) ^ 0x10).toString(16).toUpperCase().padStart(8, '0');
      const bad = join(dir, `bad${at}.witness`);
      writeFileSync(bad, text.slice(0, at * 8) + flipped + text.slice(at * 8 + 8));
      const r = zkos('prove', '--witness', bad);
      if (r.code === 0) expect(r.stdout.split('\n')[0], `word ${at}`).not.toBe(pi);
      else expect(r.stderr, `word ${at}`).toMatch(/zkos prove: not proven: /);
    }
    const cut = join(dir, 'cut.witness');
    writeFileSync(cut, text.slice(0, text.length - 8));
    const r = zkos('prove', '--witness', cut);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('not proven');
  });

  it('witness refuses the genesis block and a block beyond the head', () => {
    const g = zkos('witness', '--db', db, '--block', '0');
    expect(g.code).toBe(2);
    const far = zkos('witness', '--db', db, '--block', '99');
    expect(far.code).toBe(1);
    expect(far.stderr).toContain('BLOCK_NOT_FOUND');
  });

  it('a tampered stored public input makes proving replay fail for that block only', () => {
    const d = new Database(db);
    d.prepare('UPDATE tree_commitments SET public_input = zeroblob(32) WHERE block = 4').run();
    d.close();
    const r = zkos('replay', '--db', db, '--mode', 'proving', '--from', '3');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('block 3: proven');
    expect(r.stdout).toMatch(/block 4: NOT PROVEN: public input 0x[0-9a-f]{64} differs from the stored 0x0{64}/);
    expect(r.stdout).toContain('block 5: proven');
    const d2 = new Database(db);
    d2.prepare('UPDATE tree_commitments SET public_input = ? WHERE block = 4').run(Buffer.from(r.stdout.match(/block 4: NOT PROVEN: public input 0x([0-9a-f]{64})/)![1], 'hex'));
    d2.close();
  });

  it('a flipped byte in a stored oracle log fails the replay, naming the block', () => {
    const d = new Database(db);
    const row = d.prepare('SELECT oracle_log FROM block_logs WHERE block = 2').get() as { oracle_log: Buffer };
    const blob = Buffer.from(row.oracle_log);
    blob[Math.floor(blob.length / 2)] ^= 0x01;
    d.prepare('UPDATE block_logs SET oracle_log = ? WHERE block = 2').run(blob);
    d.close();
    const r = zkos('replay', '--db', db);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/block 2: CORRUPT oracle_log/);
    expect(r.stdout).toContain('block 3: identical');
    expect(r.stdout).toContain('4 identical, 0 divergent, 1 corrupt');
  });
});

describe('zkos ingest', () => {
  const db = join(dir, 'ingest.db');

  it('executes examples/blocks.json: genesis, then each block with its counts and gas', () => {
    const r = zkos('ingest', '--db', db, 'examples/blocks.json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('genesis: block 0, 3 accounts, chain id 270');
    expect(r.stdout).toMatch(/block 1: 4 txs \(4 succeeded, 0 reverted, 0 rejected\), gas [\d,]+/);
    expect(r.stdout).toMatch(/block 2: 4 txs \(2 succeeded, 1 reverted, 1 rejected\), gas [\d,]+/);
    expect(r.stdout).toContain('tx 3: rejected NonceTooHigh');
    expect(zkos('replay', '--db', db).code).toBe(0);
  });

  it('a malformed transaction is rejected by the machine and the block goes on', () => {
    const ex = JSON.parse(readFileSync(join(ROOT, 'examples/blocks.json'), 'utf8')) as { blocks: Array<{ transactions: unknown[] }> };
    const good = ex.blocks[0].transactions[1] as string; // signed by account 1 with nonce 0: now too low
    const file = join(dir, 'malformed.json');
    writeFileSync(file, JSON.stringify({ blocks: [{ context: { timestamp: '1700000010', baseFee: '1000', nativePrice: '10' }, transactions: ['0x02deadbeef', good] }] }));
    const r = zkos('ingest', '--db', db, file);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/block 3: 2 txs \(0 succeeded, 0 reverted, 2 rejected\)/);
    expect(r.stdout).toMatch(/tx 0: rejected InvalidEncoding/);
    expect(r.stdout).toMatch(/tx 1: rejected NonceTooLow/);
    expect(blockCount(db)).toBe(4);
  });

  it('an invalid file: a clear error naming the block and position, exit non-zero, nothing written', () => {
    const file = join(dir, 'invalid.json');
    writeFileSync(
      file,
      JSON.stringify({
        blocks: [
          { context: { timestamp: '1700000020', baseFee: '1000', nativePrice: '10' }, transactions: [] },
          { context: { number: 5, timestamp: '1700000022', baseFee: '1000', nativePrice: '10' }, transactions: ['0x00', { type: 'l1', from: '0x12', to: `0x${'11'.repeat(20)}`, gasLimit: '300000', gasPerPubdataByteLimit: '800', maxFeePerGas: '1000', toMint: '300000000', refundRecipient: `0x${'22'.repeat(20)}` }] },
        ],
      }),
    );
    const r = zkos('ingest', '--db', db, file);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('block 5 (blocks[1]), transaction 1: from: expected an address');
    expect(r.stderr).toContain('nothing was written');
    expect(blockCount(db)).toBe(4);

    writeFileSync(file, JSON.stringify({ blocks: [{ context: { number: 9, timestamp: '1700000020', baseFee: '1000', nativePrice: '10' }, transactions: [] }] }));
    const wrong = zkos('ingest', '--db', db, file);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('block 4 (blocks[0]).context.number: is 9, but the next block of the chain is 4');
    expect(blockCount(db)).toBe(4);

    const fresh = join(dir, 'never.db');
    expect(zkos('ingest', '--db', fresh, file).code).toBe(1);
    expect(existsSync(fresh)).toBe(false);
  });
});
