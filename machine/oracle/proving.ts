// The proving-only oracle queries (reference §1.1: IDs 2, 6, 7, 8, 9). The forward sequencer never
// asks them; the proving run asks them at finish time to verify every storage access against the
// state root before the block. The word encodings of their answers (reference §1.3) live here too;
// the primitives they are built from are in codec.ts.
import type { FlatLeaf, LeafProof, ProofSource, TreeCommitment } from '../tree/flat/hash.ts';
import { PROOF_PATH_LENGTH, TapeError, WORDS_COMMITMENT, WORDS_FSM, WORDS_LEAF, WORDS_LEAF_PROOF, WordReader, WordWriter, decodeWith } from './codec.ts';
import { OracleError, type BlockMetadata, type InitialSlot, type Oracle } from './types.ts';

export interface ProvingOracle extends Oracle, ProofSource {
  /** True when the block must be proven: state verified, public input computed. */
  readonly provesState: boolean;
  /**
   * Query 2: the `BasicIOImplementerFSM` — of which only the state commitment before the block
   * is meaningful; on the wire its other fields are zero / false (22 words).
   */
  ioImplementerInit(): TreeCommitment;
  /** Query 7: the leaf at this index with its 64 siblings. */
  proofForIndex(index: bigint): LeafProof;
  /** Query 8: index of the leaf with the greatest key <= this flat key. */
  prevIndex(key: Uint8Array): bigint;
  /** Query 9: index of the existing leaf with exactly this flat key. */
  exactIndex(key: Uint8Array): bigint;
  /** Query 6: the last query of a proving run; nothing is answered after it. */
  disconnect(): void;
}

/**
 * Whether the oracle runs the block in proving mode. Recording and replaying oracles implement
 * every query but only prove when what they wrap (or replay) does, hence the explicit flag.
 */
export function isProvingOracle(o: Oracle): o is ProvingOracle {
  const p = o as Partial<ProvingOracle>;
  return (
    p.provesState === true &&
    typeof p.ioImplementerInit === 'function' &&
    typeof p.proofForIndex === 'function' &&
    typeof p.prevIndex === 'function' &&
    typeof p.exactIndex === 'function' &&
    typeof p.disconnect === 'function'
  );
}

/**
 * A proving oracle from a forward oracle plus the tree holding the state before the block (its
 * commitment and proof source, e.g. `treeProofSource(tree)`). As in the reference forward oracle,
 * the FSM answer is handed out once; a second query 2 is an error.
 */
export function withProofs(base: Oracle, commitment: TreeCommitment, proofs: ProofSource): ProvingOracle {
  let fsmTaken = false;
  return {
    provesState: true,
    nextTxSize: (): number => base.nextTxSize(),
    nextTxContent: (): Uint8Array => base.nextTxContent(),
    blockMetadata: (): BlockMetadata => base.blockMetadata(),
    initialStorageSlot: (address: bigint, key: bigint): InitialSlot => base.initialStorageSlot(address, key),
    preimage: (hash: Uint8Array): Uint8Array => base.preimage(hash),
    ioImplementerInit(): TreeCommitment {
      if (fsmTaken) throw new OracleError('FSM_TAKEN', 'the IO implementer state was already handed out');
      fsmTaken = true;
      return { root: commitment.root.slice(), nextFreeSlot: commitment.nextFreeSlot };
    },
    proofForIndex: (index: bigint): LeafProof => proofs.proofForIndex(index),
    prevIndex: (key: Uint8Array): bigint => proofs.prevIndex(key),
    exactIndex: (key: Uint8Array): bigint => proofs.exactIndex(key),
    disconnect(): void {},
  };
}

// ---- answer encodings (reference §1.3) -------------------------------------------------------

/** `BasicIOImplementerFSM` (query 2 answer); only `stateRoot` is meaningful (reference §1.3). */
export interface IOImplementerFsm {
  stateRoot: TreeCommitment;
  pubdataDiffsLogHash: Uint8Array;
  numPubdataDiffsLogs: number;
  blockFunctionalityIsCompleted: boolean;
}

const writeCommitment = (w: WordWriter, c: TreeCommitment): WordWriter => w.bytes32(c.root).u64(c.nextFreeSlot);
const readCommitment = (r: WordReader): TreeCommitment => ({ root: r.bytes32(), nextFreeSlot: r.u64() });

export function encodeCommitment(c: TreeCommitment): Uint32Array {
  return writeCommitment(new WordWriter(WORDS_COMMITMENT), c).finish();
}

export function decodeCommitment(w: Uint32Array, base = 0): TreeCommitment {
  return decodeWith(w, base, 'FlatStorageCommitment', WORDS_COMMITMENT, readCommitment);
}

export function encodeFsm(f: IOImplementerFsm): Uint32Array {
  return writeCommitment(new WordWriter(WORDS_FSM), f.stateRoot)
    .bytes32(f.pubdataDiffsLogHash)
    .u32(f.numPubdataDiffsLogs)
    .bool(f.blockFunctionalityIsCompleted)
    .finish();
}

export function decodeFsm(w: Uint32Array, base = 0): IOImplementerFsm {
  return decodeWith(w, base, 'BasicIOImplementerFSM', WORDS_FSM, (r) => ({
    stateRoot: readCommitment(r),
    pubdataDiffsLogHash: r.bytes32(),
    numPubdataDiffsLogs: r.u32(),
    blockFunctionalityIsCompleted: r.bool(),
  }));
}

/** The FSM as the forward oracle sends it: the commitment, every other field zero / false. */
export function encodeFsmInit(c: TreeCommitment): Uint32Array {
  return encodeFsm({ stateRoot: c, pubdataDiffsLogHash: new Uint8Array(32), numPubdataDiffsLogs: 0, blockFunctionalityIsCompleted: false });
}

/** Stricter than the guest, which ignores them: the unused FSM fields must be zero. */
export function decodeFsmInit(w: Uint32Array, base = 0): TreeCommitment {
  const f = decodeFsm(w, base);
  for (let i = WORDS_COMMITMENT; i < WORDS_FSM; i++) {
    if (w[i] !== 0) throw new TapeError('NONZERO_UNUSED_FIELD', base + i, `unused FSM word ${i} is ${w[i]}`);
  }
  return f.stateRoot;
}

const writeLeaf = (w: WordWriter, l: FlatLeaf): WordWriter => w.bytes32(l.key).bytes32(l.value).u64(l.next);
const readLeaf = (r: WordReader): FlatLeaf => ({ key: r.bytes32(), value: r.bytes32(), next: r.u64() });

export function encodeLeaf(l: FlatLeaf): Uint32Array {
  return writeLeaf(new WordWriter(WORDS_LEAF), l).finish();
}

export function decodeLeaf(w: Uint32Array, base = 0): FlatLeaf {
  return decodeWith(w, base, 'FlatStorageLeaf', WORDS_LEAF, readLeaf);
}

export function encodeLeafProof(p: LeafProof): Uint32Array {
  const w = writeLeaf(new WordWriter(WORDS_LEAF_PROOF).u64(p.index), p.leaf);
  if (p.path.length !== PROOF_PATH_LENGTH) {
    throw new TapeError('VALUE_OUT_OF_RANGE', w.length, `proof path of ${p.path.length} hashes, expected ${PROOF_PATH_LENGTH}`);
  }
  for (const h of p.path) w.bytes32(h);
  return w.finish();
}

export function decodeLeafProof(w: Uint32Array, base = 0): LeafProof {
  return decodeWith(w, base, 'LeafProof', WORDS_LEAF_PROOF, (r) => {
    const index = r.u64();
    const leaf = readLeaf(r);
    const path: Uint8Array[] = [];
    for (let l = 0; l < PROOF_PATH_LENGTH; l++) path.push(r.bytes32());
    return { index, leaf, path };
  });
}
