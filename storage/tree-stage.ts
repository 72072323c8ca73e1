// The tree stage (design.md "data flow"): after a block is stored, a proving run of the block
// from its stored log, with the proving queries answered from the tree before it, yields the
// commitment after and the public input; the block's stored writes are applied to the tree, whose
// root must then be that commitment. Leaves and commitments go to tree_leaves / tree_commitments (migration 002,
// which says why versions are kept rather than proofs), one SQLite transaction per block, so a
// crash leaves the stage at a block boundary and it resumes from there.
import type { Statement } from 'better-sqlite3';
import type { Profile } from '../machine/bootloader/profile.ts';
import type { StorageWrite } from '../machine/bootloader/types.ts';
import { bytesEqual, bytesToHex } from '../machine/common/bytes.ts';
import { INITIAL_NEXT_FREE_SLOT, type TreeCommitment } from '../machine/tree/flat/hash.ts';
import { flatKey, flatKeyOfBytes } from '../machine/tree/flat/keys.ts';
import { compareStorageKeys } from '../machine/tree/flat/order.ts';
import { FlatTree } from '../machine/tree/flat/tree.ts';
import { addressBlob, bytesOf, wordBlob } from './columns.ts';
import type { Db } from './db.ts';
import { ProvingError } from './errors.ts';
import type { BlockReader } from './records.ts';
import { provingRun } from './witness.ts';

export interface StoredCommitment extends TreeCommitment {
  block: number;
  /** The block's public input hash; null for genesis and for profiles without one. */
  publicInput: Uint8Array | null;
}

/** What one block added to the tree stage. */
export interface TreeStageStep {
  block: number;
  commitment: TreeCommitment;
  publicInput: Uint8Array | null;
  newLeaves: number;
}

type Row = Record<string, unknown>;

export class TreeStage {
  private readonly headStmt: Statement<[], number | null>;
  private readonly commitmentStmt: Statement<[number], Row>;
  private readonly leavesStmt: Statement<[number, number], unknown[]>;
  private readonly insertLeaf: Statement<[number, Uint8Array, Uint8Array]>;
  private readonly insertCommitment: Statement<[number, Uint8Array, number, Uint8Array | null]>;
  /** The tree as of block `version`, kept between calls so a running stage never reloads. */
  private cache: { version: number; tree: FlatTree } | null = null;

  constructor(
    private readonly db: Db,
    private readonly reader: BlockReader,
    private readonly profileOf: (block: number) => Profile,
  ) {
    this.headStmt = db.prepare<[], number | null>('SELECT MAX(block) FROM tree_commitments').pluck();
    this.commitmentStmt = db.prepare<[number], Row>('SELECT * FROM tree_commitments WHERE block = ?');
    // Every leaf of the version with its value as of the block, in index order.
    this.leavesStmt = db
      .prepare<[number, number], unknown[]>(
        `SELECT t.address, t.key, (SELECT h.value FROM slot_history h WHERE h.address = t.address AND h.key = t.key AND h.block <= ?
           ORDER BY h.block DESC LIMIT 1) FROM tree_leaves t WHERE t.idx < ? ORDER BY t.idx`,
      )
      .raw();
    this.insertLeaf = db.prepare('INSERT INTO tree_leaves (idx, address, key) VALUES (?, ?, ?)');
    this.insertCommitment = db.prepare('INSERT INTO tree_commitments (block, root, next_free, public_input) VALUES (?, ?, ?, ?)');
  }

  /** The last block the stage has processed; -1 before genesis. */
  head(): number {
    return this.headStmt.get() ?? -1;
  }

  commitment(block: number): StoredCommitment | null {
    const r = this.commitmentStmt.get(block);
    if (r === undefined) return null;
    return {
      block,
      root: bytesOf(r.root as Buffer),
      nextFreeSlot: BigInt(r.next_free as number),
      publicInput: r.public_input === null ? null : bytesOf(r.public_input as Buffer),
    };
  }

  /**
   * The tree as of block `version` (after it), owned by the caller: loaded from the stage's
   * tables up to its head, then advanced in memory (nothing written) over stored blocks beyond.
   */
  treeAt(version: number): FlatTree {
    const c = this.cache;
    if (c !== null && c.version === version) {
      this.cache = null;
      return c.tree;
    }
    const head = Math.min(this.head(), version);
    const tree = head < 0 ? new FlatTree() : this.load(head);
    for (let b = head + 1; b <= version; b++) applyWrites(tree, this.reader.storageWrites(b));
    return tree;
  }

  /** Gives a tree as of `version` back to the stage, to spare the next treeAt(version) a reload. */
  keep(version: number, tree: FlatTree): void {
    this.cache = { version, tree };
  }

  /**
   * Runs the stage over stored blocks head+1..to, one transaction per
   * block; `onStep` sees each. Throws ProvingError when the machine and the tree disagree.
   */
  advance(to: number, onStep?: (s: TreeStageStep) => void): number {
    const from = this.head() + 1;
    if (from > to) return 0;
    const tree = this.treeAt(from - 1);
    // A throw drops the tree: it may be half-applied.
    for (let b = from; b <= to; b++) {
      const step = this.step(b, tree);
      if (onStep !== undefined) onStep(step);
    }
    this.keep(to, tree);
    return to - from + 1;
  }

  private step(b: number, tree: FlatTree): TreeStageStep {
    let publicInput: Uint8Array | null = null;
    let machineAfter: TreeCommitment | null = null;
    const profile = b === 0 ? null : this.profileOf(b);
    // Only zksync blocks have a public input; the others just move the tree.
    if (profile !== null && profile.name === 'zksync') {
      const { output } = provingRun(this.reader, b, profile, tree);
      publicInput = output.publicInput!.hash;
      machineAfter = output.commitmentAfter!;
    }
    const fresh = applyWrites(tree, this.reader.storageWrites(b));
    const after = tree.commitment();
    if (machineAfter !== null && (!bytesEqual(machineAfter.root, after.root) || machineAfter.nextFreeSlot !== after.nextFreeSlot)) {
      throw new ProvingError(
        'COMMITMENT_MISMATCH',
        b,
        `the block's run reaches root ${bytesToHex(machineAfter.root)} (next free ${machineAfter.nextFreeSlot}), the stored writes ${bytesToHex(after.root)} (${after.nextFreeSlot})`,
      );
    }
    const first = Number(after.nextFreeSlot) - fresh.length;
    this.db
      .transaction(() => {
        for (let i = 0; i < fresh.length; i++) this.insertLeaf.run(first + i, addressBlob(fresh[i].address), wordBlob(fresh[i].key));
        this.insertCommitment.run(b, after.root, Number(after.nextFreeSlot), publicInput === null ? null : publicInput);
      })
      .immediate();
    return { block: b, commitment: after, publicInput, newLeaves: fresh.length };
  }

  /** The tree as of a block the stage has processed, checked against its stored commitment. */
  private load(version: number): FlatTree {
    const c = this.commitment(version);
    if (c === null) throw new ProvingError('TREE_MISMATCH', version, 'the tree stage has no commitment for this block');
    const count = Number(c.nextFreeSlot) - INITIAL_NEXT_FREE_SLOT;
    const keys = new Uint8Array(count * 32);
    const values = new Uint8Array(count * 32);
    let i = 0;
    for (const [address, key, value] of this.leavesStmt.iterate(version, Number(c.nextFreeSlot)) as Iterable<[Buffer, Buffer, Buffer | null]>) {
      if (i >= count) break;
      if (value === null) throw new ProvingError('TREE_MISMATCH', version, `leaf ${i + INITIAL_NEXT_FREE_SLOT} has no value in slot_history`);
      keys.set(flatKeyOfBytes(address, key), i * 32);
      values.set(value, i * 32);
      i++;
    }
    if (i !== count) throw new ProvingError('TREE_MISMATCH', version, `${i} leaves stored, the commitment says ${count}`);
    const tree = new FlatTree(count + INITIAL_NEXT_FREE_SLOT);
    tree.appendLeaves(keys, values, count);
    if (!bytesEqual(tree.root(), c.root)) {
      throw new ProvingError('TREE_MISMATCH', version, `the stored leaves give root ${bytesToHex(tree.root())}, the stored commitment is ${bytesToHex(c.root)}`);
    }
    return tree;
  }
}

/**
 * Applies a block's tree-level writes in the §4.6 order that decides new leaf indices; returns
 * the writes that created leaves, in index order.
 */
export function applyWrites(tree: FlatTree, writes: readonly StorageWrite[]): StorageWrite[] {
  const sorted = [...writes].sort((x, y) => compareStorageKeys(x.address, x.key, y.address, y.key));
  const keys = sorted.map((w) => flatKey(w.address, w.key));
  const fresh = sorted.filter((_w, i) => tree.indexOf(keys[i]) < 0);
  tree.applyBatch(sorted.map((w, i) => ({ key: keys[i], value: wordBlob(w.value) })));
  return fresh;
}
