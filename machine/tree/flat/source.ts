// The proof source of an in-memory tree: answers queries 9, 8 and 7 (reference §1.6) from a
// FlatTree that holds the state before the batch.
import type { LeafProof, ProofSource } from './hash.ts';
import type { FlatTree } from './tree.ts';

/** A proof source answering queries 9, 8 and 7 from a tree holding the state before the batch. */
export function treeProofSource(tree: FlatTree): ProofSource {
  return {
    exactIndex(key: Uint8Array): bigint {
      const i = tree.indexOf(key);
      if (i < 0) throw new Error('exact index asked for a key that is not in the tree');
      return BigInt(i);
    },
    prevIndex: (key: Uint8Array) => tree.prevIndex(key),
    proofForIndex: (index: bigint): LeafProof => tree.proof(index),
  };
}
