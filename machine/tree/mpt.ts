// The Ethereum Merkle-Patricia trie root (Yellow Paper, appendix D), computed directly from the
// sorted key set: no persistent trie, no node database. Used for Ethereum state roots (the
// `ethereum` profile and the conformance suites) and transaction / receipt roots.
import { bigIntToBytes, hexToBytes } from '../common/bytes.ts';
import { rlpEncodeBytes, rlpEncodeList, rlpEncodeUint } from '../common/rlp.ts';
import { keccak256 } from '../crypto/index.ts';

/** keccak256(rlp('')): the root of the empty trie. */
export const EMPTY_TRIE_ROOT = hexToBytes('0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421');
/** keccak256(''): the code hash of an account without code. */
export const EMPTY_CODE_HASH = hexToBytes('0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470');

const EMPTY_STRING_RLP = Uint8Array.of(0x80);

interface Leaf {
  nibbles: Uint8Array;
  value: Uint8Array;
}

function toNibbles(key: Uint8Array): Uint8Array {
  const out = new Uint8Array(key.length * 2);
  for (let i = 0; i < key.length; i++) {
    out[2 * i] = key[i] >> 4;
    out[2 * i + 1] = key[i] & 0x0f;
  }
  return out;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** Hex-prefix encoding of a nibble path (appendix C), with the leaf flag. */
function hexPrefix(nibbles: Uint8Array, from: number, to: number, leaf: boolean): Uint8Array {
  const len = to - from;
  const odd = len & 1;
  const out = new Uint8Array(1 + (len >> 1));
  const flag = (leaf ? 2 : 0) + odd;
  let i = from;
  if (odd) out[0] = (flag << 4) | nibbles[i++];
  else out[0] = flag << 4;
  for (let o = 1; i < to; i += 2, o++) out[o] = (nibbles[i] << 4) | nibbles[i + 1];
  return out;
}

/** How a node is referenced from its parent: inline when its RLP is under 32 bytes, else by hash. */
function reference(encoded: Uint8Array): Uint8Array {
  return encoded.length < 32 ? encoded : rlpEncodeBytes(keccak256(encoded));
}

/** RLP of the node holding leaves[lo, hi) (sorted, distinct), all sharing the first `depth` nibbles. */
function buildNode(leaves: Leaf[], lo: number, hi: number, depth: number): Uint8Array {
  const first = leaves[lo];
  if (hi - lo === 1) {
    return rlpEncodeList([rlpEncodeBytes(hexPrefix(first.nibbles, depth, first.nibbles.length, true)), rlpEncodeBytes(first.value)]);
  }
  // The common prefix of a sorted range is that of its first and last keys.
  const last = leaves[hi - 1].nibbles;
  let cp = depth;
  const max = Math.min(first.nibbles.length, last.length);
  while (cp < max && first.nibbles[cp] === last[cp]) cp++;
  if (cp > depth) {
    const branch = buildBranch(leaves, lo, hi, cp);
    return rlpEncodeList([rlpEncodeBytes(hexPrefix(first.nibbles, depth, cp, false)), reference(branch)]);
  }
  return buildBranch(leaves, lo, hi, depth);
}

function buildBranch(leaves: Leaf[], lo: number, hi: number, depth: number): Uint8Array {
  const items: Uint8Array[] = new Array(17).fill(EMPTY_STRING_RLP);
  let i = lo;
  // A key that ends here sorts first and becomes the branch's value.
  if (leaves[i].nibbles.length === depth) {
    items[16] = rlpEncodeBytes(leaves[i].value);
    i++;
  }
  while (i < hi) {
    const nibble = leaves[i].nibbles[depth];
    let j = i + 1;
    while (j < hi && leaves[j].nibbles[depth] === nibble) j++;
    items[nibble] = reference(buildNode(leaves, i, j, depth + 1));
    i = j;
  }
  return rlpEncodeList(items);
}

/**
 * The root of the trie holding `entries` (keys as given: hash them first for a secure trie).
 * Empty values mean "absent", as in Ethereum. Duplicate keys are an error.
 */
export function trieRoot(entries: Iterable<readonly [key: Uint8Array, value: Uint8Array]>): Uint8Array {
  const sorted: Array<{ key: Uint8Array; value: Uint8Array }> = [];
  for (const [key, value] of entries) if (value.length > 0) sorted.push({ key, value });
  if (sorted.length === 0) return EMPTY_TRIE_ROOT.slice();
  sorted.sort((a, b) => compareBytes(a.key, b.key));
  for (let i = 1; i < sorted.length; i++) {
    if (compareBytes(sorted[i - 1].key, sorted[i].key) === 0) throw new Error('trieRoot: duplicate key');
  }
  const leaves = sorted.map((e) => ({ nibbles: toNibbles(e.key), value: e.value }));
  return keccak256(buildNode(leaves, 0, leaves.length, 0));
}

export interface EthereumAccount {
  address: bigint;
  nonce: bigint;
  balance: bigint;
  codeHash: Uint8Array;
  storage: Iterable<readonly [slot: bigint, value: bigint]>;
}

/** The storage root of one account: secure trie of keccak(slot) → rlp(value), zero slots omitted. */
export function storageRoot(storage: Iterable<readonly [slot: bigint, value: bigint]>): Uint8Array {
  const entries: Array<[Uint8Array, Uint8Array]> = [];
  for (const [slot, value] of storage) {
    if (value !== 0n) entries.push([keccak256(bigIntToBytes(slot, 32)), rlpEncodeUint(value)]);
  }
  return trieRoot(entries);
}

/** RLP of an account in the state trie: [nonce, balance, storageRoot, codeHash]. */
export function encodeAccount(nonce: bigint, balance: bigint, storageRootHash: Uint8Array, codeHash: Uint8Array): Uint8Array {
  return rlpEncodeList([rlpEncodeUint(nonce), rlpEncodeUint(balance), rlpEncodeBytes(storageRootHash), rlpEncodeBytes(codeHash)]);
}

/**
 * The Ethereum state root of the given accounts (secure trie keyed by keccak(address)). Every
 * account passed is in the state, empty or not: the caller decides which accounts exist.
 */
export function ethereumStateRoot(accounts: Iterable<EthereumAccount>): Uint8Array {
  const entries: Array<[Uint8Array, Uint8Array]> = [];
  for (const a of accounts) {
    entries.push([keccak256(bigIntToBytes(a.address, 20)), encodeAccount(a.nonce, a.balance, storageRoot(a.storage), a.codeHash)]);
  }
  return trieRoot(entries);
}
