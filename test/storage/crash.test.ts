// Crash safety: SIGKILL a real `zkos demo` child process at random moments, 50 times. After each
// kill the database opens, holds only whole blocks (numbered 1..head, every transaction of each
// present, the last one replaying identically), and the next run continues from head + 1.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openChain } from '../../storage/chain.ts';
import { tempDir } from './helpers.ts';

const BIN = fileURLToPath(new URL('../../bin/zkos.js', import.meta.url));
const KILLS = 50;
const dir = tempDir();
afterAll(() => dir.cleanup());

function runDemo(db: string, killAfterMs: number | null): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'demo', '--db', db, '--blocks', killAfterMs === null ? '2' : '400', '--txs-per-block', '20'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const timer = killAfterMs === null ? null : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal === null && code !== 0) reject(new Error(`demo exited with ${code}: ${stderr.slice(-2000)}`));
      else resolve(code);
    });
  });
}

/** Whole blocks only: 1..head with every transaction row; returns the head. */
function checkWhole(db: string): number {
  const raw = new Database(db, { readonly: true });
  try {
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    const blocks = raw.prepare('SELECT number, tx_count FROM blocks WHERE number > 0 ORDER BY number').all() as Array<{ number: number; tx_count: number }>;
    const counts = new Map((raw.prepare('SELECT block, COUNT(*) AS n FROM transactions GROUP BY block').all() as Array<{ block: number; n: number }>).map((r) => [r.block, r.n]));
    blocks.forEach((b, i) => {
      expect(b.number).toBe(i + 1);
      expect(counts.get(b.number) ?? 0).toBe(b.tx_count);
    });
    const logs = raw.prepare('SELECT COUNT(*) FROM block_logs WHERE block > 0').pluck().get() as number;
    expect(logs).toBe(blocks.length);
    // The tree stage: whole steps only, never ahead of the blocks.
    const stage = raw.prepare('SELECT block, next_free FROM tree_commitments ORDER BY block').all() as Array<{ block: number; next_free: number }>;
    stage.forEach((c, i) => expect(c.block).toBe(i));
    expect(stage.length).toBeLessThanOrEqual(blocks.length + 1);
    const leaves = raw.prepare('SELECT COUNT(*) FROM tree_leaves').pluck().get() as number;
    expect(leaves).toBe(stage.length === 0 ? 0 : stage[stage.length - 1].next_free - 2);
    return blocks.length;
  } finally {
    raw.close();
  }
}

describe('crash safety', () => {
  it(`survives ${KILLS} SIGKILLs while ingesting: whole blocks only, replayable, resumable`, async () => {
    const db = dir.file('crash.db');
    let seed = 4242;
    const rand = (lo: number, hi: number) => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return lo + (seed % (hi - lo));
    };
    let lastHead = 0;
    let grew = 0;
    for (let k = 0; k < KILLS; k++) {
      // Start-up takes ~0.5-1 s; kill anywhere from before the first block to well into the run.
      await runDemo(db, rand(300, 2500));
      let head = 0;
      try {
        head = checkWhole(db);
      } catch (e) {
        // Killed before the database was created (a slow start on a loaded machine): nothing to check yet.
        // Or killed while the first migration ran: a file with no schema yet, migrated at the next open.
        if (lastHead === 0 && (existsSync(db) ? /no such table/ : /unable to open/).test(String(e))) continue;
        throw e;
      }
      expect(head).toBeGreaterThanOrEqual(lastHead);
      if (head > lastHead) grew++;
      if (head > 0 && head !== lastHead) {
        const chain = openChain(db, { readonly: true });
        try {
          expect(chain.replayBlock(head).identical).toBe(true);
        } finally {
          chain.close();
        }
      }
      lastHead = head;
    }
    expect(grew).toBeGreaterThan(5);
    // A clean run continues from the next block.
    await runDemo(db, null);
    expect(checkWhole(db)).toBe(lastHead + 2);
    const chain = openChain(db, { readonly: true });
    try {
      for (let n = 1; n <= lastHead + 2; n++) expect(chain.replayBlock(n).identical, `block ${n}`).toBe(true);
      // The tree stage caught up over every kill between a block and its stage step, and its
      // public inputs are the proving runs' own.
      expect(chain.tree.head()).toBe(lastHead + 2);
      for (let n = Math.max(1, lastHead - 1); n <= lastHead + 2; n++) expect(chain.proveBlock(n).ok, `block ${n}`).toBe(true);
    } finally {
      chain.close();
    }
  }, 300_000);
});
