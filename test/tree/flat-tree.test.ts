// FlatTree against a naive model: batches (inserts, updates, duplicates, shared prefixes),
// lookups, membership and non-membership proofs, growth.
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../machine/common/bytes.ts';
import {
  FlatTree,
  MAX_KEY,
  MIN_KEY,
  emptyHashes,
  recomputeRoot,
  type LeafProof,
  type TreeWrite,
} from '../../machine/tree/flat/index.ts';
import { NaiveTree, randomKey, rng } from './flat-helpers.ts';

const hex = bytesToHex;
const fill = (b: number) => new Uint8Array(32).fill(b);

function checkAgainstModel(t: FlatTree, m: NaiveTree): void {
  expect(t.size).toBe(m.leaves.length);
  for (let i = 0; i < m.leaves.length; i++) {
    const leaf = t.leaf(i);
    expect(hex(leaf.key)).toBe(hex(m.leaves[i].key));
    expect(hex(leaf.value)).toBe(hex(m.leaves[i].value));
    expect(leaf.next).toBe(BigInt(m.leaves[i].next));
  }
  expect(hex(t.root())).toBe(hex(m.root()));
}

describe('FlatTree batches', () => {
  it('matches the naive model over random batches (full and partial rehash)', () => {
    const r = rng(7);
    const t = new FlatTree(2);
    const m = new NaiveTree();
    const existing: Uint8Array[] = [];
    const shared = new Uint8Array([0xab, 0xcd, 0xef, 0x01]);
    for (let round = 0; round < 12; round++) {
      const size = round < 3 ? 60 : 1 + Math.floor(r() * 12);
      const batch: TreeWrite[] = [];
      for (let j = 0; j < size; j++) {
        const roll = r();
        let key: Uint8Array;
        if (roll < 0.3 && existing.length > 0) key = existing[Math.floor(r() * existing.length)];
        else if (roll < 0.4 && batch.length > 0) key = batch[Math.floor(r() * batch.length)].key; // repeat in batch
        else if (roll < 0.5) key = randomKey(r, shared); // same 4-byte prefix
        else key = randomKey(r);
        batch.push({ key, value: randomKey(r) });
      }
      t.applyBatch(batch);
      for (const w of batch) {
        m.write(w.key, w.value);
        existing.push(w.key);
      }
      checkAgainstModel(t, m);
    }
    expect(t.size).toBeGreaterThan(100);
  });

  it('appendLeaves (the stored-tree loader) gives the leaves, links and root of applyBatch', () => {
    const r = rng(11);
    const shared = new Uint8Array([0x12, 0x34, 0x56, 0x78]);
    const n = 300;
    const keys = new Uint8Array(n * 32);
    const values = new Uint8Array(n * 32);
    const batch: TreeWrite[] = [];
    for (let j = 0; j < n; j++) {
      const key = randomKey(r, j % 5 === 0 ? shared : undefined);
      const value = randomKey(r);
      keys.set(key, j * 32);
      values.set(value, j * 32);
      batch.push({ key, value });
    }
    const a = new FlatTree();
    a.applyBatch(batch);
    const b = new FlatTree();
    b.appendLeaves(keys, values, n);
    for (let i = 0; i < n + 2; i++) expect(b.leaf(i)).toEqual(a.leaf(i));
    expect(hex(b.root())).toBe(hex(a.root()));
    // A repeated key or one already present is an error, not a silent merge.
    expect(() => new FlatTree().appendLeaves(new Uint8Array([...keys.subarray(0, 32), ...keys.subarray(0, 32)]), values, 2)).toThrow(/given twice/);
    expect(() => b.appendLeaves(keys.subarray(32, 64), values, 1)).toThrow(/already in the tree/);
    expect(() => new FlatTree().appendLeaves(fill(0xff), fill(1), 1)).toThrow(/already in the tree/);
  });

  it('partial rehash across powers of two (the dense levels grow a height)', () => {
    const r = rng(3);
    const t = new FlatTree();
    const m = new NaiveTree();
    const first: TreeWrite[] = [];
    for (let j = 0; j < 252; j++) first.push({ key: randomKey(r), value: randomKey(r) });
    t.applyBatch(first);
    for (const w of first) m.write(w.key, w.value);
    for (let j = 0; j < 6; j++) {
      // n goes 254 → 260: single-key batches take the dirty-path route.
      const w = { key: randomKey(r), value: randomKey(r) };
      const u = { key: first[j].key, value: fill(j) };
      t.applyBatch([w, u]);
      m.write(w.key, w.value);
      m.write(u.key, u.value);
      expect(hex(t.root())).toBe(hex(m.root()));
    }
    checkAgainstModel(t, m);
  });

  it('a new key written twice keeps its first index and last value', () => {
    const t = new FlatTree();
    t.applyBatch([
      { key: fill(5), value: fill(1) },
      { key: fill(3), value: fill(2) },
      { key: fill(5), value: fill(3) },
      { key: fill(4), value: fill(4) },
      { key: fill(5), value: fill(5) },
    ]);
    expect(t.size).toBe(5);
    expect(t.get(fill(5))).toEqual({ index: 2n, value: fill(5) });
    expect(t.get(fill(3))?.index).toBe(3n);
    expect(t.get(fill(4))?.index).toBe(4n);
    // 0 → 3 (0x03…) → 4 (0x04…) → 2 (0x05…) → 1
    expect([0, 3, 4, 2].map((i) => t.leaf(i).next)).toEqual([3n, 4n, 2n, 1n]);
  });

  it('rejects guard writes and malformed input without changing the tree', () => {
    const t = new FlatTree();
    const before = hex(t.root());
    expect(() => t.applyBatch([{ key: fill(1), value: fill(1) }, { key: MIN_KEY, value: fill(1) }])).toThrow(/guard/);
    expect(() => t.applyBatch([{ key: MAX_KEY, value: fill(1) }])).toThrow(/guard/);
    expect(() => t.applyBatch([{ key: new Uint8Array(31), value: fill(1) }])).toThrow();
    expect(() => t.applyBatch([{ key: fill(1), value: new Uint8Array(33) }])).toThrow();
    expect(hex(t.root())).toBe(before);
    expect(t.size).toBe(2);
  });

  it('an empty batch changes nothing', () => {
    const t = new FlatTree();
    t.applyBatch([]);
    expect(hex(t.root())).toBe('0x90a83ead2ba2194fbbb0f7cd2a017e36cfb4891513546d943a7282c2844d4b6b');
  });
});

describe('FlatTree lookups and proofs', () => {
  const r = rng(99);
  const t = new FlatTree();
  const m = new NaiveTree();
  const keys: Uint8Array[] = [];
  for (let j = 0; j < 300; j++) keys.push(randomKey(r));
  t.applyBatch(keys.map((key) => ({ key, value: randomKey(r) })));
  for (const k of keys) m.write(k, t.get(k)!.value);
  t.applyBatch(keys.slice(0, 5).map((key) => ({ key, value: fill(0x77) })));
  for (const k of keys.slice(0, 5)) m.write(k, fill(0x77));

  it('get and prevIndex', () => {
    expect(t.get(MIN_KEY)).toEqual({ index: 0n, value: new Uint8Array(32) });
    expect(t.get(MAX_KEY)?.index).toBe(1n);
    expect(t.prevIndex(MAX_KEY)).toBe(1n);
    expect(t.prevIndex(MIN_KEY)).toBe(0n);
    for (const k of keys.slice(0, 50)) {
      const i = m.byKey.get(hex(k))!;
      expect(t.get(k)).toEqual({ index: BigInt(i), value: m.leaves[i].value });
      expect(t.prevIndex(k)).toBe(BigInt(i));
    }
    for (let j = 0; j < 50; j++) {
      const q = randomKey(r);
      expect(t.get(q)).toBeNull();
      expect(t.indexOf(q)).toBe(-1);
      expect(t.prevIndex(q)).toBe(BigInt(m.prevIndex(q)));
    }
  });

  it('proofs of existing and empty slots verify; any changed field does not', () => {
    const root = t.root();
    const indices = [0n, 1n, 2n, 150n, BigInt(t.size - 1), BigInt(t.size), 1000n, (1n << 40n) + 3n, (1n << 64n) - 1n];
    for (const index of indices) {
      const p = t.proof(index);
      expect(p.path.length).toBe(64);
      expect(FlatTree.verifyProof(root, p)).toBe(true);
      if (index >= BigInt(t.size)) expect(p.leaf).toEqual({ key: new Uint8Array(32), value: new Uint8Array(32), next: 0n });
      const tampered: LeafProof[] = [
        // (Two neighbouring empty slots have identical proofs up to the index.)
        { ...p, index: index < BigInt(t.size) ? index ^ 1n : 2n },
        { ...p, leaf: { ...p.leaf, next: p.leaf.next + 1n } },
        { ...p, leaf: { ...p.leaf, key: fill(0x42) } },
        { ...p, leaf: { ...p.leaf, value: fill(0x42) } },
      ];
      for (const l of [0, 5, 63]) {
        const path = p.path.slice();
        path[l] = fill(0x42);
        tampered.push({ ...p, path });
      }
      tampered.forEach((bad, k) => expect([index, k, FlatTree.verifyProof(root, bad)]).toEqual([index, k, false]));
    }
    expect(FlatTree.verifyProof(root, { ...t.proof(3), path: t.proof(3).path.slice(0, 63) })).toBe(false);
    expect(() => t.proof(1n << 64n)).toThrow();
    expect(() => t.proof(-1)).toThrow();
    expect(hex(recomputeRoot(t.proof(1n << 50n)))).toBe(hex(root));
  });

  it('empty slots far right hash as empty subtrees', () => {
    const p = t.proof((1n << 63n) + 5n);
    const E = emptyHashes();
    for (let l = 0; l < 63; l++) expect(hex(p.path[l])).toBe(hex(E[l]));
    expect(hex(p.path[63])).not.toBe(hex(E[63]));
  });

  it('membership and non-membership proofs', () => {
    const root = t.root();
    const existing = t.readProof(keys[10]);
    expect(existing.kind).toBe('existing');
    expect(FlatTree.verifyReadProof(root, keys[10], existing)).toBe(true);
    expect(FlatTree.verifyReadProof(root, keys[11], existing)).toBe(false);
    for (let j = 0; j < 20; j++) {
      const q = randomKey(r);
      const rp = t.readProof(q);
      expect(rp.kind).toBe('missing');
      if (rp.kind !== 'missing') continue;
      expect(rp.previous.leaf.next).toBe(rp.next.index);
      expect(FlatTree.verifyReadProof(root, q, rp)).toBe(true);
      // Neighbours that do not bracket the key, or are not linked, are rejected.
      expect(FlatTree.verifyReadProof(root, rp.next.leaf.key, rp)).toBe(false);
      const other = t.proof((rp.next.index + 1n) % BigInt(t.size));
      expect(FlatTree.verifyReadProof(root, q, { ...rp, next: other })).toBe(false);
      expect(FlatTree.verifyReadProof(root, q, { ...rp, previous: t.proof(0) })).toBe(rp.previous.index === 0n);
      expect(FlatTree.verifyReadProof(fill(1), q, rp)).toBe(false);
    }
  });

  it('matches the model after the update batch', () => {
    checkAgainstModel(t, m);
  });
});
