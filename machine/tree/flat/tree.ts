// The flat storage tree held in memory (reference §4.1–4.2), built for millions of leaves:
// leaf data and the dense lower levels of node hashes live in flat typed arrays; the levels
// above log2(n) collapse into one chain combined with empty-subtree hashes; a batch rehashes
// only its dirty paths, level by level. Keys are kept in a sorted array of leaf indices
// (binary search for lookups, one merge per batch for new keys).
import {
  INITIAL_NEXT_FREE_SLOT,
  MAX_KEY,
  MAX_KEY_LEAF_INDEX,
  MIN_KEY,
  TREE_HEIGHT,
  equalBytes32,
  isBytes32,
  verifyLeafProof,
  verifyReadProof,
  type FlatLeaf,
  type ReadProof,
  type LeafProof,
  type TreeCommitment,
} from './hash.ts';
import { HashLevels, ceilLog2, type LeafColumns } from './levels.ts';
import { MAX_U64 } from '../../common/bytes.ts';

export interface TreeWrite {
  key: Uint8Array;
  value: Uint8Array;
}

/** Largest capacity (leaf slots held in memory); indices are kept in Uint32Arrays. */
const MAX_CAPACITY = 2 ** 31;
/** Batches of at most this many new keys sort by a packed (prefix, position) double. */
const PACK = 2 ** 21;

function prefixOf(b: Uint8Array, off: number): number {
  return ((b[off] << 24) | (b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3]) >>> 0;
}

export class FlatTree {
  private cap = 0;
  /** next_free_slot: leaves 0..n-1 exist, every slot from n on is an empty leaf. */
  private n = 0;
  private keys = new Uint8Array(0);
  private values = new Uint8Array(0);
  private nexts = new Uint32Array(0);
  /** Big-endian first four key bytes per leaf: most comparisons end here. */
  private prefixes = new Uint32Array(0);
  /** Leaf indices in ascending key order (first n entries). */
  private order = new Uint32Array(0);
  private orderAlt = new Uint32Array(0);
  private readonly hashes = new HashLevels();
  private dirty = new Uint32Array(0);

  constructor(initialCapacity = 16) {
    this.allocate(Math.max(INITIAL_NEXT_FREE_SLOT, 2 ** ceilLog2(initialCapacity)));
    // Guards: leaf 0 = {0x00…, 0, next 1}, leaf 1 = {0xff…, 0, next 1} (it points to itself).
    this.keys.fill(0xff, 32, 64);
    this.prefixes[1] = 0xffffffff;
    this.nexts[0] = MAX_KEY_LEAF_INDEX;
    this.nexts[1] = MAX_KEY_LEAF_INDEX;
    this.order[0] = 0;
    this.order[1] = 1;
    this.n = INITIAL_NEXT_FREE_SLOT;
    this.hashes.rebuild(this.columns(), this.n);
  }

  /** Number of leaves including the two guards (= next_free_slot). */
  get size(): number {
    return this.n;
  }

  get nextFreeSlot(): bigint {
    return BigInt(this.n);
  }

  root(): Uint8Array {
    return this.hashes.root().slice();
  }

  commitment(): TreeCommitment {
    return { root: this.root(), nextFreeSlot: BigInt(this.n) };
  }

  /** The existing leaf with exactly this key: its index and value (a copy). */
  get(key: Uint8Array): { index: bigint; value: Uint8Array } | null {
    const i = this.indexOf(key);
    if (i < 0) return null;
    return { index: BigInt(i), value: this.values.slice(i * 32, i * 32 + 32) };
  }

  /** Index of the leaf with exactly this key, or -1. */
  indexOf(key: Uint8Array): number {
    checkKey(key);
    const p = this.upperBound(key, 0, this.n);
    if (p === 0) return -1;
    const i = this.order[p - 1];
    return this.cmpKeyLeaf(key, 0, prefixOf(key, 0), i) === 0 ? i : -1;
  }

  /** Index of the leaf with the greatest key <= key (always exists: key 0x00… is a guard). */
  prevIndex(key: Uint8Array): bigint {
    checkKey(key);
    return BigInt(this.order[this.upperBound(key, 0, this.n) - 1]);
  }

  /** The leaf at an index; slots at or past next_free_slot are empty leaves. */
  leaf(index: bigint | number): FlatLeaf {
    const idx = checkIndex(index);
    if (idx >= BigInt(this.n)) return { key: new Uint8Array(32), value: new Uint8Array(32), next: 0n };
    const i = Number(idx);
    return {
      key: this.keys.slice(i * 32, i * 32 + 32),
      value: this.values.slice(i * 32, i * 32 + 32),
      next: BigInt(this.nexts[i]),
    };
  }

  /** Query 7's answer for an index: the leaf and its 64 siblings, bottom first. */
  proof(index: bigint | number): LeafProof {
    const idx = checkIndex(index);
    const path: Uint8Array[] = new Array(TREE_HEIGHT);
    for (let l = 0; l < TREE_HEIGHT; l++) path[l] = this.hashes.nodeAt(l, (idx >> BigInt(l)) ^ 1n);
    return { index: idx, leaf: this.leaf(idx), path };
  }

  static verifyProof(root: Uint8Array, proof: LeafProof): boolean {
    return verifyLeafProof(root, proof);
  }

  /** Membership proof of an existing key, else the non-membership proof of its two neighbours. */
  readProof(key: Uint8Array): ReadProof {
    const i = this.indexOf(key);
    if (i >= 0) return { kind: 'existing', proof: this.proof(i) };
    const previous = this.proof(this.prevIndex(key));
    return { kind: 'missing', previous, next: this.proof(previous.leaf.next) };
  }

  static verifyReadProof(root: Uint8Array, key: Uint8Array, proof: ReadProof): boolean {
    return verifyReadProof(root, key, proof);
  }

  insertOrUpdate(key: Uint8Array, value: Uint8Array): void {
    this.applyBatch([{ key, value }]);
  }

  /**
   * Applies writes: existing keys get the new value, new keys are appended at next_free_slot in
   * the order given (the caller passes the §4.6 cache order) and linked into the key order.
   * A key written twice keeps its first position and its last value. Every write is applied,
   * including a zero value to a new key: filtering unchanged slots is the caller's business.
   */
  applyBatch(writes: ReadonlyArray<TreeWrite>): void {
    const w = writes.length;
    if (w === 0) return;
    for (const { key, value } of writes) {
      checkKey(key);
      if (!isBytes32(value)) throw new Error('tree value must be 32 bytes');
      if (equalBytes32(key, MIN_KEY) || equalBytes32(key, MAX_KEY)) throw new Error('the guard leaves cannot be written');
    }
    const n0 = this.n;
    // Look every key up among the old leaves first: only new keys need room.
    const found = new Int32Array(w);
    let m = 0;
    for (let j = 0; j < w; j++) {
      const key = writes[j].key;
      // upperBound >= 1: the min guard (key 0x00…) is <= every key.
      const i = this.order[this.upperBound(key, 0, n0) - 1];
      found[j] = this.cmpKeyLeaf(key, 0, prefixOf(key, 0), i) === 0 ? i : -1;
      if (found[j] < 0) m++;
    }
    this.ensureCapacity(n0 + m);
    if (this.dirty.length < w + m) this.dirty = new Uint32Array(w + m);
    const { keys, values, prefixes, dirty } = this;
    let nd = 0;
    let t = n0;
    for (let j = 0; j < w; j++) {
      const { key, value } = writes[j];
      const i = found[j];
      if (i >= 0) {
        values.set(value, i * 32);
        dirty[nd++] = i;
      } else {
        // Tentatively appended in write order; repeats of a new key are merged below.
        keys.set(key, t * 32);
        values.set(value, t * 32);
        prefixes[t++] = prefixOf(key, 0);
      }
    }
    if (m > 0) nd = this.insertStaged(n0, m, nd, true);
    this.rehash(nd);
  }

  /**
   * The bulk form of applyBatch for loading a stored tree: `count` leaves, each known to be new,
   * appended at next_free_slot in the given order from packed 32-byte key and value columns.
   * A key already present or given twice is an error (a stored tree never holds one).
   */
  appendLeaves(keys: Uint8Array, values: Uint8Array, count: number): void {
    if (keys.length < count * 32 || values.length < count * 32) throw new Error(`appendLeaves: columns shorter than ${count} leaves`);
    if (count === 0) return;
    const n0 = this.n;
    this.ensureCapacity(n0 + count);
    if (this.dirty.length < 2 * count) this.dirty = new Uint32Array(2 * count);
    this.keys.set(keys.subarray(0, count * 32), n0 * 32);
    this.values.set(values.subarray(0, count * 32), n0 * 32);
    for (let j = 0; j < count; j++) {
      const t = n0 + j;
      this.prefixes[t] = prefixOf(this.keys, t * 32);
      if (this.cmpKeyLeaf(this.keys, t * 32, this.prefixes[t], this.order[this.upperBound(this.keys, t * 32, n0) - 1]) === 0) {
        throw new Error(`appendLeaves: leaf ${j} has a key already in the tree`);
      }
    }
    this.rehash(this.insertStaged(n0, count, 0, false));
  }

  // ---- key order ----

  /**
   * Links the m leaves staged at n0.. into the key order (merging repeated keys when allowed) and
   * marks them dirty; returns the dirty count.
   */
  private insertStaged(n0: number, m0: number, nd: number, mergeRepeats: boolean): number {
    let sorted = this.sortByKey(n0, m0);
    if (this.hasDuplicates(sorted)) {
      if (!mergeRepeats) throw new Error('appendLeaves: a key is given twice');
      sorted = this.dropDuplicates(n0, sorted);
    }
    const m = sorted.length;
    nd = this.link(n0, sorted, nd);
    for (let k = n0; k < n0 + m; k++) this.dirty[nd++] = k;
    this.n = n0 + m;
    return nd;
  }

  /** Number of keys in order[0..len) that are <= the key at buf[off..off+32). */
  private upperBound(buf: Uint8Array, off: number, len: number): number {
    const p = prefixOf(buf, off);
    const order = this.order;
    let lo = 0;
    let hi = len;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cmpKeyLeaf(buf, off, p, order[mid]) >= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private cmpKeyLeaf(buf: Uint8Array, off: number, prefix: number, leaf: number): number {
    const q = this.prefixes[leaf];
    if (prefix !== q) return prefix < q ? -1 : 1;
    const keys = this.keys;
    const at = leaf * 32;
    for (let i = 4; i < 32; i++) {
      const d = buf[off + i] - keys[at + i];
      if (d !== 0) return d;
    }
    return 0;
  }

  /** Orders two leaves by key, then by index (so duplicates keep their write order). */
  private cmpLeaves(a: number, b: number): number {
    const pa = this.prefixes[a];
    const pb = this.prefixes[b];
    if (pa !== pb) return pa < pb ? -1 : 1;
    const keys = this.keys;
    for (let i = 4; i < 32; i++) {
      const d = keys[a * 32 + i] - keys[b * 32 + i];
      if (d !== 0) return d;
    }
    return a - b;
  }

  /** Leaves n0..n0+m-1 sorted by (key, index). */
  private sortByKey(n0: number, m: number): Uint32Array {
    const out = new Uint32Array(m);
    if (m > PACK) {
      for (let j = 0; j < m; j++) out[j] = n0 + j;
      return out.sort((a, b) => this.cmpLeaves(a, b));
    }
    const packed = new Float64Array(m);
    for (let j = 0; j < m; j++) packed[j] = this.prefixes[n0 + j] * PACK + j;
    packed.sort();
    for (let j = 0; j < m; j++) out[j] = n0 + (packed[j] % PACK);
    // Runs sharing a 32-bit prefix are rare; order them by the full key.
    for (let a = 0; a < m; ) {
      let b = a + 1;
      while (b < m && this.prefixes[out[b]] === this.prefixes[out[a]]) b++;
      if (b - a > 1) out.set(Array.from(out.subarray(a, b)).sort((x, y) => this.cmpLeaves(x, y)), a);
      a = b;
    }
    return out;
  }

  private sameKey(a: number, b: number): boolean {
    if (this.prefixes[a] !== this.prefixes[b]) return false;
    const keys = this.keys;
    for (let i = 4; i < 32; i++) if (keys[a * 32 + i] !== keys[b * 32 + i]) return false;
    return true;
  }

  private hasDuplicates(sorted: Uint32Array): boolean {
    for (let j = 1; j < sorted.length; j++) if (this.sameKey(sorted[j - 1], sorted[j])) return true;
    return false;
  }

  /**
   * A new key written more than once in a batch: the first write fixes its index, the last its
   * value. Later tentative leaves move down to close the gaps.
   */
  private dropDuplicates(n0: number, sorted: Uint32Array): Uint32Array {
    const m = sorted.length;
    const keep = new Uint8Array(m);
    for (let a = 0; a < m; ) {
      let b = a + 1;
      while (b < m && this.sameKey(sorted[a], sorted[b])) b++;
      keep[sorted[a] - n0] = 1;
      if (b - a > 1) this.values.copyWithin(sorted[a] * 32, sorted[b - 1] * 32, sorted[b - 1] * 32 + 32);
      a = b;
    }
    const remap = new Uint32Array(m);
    let k = 0;
    for (let j = 0; j < m; j++) {
      if (!keep[j]) continue;
      const from = n0 + j;
      const to = n0 + k++;
      remap[j] = to;
      if (to !== from) {
        this.keys.copyWithin(to * 32, from * 32, from * 32 + 32);
        this.values.copyWithin(to * 32, from * 32, from * 32 + 32);
        this.prefixes[to] = this.prefixes[from];
      }
    }
    const out = new Uint32Array(k);
    let o = 0;
    for (let j = 0; j < m; j++) if (keep[sorted[j] - n0]) out[o++] = remap[sorted[j] - n0];
    return out;
  }

  /**
   * Merges the sorted new leaves into the key order and fixes `next`: each run of new keys
   * between two old neighbours is chained predecessor → run → successor. Returns the dirty count.
   */
  private link(n0: number, sorted: Uint32Array, nd: number): number {
    const m = sorted.length;
    const { keys, nexts, order, orderAlt: dst, dirty } = this;
    const pos = new Uint32Array(m);
    for (let j = 0; j < m; j++) pos[j] = this.upperBound(keys, sorted[j] * 32, n0);
    let o = 0;
    let prev = 0;
    for (let j = 0; j < m; ) {
      const p = pos[j];
      // p >= 1 and p < n0: the guards bound every new key, which equals neither of them.
      dst.set(order.subarray(prev, p), o);
      o += p - prev;
      prev = p;
      const pred = order[p - 1];
      nexts[pred] = sorted[j];
      dirty[nd++] = pred;
      let k = j;
      dst[o++] = sorted[k];
      while (k + 1 < m && pos[k + 1] === p) {
        nexts[sorted[k]] = sorted[k + 1];
        dst[o++] = sorted[++k];
      }
      nexts[sorted[k]] = order[p];
      j = k + 1;
    }
    dst.set(order.subarray(prev, n0), o);
    this.orderAlt = order;
    this.order = dst;
    return nd;
  }

  // ---- hashing ----

  /** Rehashes the first nd dirty leaf indices (unsorted, maybe repeated) up to the root. */
  private rehash(nd: number): void {
    const d = this.dirty.subarray(0, nd).sort();
    let cnt = 0;
    for (let j = 0; j < nd; j++) if (cnt === 0 || d[j] !== d[cnt - 1]) d[cnt++] = d[j];
    // Past a quarter of the leaves, one sequential pass beats chasing paths.
    if (cnt * 4 >= this.n) this.hashes.rebuild(this.columns(), this.n);
    else this.hashes.update(this.columns(), this.n, d, cnt);
  }

  private columns(): LeafColumns {
    return { keys: this.keys, values: this.values, nexts: this.nexts };
  }

  // ---- storage ----

  private ensureCapacity(needed: number): void {
    if (needed <= this.cap) return;
    if (needed > MAX_CAPACITY) throw new Error(`flat tree capacity exceeded (${needed} leaves)`);
    this.allocate(2 ** ceilLog2(needed));
  }

  private allocate(cap: number): void {
    const grow = <T extends Uint8Array | Uint32Array>(old: T, make: (len: number) => T, len: number): T => {
      const a = make(len);
      a.set(old.subarray(0, Math.min(old.length, len)) as never);
      return a;
    };
    const u8 = (len: number) => new Uint8Array(len);
    const u32 = (len: number) => new Uint32Array(len);
    this.keys = grow(this.keys, u8, cap * 32);
    this.values = grow(this.values, u8, cap * 32);
    this.nexts = grow(this.nexts, u32, cap);
    this.prefixes = grow(this.prefixes, u32, cap);
    this.order = grow(this.order, u32, cap);
    this.orderAlt = new Uint32Array(cap);
    this.hashes.allocate(cap);
    this.cap = cap;
  }
}

function checkKey(key: Uint8Array): void {
  if (!isBytes32(key)) throw new Error('tree key must be 32 bytes');
}

function checkIndex(index: bigint | number): bigint {
  const idx = BigInt(index);
  if (idx < 0n || idx > MAX_U64) throw new Error(`leaf index out of range: ${idx}`);
  return idx;
}
