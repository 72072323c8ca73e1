// Node hashes of the flat tree for n leaves: heights 0..top (top = ceil(log2 n)) as dense flat
// buffers (height l holds ceil(n / 2^l) nodes, the rest of the height is empty subtrees), and
// above top a single chain of node 0 combined with empty-subtree hashes up to the root.
import { TREE_HEIGHT, emptyHashes, leafHashAt, nodeHash, nodeHashAt } from './hash.ts';

export function ceilLog2(n: number): number {
  return n <= 1 ? 0 : 32 - Math.clz32(n - 1);
}

/** The leaf data the hashes are computed from (32-byte records, `next` per leaf). */
export interface LeafColumns {
  keys: Uint8Array;
  values: Uint8Array;
  nexts: Uint32Array;
}

export class HashLevels {
  /** levels[l]: hashes of the nodes at height l (0 = leaves). */
  private levels: Uint8Array[] = [];
  /** chain[l] for l >= top: the hash of node 0 at height l; chain[64] is the root. */
  private chain: Uint8Array[] = [];
  private top = 0;
  private n = 0;

  /** Grows the buffers to hold `cap` leaves (a power of two), keeping the hashes. */
  allocate(cap: number): void {
    const levels: Uint8Array[] = [];
    for (let l = 0; 2 ** l <= cap; l++) {
      const a = new Uint8Array((cap / 2 ** l) * 32);
      const old = this.levels[l];
      if (old) a.set(old.subarray(0, Math.min(old.length, a.length)));
      levels.push(a);
    }
    this.levels = levels;
  }

  /** The root (the stored array: callers copy). */
  root(): Uint8Array {
    return this.chain[TREE_HEIGHT];
  }

  /** Hashes every leaf and node for n leaves. */
  rebuild(cols: LeafColumns, n: number): void {
    const { keys, values, nexts } = cols;
    const leaves = this.levels[0];
    for (let i = 0; i < n; i++) leaves.set(leafHashAt(keys, values, i * 32, nexts[i]), i * 32);
    const top = ceilLog2(n);
    for (let l = 1; l <= top; l++) {
      const count = ((n - 1) >>> l) + 1;
      for (let i = 0; i < count; i++) this.hashNode(l, i, n);
    }
    this.finish(n, top);
  }

  /**
   * Rehashes the paths of the given leaves for n leaves in all. `dirty[0..cnt)` must be sorted
   * and free of repeats; it is overwritten (reused for the parents of each height).
   */
  update(cols: LeafColumns, n: number, dirty: Uint32Array, cnt: number): void {
    const { keys, values, nexts } = cols;
    const leaves = this.levels[0];
    for (let j = 0; j < cnt; j++) {
      const i = dirty[j];
      leaves.set(leafHashAt(keys, values, i * 32, nexts[i]), i * 32);
    }
    const top = ceilLog2(n);
    for (let l = 1; l <= top; l++) {
      let k = 0;
      for (let j = 0; j < cnt; j++) {
        const p = dirty[j] >>> 1;
        if (k === 0 || dirty[k - 1] !== p) dirty[k++] = p;
      }
      cnt = k;
      for (let j = 0; j < cnt; j++) this.hashNode(l, dirty[j], n);
    }
    this.finish(n, top);
  }

  /** node i at height l from its children at l-1; a child past the used ones is empty. */
  private hashNode(l: number, i: number, n: number): void {
    const below = this.levels[l - 1];
    const belowCount = ((n - 1) >>> (l - 1)) + 1;
    const r = 2 * i + 1;
    const h =
      r < belowCount ? nodeHashAt(below, 2 * i * 32, below, r * 32) : nodeHashAt(below, 2 * i * 32, emptyHashes()[l - 1], 0);
    this.levels[l].set(h, i * 32);
  }

  private finish(n: number, top: number): void {
    const E = emptyHashes();
    const chain: Uint8Array[] = new Array(TREE_HEIGHT + 1);
    chain[top] = this.levels[top].slice(0, 32);
    for (let l = top; l < TREE_HEIGHT; l++) chain[l + 1] = nodeHash(chain[l], E[l]);
    this.chain = chain;
    this.top = top;
    this.n = n;
  }

  /** A copy of the hash of node s at height l (bigint: proofs reach every one of 2^64 slots). */
  nodeAt(l: number, s: bigint): Uint8Array {
    const count = l < 32 ? ((this.n - 1) >>> l) + 1 : 1;
    if (s >= BigInt(count)) return emptyHashes()[l].slice();
    if (l >= this.top) return this.chain[l].slice();
    const i = Number(s);
    return this.levels[l].slice(i * 32, i * 32 + 32);
  }
}
