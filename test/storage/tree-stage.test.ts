// The tree stage over a stored chain: commitments and public inputs per block, the stored tree
// reloading to the same roots at every version, proving replay from a connection that never ran
// the stage, resumption after an interruption, and tampered tree data named with its block.
import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesToHex } from '../../machine/common/bytes.ts';
import { FlatTree } from '../../machine/tree/flat/tree.ts';
import { openChain, type Chain } from '../../storage/chain.ts';
import { ProvingError } from '../../storage/errors.ts';
import { applyWrites } from '../../storage/tree-stage.ts';
import { tempDir, type TempDir } from './helpers.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BLOCKS = 4;
let tmp: TempDir;
let db: string;
let chain: Chain;

/** A fresh copy of the demo database (the WAL is checkpointed by the demo's close). */
function copy(name: string): string {
  const to = tmp.file(name);
  copyFileSync(db, to);
  return to;
}

function withDb(path: string, f: (d: Database.Database) => void): void {
  const d = new Database(path);
  try {
    f(d);
  } finally {
    d.close();
  }
}

beforeAll(() => {
  tmp = tempDir();
  db = tmp.file('demo.db');
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/zkos.js'), 'demo', '--db', db, '--blocks', String(BLOCKS), '--txs-per-block', '40'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`demo failed: ${r.stderr}`);
  chain = openChain(db, { readonly: true });
}, 150_000);
afterAll(() => {
  chain.close();
  tmp.cleanup();
});

describe('the tree stage', () => {
  it('stored a commitment for every block and a public input for every block that ran', () => {
    expect(chain.tree.head()).toBe(BLOCKS);
    expect(chain.commitment(0)!.publicInput).toBeNull();
    let next = chain.commitment(0)!.nextFreeSlot;
    for (let n = 1; n <= BLOCKS; n++) {
      const c = chain.commitment(n)!;
      expect(c.publicInput).toHaveLength(32);
      expect(c.nextFreeSlot).toBeGreaterThanOrEqual(next); // leaves are never removed
      next = c.nextFreeSlot;
    }
  });

  it('reloads the stored tree at every version to the stored root', () => {
    for (let v = 0; v <= BLOCKS; v++) {
      const t = chain.tree.treeAt(v);
      expect(bytesToHex(t.root()), `version ${v}`).toBe(bytesToHex(chain.commitment(v)!.root));
      expect(t.nextFreeSlot).toBe(chain.commitment(v)!.nextFreeSlot);
    }
  });

  it('equals a tree built from nothing but the stored writes, block by block', () => {
    const t = new FlatTree();
    for (let v = 0; v <= BLOCKS; v++) {
      applyWrites(t, chain.reader.storageWrites(v));
      expect(bytesToHex(t.root())).toBe(bytesToHex(chain.commitment(v)!.root));
    }
  });

  it('proving replay on a connection whose database never ran the stage gives the stored public inputs', () => {
    const bare = copy('bare.db');
    withDb(bare, (d) => {
      d.exec('DELETE FROM tree_leaves; DELETE FROM tree_commitments;');
    });
    const c = openChain(bare, { readonly: true });
    try {
      for (let n = 1; n <= BLOCKS; n++) {
        const v = c.proveBlock(n);
        expect(v.ok, v.detail).toBe(true);
        expect(v.storedPublicInput).toBeNull();
        expect(v.publicInput).toBe(bytesToHex(chain.commitment(n)!.publicInput!));
        expect(v.outputDigest).toBe(bytesToHex(chain.reader.block(n)!.outputDigest));
      }
      // Out of order: the tree is rebuilt for the earlier block.
      expect(c.proveBlock(2).ok).toBe(true);
    } finally {
      c.close();
    }
  });

  it('resumes after an interruption: the missing blocks are redone identically', () => {
    const cut = copy('cut.db');
    const head = chain.commitment(2)!;
    withDb(cut, (d) => {
      d.prepare('DELETE FROM tree_leaves WHERE idx >= ?').run(Number(head.nextFreeSlot));
      d.prepare('DELETE FROM tree_commitments WHERE block > 2').run();
    });
    const c = openChain(cut);
    try {
      expect(c.tree.head()).toBe(2);
      const steps: number[] = [];
      expect(c.advanceTree(undefined, (s) => steps.push(s.block))).toBe(BLOCKS - 2);
      expect(steps).toEqual([3, 4]);
      for (let n = 0; n <= BLOCKS; n++) {
        expect(bytesToHex(c.commitment(n)!.root)).toBe(bytesToHex(chain.commitment(n)!.root));
        expect(c.commitment(n)!.publicInput).toEqual(chain.commitment(n)!.publicInput);
      }
      expect(c.advanceTree()).toBe(0);
    } finally {
      c.close();
    }
  });

  it('a changed stored value or a lost leaf row fails the tree load, naming the block', () => {
    for (const name of ['value', 'leaf']) {
      const bad = copy(`bad-${name}.db`);
      withDb(bad, (d) => {
        if (name === 'leaf') d.exec('DELETE FROM tree_leaves WHERE idx = 5');
        else {
          // A slot block 1 wrote and block 2 did not: its value as of block 2 is the changed one.
          const r = d
            .prepare('SELECT address, key FROM slot_history h WHERE block = 1 AND NOT EXISTS (SELECT 1 FROM slot_history l WHERE l.address = h.address AND l.key = h.key AND l.block = 2) LIMIT 1')
            .get() as { address: Buffer; key: Buffer };
          d.prepare('UPDATE slot_history SET value = ? WHERE address = ? AND key = ? AND block = 1').run(Buffer.alloc(32, 0x42), r.address, r.key);
        }
      });
      const c = openChain(bad, { readonly: true });
      try {
        let err: unknown;
        try {
          c.tree.treeAt(2);
        } catch (e) {
          err = e;
        }
        expect(err, name).toBeInstanceOf(ProvingError);
        expect((err as ProvingError).code).toBe('TREE_MISMATCH');
        expect((err as ProvingError).block).toBe(2);
      } finally {
        c.close();
      }
    }
  });

  it('stored writes that differ from what the block did stop the stage at that block', () => {
    const bad = copy('bad-writes.db');
    withDb(bad, (d) => {
      d.exec('DELETE FROM tree_leaves; DELETE FROM tree_commitments;');
      const r = d.prepare('SELECT address, key FROM slot_history WHERE block = 3 LIMIT 1').get() as { address: Buffer; key: Buffer };
      d.prepare('UPDATE slot_history SET value = ? WHERE address = ? AND key = ? AND block = 3').run(Buffer.alloc(32, 0x42), r.address, r.key);
    });
    const c = openChain(bad);
    try {
      let err: unknown;
      try {
        c.advanceTree();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ProvingError);
      expect((err as ProvingError).code).toBe('COMMITMENT_MISMATCH');
      expect((err as ProvingError).block).toBe(3);
      // Blocks 0..2 were stored whole; block 3 not at all.
      expect(c.tree.head()).toBe(2);
    } finally {
      c.close();
    }
  });

  it('the genesis block and profiles without a public input are refused by name', () => {
    expect(() => chain.proveBlock(0)).toThrow(/BLOCK_NOT_FOUND/);
    expect(() => chain.proveBlock(BLOCKS + 1)).toThrow(/BLOCK_NOT_FOUND/);
  });
});
