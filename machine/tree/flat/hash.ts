// Hashing of the flat storage tree (reference §4.1–4.2): a binary Merkle tree of height 64 over
// Blake2s, leaves {key, value, next} with `next` little-endian, empty subtrees hashed per level.
import { blake2s } from '../../crypto/index.ts';
import { MAX_U64 } from '../../common/bytes.ts';

export const TREE_HEIGHT = 64;
export const MIN_KEY_LEAF_INDEX = 0;
export const MAX_KEY_LEAF_INDEX = 1;
/** next_free_slot of the empty tree: the two guard leaves occupy indices 0 and 1. */
export const INITIAL_NEXT_FREE_SLOT = 2;

/** Key of the min guard leaf (index 0): 32 zero bytes. */
export const MIN_KEY: Uint8Array = new Uint8Array(32);
/** Key of the max guard leaf (index 1): 32 bytes 0xff. */
export const MAX_KEY: Uint8Array = new Uint8Array(32).fill(0xff);

export interface FlatLeaf {
  key: Uint8Array;
  value: Uint8Array;
  /** Index of the leaf holding the next larger key (u64). */
  next: bigint;
}

/** Oracle query 7's answer: a leaf and its 64 siblings, `path[0]` the sibling of the leaf. */
export interface LeafProof {
  index: bigint;
  leaf: FlatLeaf;
  path: Uint8Array[];
}

/**
 * How the proving side asks for Merkle data (oracle queries 9, 8 and 7, reference §1.1). The
 * order of these calls is the order of the queries on the witness tape.
 */
export interface ProofSource {
  /** Query 9: index of the existing leaf with exactly this key. */
  exactIndex(key: Uint8Array): bigint;
  /** Query 8: index of the leaf with the greatest key <= this key. */
  prevIndex(key: Uint8Array): bigint;
  /** Query 7: the leaf at this index with its 64 siblings. */
  proofForIndex(index: bigint): LeafProof;
}

/** The state commitment: root plus next_free_slot (reference §1.3 `FlatStorageCommitment`). */
export interface TreeCommitment {
  root: Uint8Array;
  nextFreeSlot: bigint;
}

const leafBuf = new Uint8Array(72);
const nodeBuf = new Uint8Array(64);

/** Writes `next` (a u64 that a double holds exactly) as 8 little-endian bytes at `offset`. */
function writeNextLE(out: Uint8Array, offset: number, next: number): void {
  let lo = next % 0x100000000;
  let hi = (next - lo) / 0x100000000;
  for (let i = 0; i < 4; i++) {
    out[offset + i] = lo & 0xff;
    out[offset + 4 + i] = hi & 0xff;
    lo >>>= 8;
    hi >>>= 8;
  }
}

/** leaf_hash = blake2s(key ‖ value ‖ LE64(next)). */
export function leafHash(key: Uint8Array, value: Uint8Array, next: bigint): Uint8Array {
  leafBuf.set(key, 0);
  leafBuf.set(value, 32);
  let n = next;
  for (let i = 64; i < 72; i++) {
    leafBuf[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return blake2s(leafBuf);
}

/**
 * Leaf hash straight from flat key/value buffers (32 bytes at `off` in each), with a numeric
 * `next`; the tree's hot path, without intermediate views.
 */
export function leafHashAt(keys: Uint8Array, values: Uint8Array, off: number, next: number): Uint8Array {
  for (let i = 0; i < 32; i++) {
    leafBuf[i] = keys[off + i];
    leafBuf[32 + i] = values[off + i];
  }
  writeNextLE(leafBuf, 64, next);
  return blake2s(leafBuf);
}

/** node_hash = blake2s(left ‖ right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  nodeBuf.set(left, 0);
  nodeBuf.set(right, 32);
  return blake2s(nodeBuf);
}

/** node_hash of two 32-byte hashes stored at byte offsets in flat buffers. */
export function nodeHashAt(lbuf: Uint8Array, loff: number, rbuf: Uint8Array, roff: number): Uint8Array {
  for (let i = 0; i < 32; i++) {
    nodeBuf[i] = lbuf[loff + i];
    nodeBuf[32 + i] = rbuf[roff + i];
  }
  return blake2s(nodeBuf);
}

let empty: Uint8Array[] | null = null;

/**
 * Empty-subtree hashes: index l is the hash of an all-empty subtree of height l (E0 = hash of
 * the empty leaf, E(l+1) = node(El, El)); 65 entries, index 64 being the root of an all-empty tree.
 */
export function emptyHashes(): readonly Uint8Array[] {
  if (empty) return empty;
  const e: Uint8Array[] = [leafHash(MIN_KEY, MIN_KEY, 0n)];
  for (let l = 0; l < TREE_HEIGHT; l++) e.push(nodeHash(e[l], e[l]));
  empty = e;
  return e;
}

/** Byte-lexicographic comparison of two 32-byte keys (= big-endian numeric order). */
export function compareKeys(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < 32; i++) {
    const d = a[i] - b[i];
    if (d !== 0) return d;
  }
  return 0;
}

export function equalBytes32(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < 32; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function isBytes32(b: unknown): b is Uint8Array {
  return b instanceof Uint8Array && b.length === 32;
}

export function isU64(v: unknown): v is bigint {
  return typeof v === 'bigint' && v >= 0n && v <= MAX_U64;
}

/** True when the proof has the shape of a query-7 answer (sizes and ranges, not hashes). */
export function isWellFormedProof(proof: LeafProof): boolean {
  if (!proof || !isU64(proof.index) || !proof.leaf || !Array.isArray(proof.path)) return false;
  const { key, value, next } = proof.leaf;
  if (!isBytes32(key) || !isBytes32(value) || !isU64(next)) return false;
  if (proof.path.length !== TREE_HEIGHT) return false;
  for (let l = 0; l < TREE_HEIGHT; l++) if (!isBytes32(proof.path[l])) return false;
  return true;
}

/** Folds a proof to the root it implies: bit l of the index says whether the node is a right child. */
export function recomputeRoot(proof: LeafProof): Uint8Array {
  let cur = leafHash(proof.leaf.key, proof.leaf.value, proof.leaf.next);
  let index = proof.index;
  for (let l = 0; l < TREE_HEIGHT; l++) {
    cur = (index & 1n) === 0n ? nodeHash(cur, proof.path[l]) : nodeHash(proof.path[l], cur);
    index >>= 1n;
  }
  return cur;
}

/** Checks a proof against a root; malformed proofs are simply not valid. */
export function verifyLeafProof(root: Uint8Array, proof: LeafProof): boolean {
  if (!isWellFormedProof(proof) || !isBytes32(root)) return false;
  return equalBytes32(recomputeRoot(proof), root);
}

/**
 * A read of one key against a root: the leaf itself (membership), or its two neighbours in key
 * order (non-membership: pred.key < key < succ.key and pred.next === succ.index).
 */
export type ReadProof = { kind: 'existing'; proof: LeafProof } | { kind: 'missing'; previous: LeafProof; next: LeafProof };

/** Checks a read proof for `key` against `root`. */
export function verifyReadProof(root: Uint8Array, key: Uint8Array, rp: ReadProof): boolean {
  if (!isBytes32(key)) return false;
  if (rp.kind === 'existing') return verifyLeafProof(root, rp.proof) && equalBytes32(rp.proof.leaf.key, key);
  const { previous, next } = rp;
  return (
    verifyLeafProof(root, previous) &&
    verifyLeafProof(root, next) &&
    previous.leaf.next === next.index &&
    compareKeys(previous.leaf.key, key) < 0 &&
    compareKeys(key, next.leaf.key) < 0
  );
}
