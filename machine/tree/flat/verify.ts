// Proving-side batch verification (reference §4.7, `FlatStorageCommitment::verify_and_apply_batch`):
// every slot the block touched is checked against the root before the block with Merkle proofs
// asked from the oracle (queries 9, 8, 7, in the order of §1.7 step 4), then the writes are
// applied and the new commitment computed from the same proofs. Nothing from the oracle is
// trusted; every inconsistency throws a TreeVerificationError.
import {
  MAX_KEY,
  MAX_KEY_LEAF_INDEX,
  MIN_KEY,
  MIN_KEY_LEAF_INDEX,
  TREE_HEIGHT,
  compareKeys,
  emptyHashes,
  equalBytes32,
  isBytes32,
  isU64,
  isWellFormedProof,
  leafHash,
  nodeHash,
  type LeafProof,
  type ProofSource,
  type TreeCommitment,
} from './hash.ts';
import { bytesToHex } from '../../common/bytes.ts';

export type TreeVerificationCode =
  | 'MALFORMED_COMMITMENT' // the commitment before is not {32-byte root, u64}
  | 'MALFORMED_SLOT' // a slot's key or values are not 32 bytes
  | 'NONZERO_INITIAL_VALUE' // a slot said to be new has a non-zero initial value
  | 'INDEX_OUT_OF_RANGE' // query 9 answered an index >= next_free_slot (or not a u64)
  | 'PREV_INDEX_OUT_OF_RANGE' // query 8 answered an index >= next_free_slot (or not a u64)
  | 'NEXT_INDEX_OUT_OF_RANGE' // a loaded leaf links to an index >= next_free_slot
  | 'MALFORMED_PROOF' // a query-7 answer without 64 siblings of 32 bytes, or bad leaf fields
  | 'PROOF_INDEX_MISMATCH' // a query-7 answer for another index than the one asked
  | 'LEAF_KEY_MISMATCH' // the leaf at the exact index has another key
  | 'LEAF_VALUE_MISMATCH' // the leaf's value differs from the slot's initial value
  | 'NOT_A_NEIGHBOUR' // predecessor/successor do not bracket a missing key
  | 'DUPLICATE_KEY' // two loaded/new leaves claim the same key
  | 'DUPLICATE_INDEX' // one index loaded for two keys, or met twice while folding
  | 'DUPLICATE_SLOT' // an existing slot written twice in one batch
  | 'GUARD_MISMATCH' // leaf 0 / 1 is not the min / max guard, or a guard is written
  | 'MISSING_BOUNDS' // relinking without at least two loaded leaves
  | 'STALE_ROOT' // the loaded leaves and paths do not hash to the root before the batch
  | 'INCONSISTENT_PROOF' // a proof carries a sibling the fold did not need, and it is wrong
  | 'HASH_COLLISION'; // writes happened but the root did not change

export class TreeVerificationError extends Error {
  constructor(
    readonly code: TreeVerificationCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'TreeVerificationError';
  }
}

/** A storage-cache entry at the end of the block, in §4.6 order. */
export interface AccessedSlot {
  flatKey: Uint8Array;
  initialValue: Uint8Array;
  finalValue: Uint8Array;
  /** The oracle said the slot did not exist (query 4 `is_new_storage_slot`). */
  isNew: boolean;
}

interface Loaded {
  proof: LeafProof;
  /** Pending changes of this existing leaf (value and/or next); null = untouched. */
  newValue: Uint8Array | null;
  newNext: bigint | null;
  modified: boolean;
}

interface NewLeaf {
  index: bigint;
  key: Uint8Array;
  value: Uint8Array;
  next: bigint;
}

/**
 * One group of paths being folded towards the root: `owner` is its leftmost loaded leaf, whose
 * proof supplies the siblings (null for a group of appended leaves only, which has no read path).
 */
interface Fold {
  index: bigint;
  owner: Loaded | null;
  /** The loaded leaves under this node, as a range of the fold's leaves in index order. */
  start: number;
  end: number;
  read: Uint8Array | null;
  write: Uint8Array | null;
}

/** At one level, the leaves [start, end) of the fold's loaded leaves: the sibling their proofs must carry. */
interface SiblingRange {
  start: number;
  end: number;
  sibling: Uint8Array;
}

function fail(code: TreeVerificationCode, message: string): never {
  throw new TreeVerificationError(code, message);
}

/**
 * Verifies all reads and writes of a block against `before` and returns the commitment after
 * it. New leaves are appended in the order of the slots given (the cache order).
 */
export function verifyAndApplyBatch(
  before: TreeCommitment,
  slots: ReadonlyArray<AccessedSlot>,
  source: ProofSource,
): TreeCommitment {
  if (!isBytes32(before.root) || !isU64(before.nextFreeSlot)) fail('MALFORMED_COMMITMENT', 'root or next_free_slot');
  if (slots.length === 0) return { root: before.root.slice(), nextFreeSlot: before.nextFreeSlot };
  for (const s of slots) {
    if (!isBytes32(s.flatKey) || !isBytes32(s.initialValue) || !isBytes32(s.finalValue)) {
      fail('MALFORMED_SLOT', 'flat key and values must be 32 bytes');
    }
  }
  const saved = before.nextFreeSlot;
  let nextFree = saved;
  const keyToIndex = new Map<string, bigint>();
  const loaded = new Map<bigint, Loaded>();
  const newLeaves: NewLeaf[] = [];

  const load = (index: bigint): Loaded => {
    const proof = source.proofForIndex(index);
    if (!isWellFormedProof(proof)) fail('MALFORMED_PROOF', `proof for index ${index}`);
    if (proof.index !== index) fail('PROOF_INDEX_MISMATCH', `asked ${index}, got ${proof.index}`);
    if (proof.leaf.next >= saved) fail('NEXT_INDEX_OUT_OF_RANGE', `leaf ${index} links to ${proof.leaf.next}`);
    return { proof, newValue: null, newNext: null, modified: false };
  };
  /** Records key → index, and index → loaded leaf unless the leaf is a new one. */
  const remember = (hex: string, index: bigint, entry: Loaded | null): void => {
    if (keyToIndex.has(hex)) fail('DUPLICATE_KEY', `key ${hex} loaded twice`);
    if (entry && loaded.has(index)) fail('DUPLICATE_INDEX', `index ${index} loaded twice`);
    keyToIndex.set(hex, index);
    if (entry) loaded.set(index, entry);
  };
  /** Query 8 and the two neighbours (query 7 each unless loaded): pred.key < key < succ.key. */
  const checkMissing = (key: Uint8Array): void => {
    const prevIdx = source.prevIndex(key);
    if (!isU64(prevIdx) || prevIdx >= saved) fail('PREV_INDEX_OUT_OF_RANGE', `prev index ${String(prevIdx)}`);
    let pred = loaded.get(prevIdx);
    if (!pred) {
      pred = load(prevIdx);
      remember(bytesToHex(pred.proof.leaf.key), prevIdx, pred);
    }
    if (compareKeys(pred.proof.leaf.key, key) >= 0) fail('NOT_A_NEIGHBOUR', `predecessor ${prevIdx} is not below the key`);
    const succIdx = pred.proof.leaf.next;
    let succ = loaded.get(succIdx);
    if (!succ) {
      succ = load(succIdx);
      remember(bytesToHex(succ.proof.leaf.key), succIdx, succ);
    }
    if (compareKeys(succ.proof.leaf.key, key) <= 0) fail('NOT_A_NEIGHBOUR', `successor ${succIdx} is not above the key`);
  };
  const exactIndex = (key: Uint8Array): bigint => {
    const idx = source.exactIndex(key);
    if (!isU64(idx) || idx >= saved) fail('INDEX_OUT_OF_RANGE', `exact index ${String(idx)}`);
    return idx;
  };
  const checkLeaf = (entry: Loaded, key: Uint8Array, value: Uint8Array): void => {
    if (!equalBytes32(entry.proof.leaf.key, key)) fail('LEAF_KEY_MISMATCH', `leaf ${entry.proof.index}`);
    if (!equalBytes32(entry.proof.leaf.value, value)) fail('LEAF_VALUE_MISMATCH', `leaf ${entry.proof.index}`);
  };

  // Reads first (final == initial), then writes, each in cache order.
  let missingReads = 0;
  for (const s of slots) {
    if (!equalBytes32(s.initialValue, s.finalValue)) continue;
    if (s.isNew) {
      if (!equalBytes32(s.initialValue, MIN_KEY)) fail('NONZERO_INITIAL_VALUE', 'a missing slot must read zero');
      missingReads++;
      checkMissing(s.flatKey);
    } else {
      const idx = exactIndex(s.flatKey);
      let entry = loaded.get(idx);
      if (entry) checkLeaf(entry, s.flatKey, s.finalValue);
      else {
        entry = load(idx);
        checkLeaf(entry, s.flatKey, s.finalValue);
        remember(bytesToHex(s.flatKey), idx, entry);
      }
    }
  }
  let writes = 0;
  for (const s of slots) {
    if (equalBytes32(s.initialValue, s.finalValue)) continue;
    writes++;
    const hex = bytesToHex(s.flatKey);
    if (s.isNew) {
      if (!equalBytes32(s.initialValue, MIN_KEY)) fail('NONZERO_INITIAL_VALUE', 'a new slot starts at zero');
      checkMissing(s.flatKey);
      const leaf: NewLeaf = { index: nextFree++, key: s.flatKey, value: s.finalValue, next: 0n };
      remember(hex, leaf.index, null);
      newLeaves.push(leaf);
      continue;
    }
    const known = keyToIndex.get(hex);
    let entry: Loaded;
    if (known !== undefined) {
      const e = loaded.get(known);
      if (!e) fail('DUPLICATE_KEY', `key ${hex} is being inserted, not updated`);
      entry = e;
      checkLeaf(entry, s.flatKey, s.initialValue);
      if (entry.modified) fail('DUPLICATE_SLOT', `key ${hex} written twice`);
    } else {
      const idx = exactIndex(s.flatKey);
      entry = load(idx);
      checkLeaf(entry, s.flatKey, s.initialValue);
      remember(hex, idx, entry);
    }
    entry.newValue = s.finalValue;
    entry.modified = true;
  }

  if (missingReads + newLeaves.length > 0) {
    relink(keyToIndex, loaded, newLeaves, saved);
    if (newLeaves.length > 0 && !loaded.has(saved - 1n)) {
      // The rightmost existing leaf: its path is where the appended leaves hang.
      loaded.set(saved - 1n, load(saved - 1n));
    }
  }

  // The fold checks every sibling of every proof against the node it stands for, so with the
  // root it implies that each proof verifies on its own: no word of a tape is left unverified.
  const [oldRoot, newRoot] = fold(loaded, newLeaves);
  if (!equalBytes32(oldRoot, before.root)) fail('STALE_ROOT', 'storage reads are inconsistent with the root');
  if (newRoot === null) return { root: before.root.slice(), nextFreeSlot: nextFree };
  if (writes > 0 && equalBytes32(newRoot, before.root)) fail('HASH_COLLISION', 'writes left the root unchanged');
  return { root: newRoot, nextFreeSlot: nextFree };
}

/**
 * Step 4: walk every loaded and new key in ascending order; a leaf followed by a new leaf links
 * to it, a new leaf links to whatever follows it. Old-to-old links stay: keys between them may
 * simply not have been loaded.
 */
function relink(keyToIndex: Map<string, bigint>, loaded: Map<bigint, Loaded>, newLeaves: NewLeaf[], saved: bigint): void {
  // Hex strings of equal length compare like the bytes they encode.
  const keys = [...keyToIndex.keys()].sort();
  if (keys.length < 2) fail('MISSING_BOUNDS', 'fewer than two leaves to link');
  const indices = keys.map((k) => keyToIndex.get(k) as bigint);
  const first = loaded.get(indices[0]);
  if (!first) fail('MISSING_BOUNDS', 'the smallest key is not an existing leaf');
  if (indices[0] === BigInt(MIN_KEY_LEAF_INDEX) && (first.modified || !equalBytes32(first.proof.leaf.key, MIN_KEY))) {
    fail('GUARD_MISMATCH', 'leaf 0 must be the untouched min guard');
  }
  for (let j = 0; j + 1 < indices.length; j++) {
    const cur = indices[j];
    const nxt = indices[j + 1];
    const entry = loaded.get(cur);
    if (entry) {
      if (nxt >= saved && entry.proof.leaf.next !== nxt) {
        if (entry.newNext !== null) fail('DUPLICATE_INDEX', `leaf ${cur} relinked twice`);
        entry.newNext = nxt;
        entry.modified = true;
      }
    } else {
      newLeaves[Number(cur - saved)].next = nxt;
    }
  }
  const lastIdx = indices[indices.length - 1];
  const last = loaded.get(lastIdx);
  if (!last) fail('MISSING_BOUNDS', 'the largest key is not an existing leaf');
  if (lastIdx === BigInt(MAX_KEY_LEAF_INDEX) && (last.modified || !equalBytes32(last.proof.leaf.key, MAX_KEY))) {
    fail('GUARD_MISMATCH', 'leaf 1 must be the untouched max guard');
  }
}

/**
 * Step 5: fold all paths level by level into two roots at once, the old one from the loaded
 * leaves as given and the new one with their changes and the appended leaves. Where two paths
 * meet their computed hashes are combined; elsewhere the sibling comes from the proof of the
 * leftmost leaf of the group, or is an empty subtree for groups of appended leaves only. Each
 * level notes which sibling every loaded leaf's proof must carry there; checkSiblings then reads
 * each proof once, its 64 hashes in turn.
 */
function fold(loaded: Map<bigint, Loaded>, newLeaves: NewLeaf[]): [Uint8Array, Uint8Array | null] {
  const E = emptyHashes();
  const indices = [...loaded.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const leaves = indices.map((index) => loaded.get(index) as Loaded);
  let cur: Fold[] = [];
  for (let k = 0; k < leaves.length; k++) {
    const entry = leaves[k];
    const index = indices[k];
    const { key, value, next } = entry.proof.leaf;
    const read = leafHash(key, value, next);
    const write = entry.modified ? leafHash(key, entry.newValue ?? value, entry.newNext ?? next) : null;
    cur.push({ index, owner: entry, start: k, end: k + 1, read, write });
  }
  // Appended leaves sort after every loaded one: theirs start at the next free slot, every loaded one is below it.
  const n = leaves.length;
  for (const leaf of newLeaves) cur.push({ index: leaf.index, owner: null, start: n, end: n, read: null, write: leafHash(leaf.key, leaf.value, leaf.next) });
  for (let j = 1; j < cur.length; j++) {
    if (cur[j].index <= cur[j - 1].index) fail('DUPLICATE_INDEX', `index ${cur[j].index} met twice`);
  }
  const levels: SiblingRange[][] = [];
  for (let l = 0; l < TREE_HEIGHT; l++) {
    const out: Fold[] = [];
    const at: SiblingRange[] = [];
    const empty = E[l];
    for (let j = 0; j < cur.length; j++) {
      const a = cur[j];
      const b = j + 1 < cur.length ? cur[j + 1] : null;
      if (b && a.index >> 1n === b.index >> 1n) {
        // Two paths meet: a is the left child, b the right one.
        const aRead = a.read ?? empty;
        const bRead = b.read ?? empty;
        at.push({ start: a.start, end: a.end, sibling: bRead }, { start: b.start, end: b.end, sibling: aRead });
        const read = a.read || b.read ? nodeHash(aRead, bRead) : null;
        const write = a.write || b.write ? nodeHash(a.write ?? aRead, b.write ?? bRead) : null;
        out.push({ index: a.index >> 1n, owner: a.owner, start: a.start, end: b.end, read, write });
        j++;
      } else {
        const sibling = a.owner ? a.owner.proof.path[l] : empty;
        at.push({ start: a.start, end: a.end, sibling });
        const left = (a.index & 1n) === 0n;
        const read = a.read ? (left ? nodeHash(a.read, sibling) : nodeHash(sibling, a.read)) : null;
        const write = a.write ? (left ? nodeHash(a.write, sibling) : nodeHash(sibling, a.write)) : null;
        out.push({ index: a.index >> 1n, owner: a.owner, start: a.start, end: a.end, read, write });
      }
    }
    levels.push(at);
    cur = out;
  }
  checkSiblings(leaves, levels);
  const root = cur[0];
  if (cur.length !== 1 || !root.read) fail('STALE_ROOT', 'no read path reaches the root');
  return [root.read, root.write];
}

/**
 * Every proof must carry, at each level, the sibling the fold used for the node above it. Proof
 * by proof rather than level by level: the ~100k path hashes of a block are separate objects, and
 * reading each proof's in turn was several times faster than sweeping all proofs per level.
 */
function checkSiblings(leaves: readonly Loaded[], levels: readonly SiblingRange[][]): void {
  // Per level, the range holding the current leaf: ranges are in leaf order, so it only moves on.
  const at = new Int32Array(levels.length);
  for (let k = 0; k < leaves.length; k++) {
    const path = leaves[k].proof.path;
    for (let l = 0; l < levels.length; l++) {
      const ranges = levels[l];
      let p = at[l];
      while (ranges[p].end <= k) p++;
      at[l] = p;
      if (!equalBytes32(path[l], ranges[p].sibling)) fail('INCONSISTENT_PROOF', `the proof of leaf ${leaves[k].proof.index} has a wrong sibling at level ${l}`);
    }
  }
}
