// Test helpers for the flat tree: a deterministic PRNG and a deliberately naive model of the
// tree (plain arrays, whole-tree hashing) to check the fast one against.
import { bytesToHex } from '../../machine/common/bytes.ts';
import { MAX_KEY, MIN_KEY, TREE_HEIGHT, compareKeys, emptyHashes, leafHash, nodeHash } from '../../machine/tree/flat/index.ts';

export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
}

export function randomKey(r: () => number, prefix?: Uint8Array): Uint8Array {
  const k = new Uint8Array(32);
  for (let i = 0; i < 32; i++) k[i] = Math.floor(r() * 256);
  if (prefix) k.set(prefix, 0);
  return k;
}

interface ModelLeaf {
  key: Uint8Array;
  value: Uint8Array;
  next: number;
}

export class NaiveTree {
  leaves: ModelLeaf[] = [
    { key: MIN_KEY.slice(), value: new Uint8Array(32), next: 1 },
    { key: MAX_KEY.slice(), value: new Uint8Array(32), next: 1 },
  ];
  byKey = new Map<string, number>([
    [bytesToHex(MIN_KEY), 0],
    [bytesToHex(MAX_KEY), 1],
  ]);

  write(key: Uint8Array, value: Uint8Array): void {
    const i = this.byKey.get(bytesToHex(key));
    if (i !== undefined) {
      this.leaves[i].value = value.slice();
      return;
    }
    const p = this.prevIndex(key);
    const idx = this.leaves.length;
    this.leaves.push({ key: key.slice(), value: value.slice(), next: this.leaves[p].next });
    this.leaves[p].next = idx;
    this.byKey.set(bytesToHex(key), idx);
  }

  prevIndex(key: Uint8Array): number {
    let best = 0;
    for (let i = 0; i < this.leaves.length; i++) {
      const k = this.leaves[i].key;
      if (compareKeys(k, key) <= 0 && compareKeys(k, this.leaves[best].key) > 0) best = i;
    }
    return best;
  }

  root(): Uint8Array {
    const E = emptyHashes();
    let level = this.leaves.map((l) => leafHash(l.key, l.value, BigInt(l.next)));
    for (let l = 0; l < TREE_HEIGHT; l++) {
      const up: Uint8Array[] = [];
      for (let i = 0; i < level.length; i += 2) up.push(nodeHash(level[i], i + 1 < level.length ? level[i + 1] : E[l]));
      level = up;
    }
    return level[0];
  }
}
