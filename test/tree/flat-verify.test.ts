// verifyAndApplyBatch (reference §4.7) against FlatTree: same commitments for every mix of
// reads and writes, the query order of §1.7 step 4, and detection of tampered answers.
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../machine/common/bytes.ts';
import {
  FlatTree,
  MIN_KEY,
  TreeVerificationError,
  flatKey,
  treeProofSource,
  verifyAndApplyBatch,
  type AccessedSlot,
  type LeafProof,
  type ProofSource,
  type TreeCommitment,
} from '../../machine/tree/flat/index.ts';
import { randomKey, rng } from './flat-helpers.ts';

const hex = bytesToHex;
const fill = (b: number) => new Uint8Array(32).fill(b);
const ZERO = new Uint8Array(32);

type Query = [7, bigint] | [8, string] | [9, string];

/** Wraps a source, logging each query; `tamper` may replace the n-th answer. */
function recording(
  inner: ProofSource,
  tamper?: (n: number, q: Query, answer: bigint | LeafProof) => bigint | LeafProof,
): ProofSource & { log: Query[] } {
  const log: Query[] = [];
  const answer = <T extends bigint | LeafProof>(q: Query, a: T): T => {
    log.push(q);
    return (tamper ? tamper(log.length - 1, q, a) : a) as T;
  };
  return {
    log,
    exactIndex: (key) => answer([9, hex(key)], inner.exactIndex(key)),
    prevIndex: (key) => answer([8, hex(key)], inner.prevIndex(key)),
    proofForIndex: (index) => answer([7, index], inner.proofForIndex(index)),
  };
}

interface Access {
  key: Uint8Array;
  /** Omitted: a read. */
  write?: Uint8Array;
}

function slotsFor(tree: FlatTree, accesses: Access[]): AccessedSlot[] {
  return accesses.map(({ key, write }) => {
    const found = tree.get(key);
    const initialValue = found ? found.value : ZERO;
    return { flatKey: key, initialValue, finalValue: write ?? initialValue, isNew: !found };
  });
}

/** Verifies against the pre-batch tree, applies to the tree, and requires equal commitments. */
function verifyThenApply(tree: FlatTree, accesses: Access[]): { commitment: TreeCommitment; log: Query[] } {
  const slots = slotsFor(tree, accesses);
  const source = recording(treeProofSource(tree));
  const commitment = verifyAndApplyBatch(tree.commitment(), slots, source);
  tree.applyBatch(
    slots.filter((s) => hex(s.initialValue) !== hex(s.finalValue)).map((s) => ({ key: s.flatKey, value: s.finalValue })),
  );
  const after = tree.commitment();
  expect(hex(commitment.root)).toBe(hex(after.root));
  expect(commitment.nextFreeSlot).toBe(after.nextFreeSlot);
  return { commitment, log: source.log };
}

function seededTree(seed: number, count: number): { tree: FlatTree; keys: Uint8Array[]; r: () => number } {
  const r = rng(seed);
  const tree = new FlatTree();
  const keys: Uint8Array[] = [];
  for (let j = 0; j < count; j++) keys.push(randomKey(r));
  tree.applyBatch(keys.map((key) => ({ key, value: randomKey(r) })));
  return { tree, keys, r };
}

function randomAccesses(r: () => number, keys: Uint8Array[], count: number): Access[] {
  const out: Access[] = [];
  const used = new Set<string>();
  while (out.length < count) {
    const roll = r();
    let key: Uint8Array;
    if (roll < 0.5 && keys.length > 0) key = keys[Math.floor(r() * keys.length)];
    else if (roll < 0.6 && out.length > 0) {
      // A neighbour of another accessed key: same gap, shared proofs.
      key = out[Math.floor(r() * out.length)].key.slice();
      key[31] ^= 1 + Math.floor(r() * 3);
    } else key = randomKey(r);
    if (used.has(hex(key))) continue;
    used.add(hex(key));
    const kind = r();
    out.push(kind < 0.4 ? { key } : { key, write: kind < 0.45 ? ZERO : randomKey(r) });
  }
  return out;
}

describe('verifyAndApplyBatch agrees with FlatTree', () => {
  it('the small batch sequence: missing reads, inserts, updates with reads, updates with inserts', () => {
    const tree = new FlatTree();
    const k0 = flatKey(0n, ZERO);
    const k1 = flatKey(0n, fill(1));
    const k2 = flatKey(0n, fill(2));
    const kf = flatKey(0n, fill(0x0f));
    const v = (n: number) => {
      const b = new Uint8Array(32);
      b[31] = n;
      return b;
    };
    const c0 = tree.commitment();
    const a = verifyThenApply(tree, [{ key: k0 }, { key: k1 }, { key: k2 }]).commitment;
    expect(hex(a.root)).toBe(hex(c0.root));
    expect(a.nextFreeSlot).toBe(2n);
    verifyThenApply(tree, [
      { key: k0, write: v(1) },
      { key: k1, write: v(2) },
      { key: k2, write: v(3) },
    ]);
    expect(tree.size).toBe(5);
    verifyThenApply(tree, [{ key: k1, write: v(4) }, { key: k0 }, { key: k2, write: v(5) }, { key: kf }]);
    verifyThenApply(tree, [{ key: k1, write: v(6) }, { key: kf, write: fill(0xff) }, { key: k0, write: v(7) }]);
    expect(tree.size).toBe(6);
  });

  it('an empty batch leaves the commitment and asks nothing', () => {
    const { tree } = seededTree(1, 10);
    const { commitment, log } = verifyThenApply(tree, []);
    expect(log).toEqual([]);
    expect(commitment.nextFreeSlot).toBe(12n);
  });

  it('only existing reads: commitment unchanged', () => {
    const { tree, keys } = seededTree(2, 50);
    const before = tree.commitment();
    const { commitment } = verifyThenApply(tree, keys.slice(0, 10).map((key) => ({ key })));
    expect(hex(commitment.root)).toBe(hex(before.root));
  });

  for (const [seed, size, count] of [
    [11, 0, 30],
    [12, 0, 1],
    [13, 40, 60],
    [14, 300, 120],
    [15, 1000, 40],
    [16, 3, 8],
    [17, 5000, 600],
  ]) {
    it(`random mixes (seed ${seed}, ${size} leaves, ${count} slots)`, () => {
      const { tree, keys, r } = seededTree(seed, size);
      for (let round = 0; round < 4; round++) verifyThenApply(tree, randomAccesses(r, keys, count));
    });
  }

  it('new keys appended in the order given, not in key order', () => {
    const tree = new FlatTree();
    const { commitment } = verifyThenApply(tree, [
      { key: fill(9), write: fill(1) },
      { key: fill(3), write: fill(2) },
      { key: fill(6), write: fill(3) },
    ]);
    expect(tree.get(fill(9))?.index).toBe(2n);
    expect(tree.get(fill(3))?.index).toBe(3n);
    expect(commitment.nextFreeSlot).toBe(5n);
  });
});

describe('query order (§1.7 step 4)', () => {
  // Leaves: A = 0x10… (2), B = 0x20… (3), C = 0x30… (4).
  const build = () => {
    const tree = new FlatTree();
    tree.applyBatch([fill(0x10), fill(0x20), fill(0x30)].map((key, i) => ({ key, value: fill(i + 1) })));
    return tree;
  };
  const X = fill(0x18);
  const Y = fill(0x28);

  it('reads before writes, proofs only for leaves not yet loaded', () => {
    const { log } = verifyThenApply(build(), [{ key: X, write: fill(9) }, { key: fill(0x30) }, { key: Y }, { key: fill(0x10), write: fill(7) }]);
    expect(log).toEqual([
      [9, hex(fill(0x30))],
      [7, 4n],
      [8, hex(Y)],
      [7, 3n],
      [8, hex(X)],
      [7, 2n],
    ]);
  });

  it('an existing read always asks query 9, even for a loaded leaf', () => {
    const { log } = verifyThenApply(build(), [{ key: Y }, { key: fill(0x30) }]);
    expect(log).toEqual([
      [8, hex(Y)],
      [7, 3n],
      [7, 4n],
      [9, hex(fill(0x30))],
    ]);
  });

  it('inserts end with the proof of the rightmost leaf unless loaded', () => {
    const tree = build();
    tree.applyBatch([{ key: fill(0x40), value: fill(4) }]); // D = 0x40… at 5
    const { log } = verifyThenApply(tree, [{ key: X, write: fill(9) }, { key: fill(0x20), write: fill(8) }]);
    expect(log).toEqual([
      [8, hex(X)],
      [7, 2n],
      [7, 3n],
      [7, 5n],
    ]);
  });
});

describe('verification failures', () => {
  const expectCode = (f: () => unknown, code: string) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(TreeVerificationError);
      expect((e as TreeVerificationError).code).toBe(code);
      return;
    }
    throw new Error(`expected ${code}`);
  };
  const { tree, keys } = seededTree(21, 200);
  const honest = () => treeProofSource(tree);
  const c = tree.commitment();
  const mixed: Access[] = [
    { key: keys[0] },
    { key: fill(0x55) },
    { key: keys[1], write: fill(1) },
    { key: fill(0x66), write: fill(2) },
    { key: fill(0x67), write: fill(3) },
  ];

  it('tampering any field of a lone proof is detected', () => {
    const slots = slotsFor(tree, [{ key: keys[5] }]);
    const flip = (b: Uint8Array) => {
      const x = b.slice();
      x[7] ^= 0x10;
      return x;
    };
    const variants: Array<(p: LeafProof) => LeafProof> = [
      (p) => ({ ...p, index: p.index + 1n }),
      (p) => ({ ...p, leaf: { ...p.leaf, key: flip(p.leaf.key) } }),
      (p) => ({ ...p, leaf: { ...p.leaf, value: flip(p.leaf.value) } }),
      (p) => ({ ...p, leaf: { ...p.leaf, next: p.leaf.next ^ 1n } }),
      (p) => ({ ...p, path: p.path.slice(1) }),
    ];
    for (let l = 0; l < 64; l++) variants.push((p) => ({ ...p, path: p.path.map((h, i) => (i === l ? flip(h) : h)) }));
    for (const v of variants) {
      const src = recording(honest(), (_n, q, a) => (q[0] === 7 ? v(a as LeafProof) : a));
      expect(() => verifyAndApplyBatch(c, slots, src)).toThrow(TreeVerificationError);
    }
  });

  it('every tampered answer in a mixed batch is rejected, unread siblings included', () => {
    const slots = slotsFor(tree, mixed);
    const queries = recording(honest());
    verifyAndApplyBatch(c, slots, queries);
    let siblingsDetected = 0;
    for (let n = 0; n < queries.log.length; n++) {
      const kind = queries.log[n][0];
      const changes: Array<(a: bigint | LeafProof) => bigint | LeafProof> = [];
      // The first changes of each answer (indices, leaf fields) must always be detected.
      const mustDetect = kind === 7 ? 4 : 3;
      if (kind !== 7) changes.push((a) => (a as bigint) + 1n, (a) => (a as bigint) - 1n, () => c.nextFreeSlot);
      else {
        const f = (b: Uint8Array) => b.map((x, i) => (i === 0 ? x ^ 1 : x));
        changes.push(
          (a) => ({ ...(a as LeafProof), index: (a as LeafProof).index + 1n }),
          (a) => ({ ...(a as LeafProof), leaf: { ...(a as LeafProof).leaf, key: f((a as LeafProof).leaf.key) } }),
          (a) => ({ ...(a as LeafProof), leaf: { ...(a as LeafProof).leaf, value: f((a as LeafProof).leaf.value) } }),
          (a) => ({ ...(a as LeafProof), leaf: { ...(a as LeafProof).leaf, next: (a as LeafProof).leaf.next + 1n } }),
        );
        for (let l = 0; l < 64; l++) changes.push((a) => ({ ...(a as LeafProof), path: (a as LeafProof).path.map((h, i) => (i === l ? f(h) : h)) }));
      }
      for (let k = 0; k < changes.length; k++) {
        const change = changes[k];
        const src = recording(honest(), (m, _q, a) => (m === n ? change(a) : a));
        let detected = false;
        try {
          verifyAndApplyBatch(c, slots, src);
        } catch (e) {
          if (!(e instanceof TreeVerificationError)) throw e;
          detected = true;
          if (k >= mustDetect) siblingsDetected++;
        }
        expect(detected, `query ${n} change ${k}`).toBe(true);
      }
    }
    // Every sibling counts, even one the fold never needs: each proof must verify on its own.
    const loadedIdx = new Set(queries.log.filter((q) => q[0] === 7).map((q) => q[1] as bigint));
    expect(siblingsDetected).toBe(64 * loadedIdx.size);
  });

  it('named errors for inconsistent slots and commitments', () => {
    expectCode(() => verifyAndApplyBatch({ ...c, root: fill(1) }, slotsFor(tree, mixed), honest()), 'STALE_ROOT');
    const [existing] = slotsFor(tree, [{ key: keys[3], write: fill(4) }]);
    expectCode(() => verifyAndApplyBatch(c, [{ ...existing, initialValue: fill(9) }], honest()), 'LEAF_VALUE_MISMATCH');
    expectCode(() => verifyAndApplyBatch(c, [{ ...existing, isNew: true, initialValue: ZERO }], honest()), 'NOT_A_NEIGHBOUR');
    expectCode(() => verifyAndApplyBatch(c, [existing, existing], honest()), 'DUPLICATE_SLOT');
    const [fresh] = slotsFor(tree, [{ key: fill(0x77), write: fill(1) }]);
    expectCode(() => verifyAndApplyBatch(c, [fresh, fresh], honest()), 'DUPLICATE_KEY');
    expectCode(() => verifyAndApplyBatch(c, [{ ...fresh, initialValue: fill(1), finalValue: fill(2) }], honest()), 'NONZERO_INITIAL_VALUE');
    // A missing key claimed to exist: the oracle can only point at some other leaf.
    const lying: ProofSource = { ...honest(), exactIndex: (k) => tree.prevIndex(k) };
    expectCode(() => verifyAndApplyBatch(c, [{ ...fresh, isNew: false }], lying), 'LEAF_KEY_MISMATCH');
    expectCode(() => verifyAndApplyBatch(c, [fresh], { ...honest(), prevIndex: () => c.nextFreeSlot }), 'PREV_INDEX_OUT_OF_RANGE');
    expectCode(() => verifyAndApplyBatch(c, [{ ...existing }], { ...honest(), exactIndex: () => 1n << 64n }), 'INDEX_OUT_OF_RANGE');
    expectCode(
      () => verifyAndApplyBatch(c, [fresh], { ...honest(), proofForIndex: (i) => tree.proof(i + 1n) }),
      'PROOF_INDEX_MISMATCH',
    );
    expectCode(
      () => verifyAndApplyBatch(c, [fresh], { ...honest(), proofForIndex: (i) => ({ ...tree.proof(i), path: [] }) }),
      'MALFORMED_PROOF',
    );
    expectCode(
      () => verifyAndApplyBatch(c, [fresh], { ...honest(), proofForIndex: (i) => ({ ...tree.proof(i), leaf: { ...tree.leaf(i), next: 10_000n } }) }),
      'NEXT_INDEX_OUT_OF_RANGE',
    );
    // Writing the min guard while relinking is needed.
    const guard: AccessedSlot = { flatKey: MIN_KEY, initialValue: ZERO, finalValue: fill(1), isNew: false };
    expectCode(() => verifyAndApplyBatch(c, [guard, fresh], honest()), 'GUARD_MISMATCH');
    expectCode(() => verifyAndApplyBatch(c, [{ ...fresh, flatKey: new Uint8Array(31) }], honest()), 'MALFORMED_SLOT');
  });
});

describe('every sibling of every proof is checked', () => {
  it('a changed sibling anywhere in any proof of a batch fails, even where the fold computes that node itself', () => {
    const { tree, keys, r } = seededTree(21, 40);
    const c = tree.commitment();
    // Reads and writes of neighbouring leaves (their paths share most nodes) and inserts.
    const accesses: Access[] = [
      { key: keys[0] },
      { key: keys[1], write: fill(3) },
      { key: keys[2] },
      { key: keys[3], write: fill(4) },
      { key: randomKey(r), write: fill(5) },
      { key: randomKey(r) },
    ];
    const slots = slotsFor(tree, accesses);
    const honest = recording(treeProofSource(tree));
    verifyAndApplyBatch(c, slots, honest);
    const proofs = honest.log.filter((q): q is [7, bigint] => q[0] === 7).map((q) => q[1]);
    expect(proofs.length).toBeGreaterThan(4);
    let checked = 0;
    for (const index of proofs) {
      for (const level of [0, 1, 2, 5, 6, 7, 30, 63]) {
        const source: ProofSource = {
          ...treeProofSource(tree),
          proofForIndex: (i) => {
            const p = tree.proof(i);
            if (i !== index) return p;
            const path = p.path.slice();
            path[level] = path[level].slice();
            path[level][level % 32] ^= 1;
            return { ...p, path };
          },
        };
        let code = '';
        try {
          verifyAndApplyBatch(c, slots, source);
        } catch (e) {
          code = (e as TreeVerificationError).code;
        }
        expect(['INCONSISTENT_PROOF', 'STALE_ROOT'], `leaf ${index} level ${level}`).toContain(code);
        checked++;
      }
    }
    expect(checked).toBe(proofs.length * 8);
  });
});
