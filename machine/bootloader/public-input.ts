// The block's public input (reference §5.1) with the design.md fixes: the block-hash window
// chains (H_after of block N equals H_before of block N+1), and the blocks output also commits to
// the native price, gas per pubdata and every transaction body received (rejected ones too),
// which the reference leaves out — every input of the block is bound.
import { concatBytes, writeBigInt } from '../common/bytes.ts';
import { blake2s } from '../crypto/index.ts';
import type { TreeCommitment } from '../tree/flat/hash.ts';

export interface PublicInputParts {
  before: TreeCommitment;
  after: TreeCommitment;
  chainId: bigint;
  blockNumber: bigint;
  timestamp: bigint;
  /** The metadata window: index 0 is the hash of block N-1. */
  blockHashes: bigint[];
  blockHash: Uint8Array;
  pubdata: Uint8Array;
  /** blake2s of the concatenated hashes of the L1→L2 priority transactions processed (§5.5). */
  priorityOpsHash: Uint8Array;
  /** keccak of each L2→L1 log's 88-byte encoding, in order. */
  l2ToL1LogHashes: Uint8Array[];
  upgradeTxHash: Uint8Array;
  nativePrice: bigint;
  gasPerPubdata: bigint;
  /** Every transaction body received, rejected ones included (BlockOutput.txInputsHash). */
  txInputsHash: Uint8Array;
}

export interface PublicInput {
  stateBefore: Uint8Array;
  stateAfter: Uint8Array;
  blocksOutput: Uint8Array;
  hash: Uint8Array;
  /** The 8 u32 words the RISC-V program leaves in x10..x17: word i = LE u32 of bytes [4i, 4i+4). */
  words: Uint32Array;
}

function be(v: bigint, len: number): Uint8Array {
  const out = new Uint8Array(len);
  writeBigInt(out, 0, v, len);
  return out;
}

/** blake2s over the 256-entry window, most recent first. */
export function blockHashWindowHash(hashes: bigint[]): Uint8Array {
  if (hashes.length !== 256) throw new RangeError(`the block-hash window has ${hashes.length} entries, not 256`);
  return blake2s(concatBytes(...hashes.map((h) => be(h, 32))));
}

/** The window block N+1 will see: hash N in front, the oldest entry dropped. */
export function nextBlockHashWindow(hashes: bigint[], blockHash: Uint8Array): bigint[] {
  let h = 0n;
  for (const b of blockHash) h = (h << 8n) | BigInt(b);
  return [h, ...hashes.slice(0, 255)];
}

export function chainStateCommitment(tree: TreeCommitment, blockNumber: bigint, windowHash: Uint8Array): Uint8Array {
  // last_block_timestamp stays 0, as in the reference: the metadata does not carry it.
  return blake2s(concatBytes(tree.root, be(tree.nextFreeSlot, 8), be(blockNumber, 8), windowHash, be(0n, 8)));
}

export function computePublicInput(p: PublicInputParts): PublicInput {
  const stateBefore = chainStateCommitment(p.before, p.blockNumber - 1n, blockHashWindowHash(p.blockHashes));
  const stateAfter = chainStateCommitment(p.after, p.blockNumber, blockHashWindowHash(nextBlockHashWindow(p.blockHashes, p.blockHash)));
  const blocksOutput = blake2s(
    concatBytes(
      be(p.chainId, 32),
      be(p.timestamp, 8),
      be(p.timestamp, 8),
      blake2s(p.pubdata),
      p.priorityOpsHash,
      blake2s(concatBytes(...p.l2ToL1LogHashes)),
      p.upgradeTxHash,
      be(p.nativePrice, 32),
      be(p.gasPerPubdata, 32),
      p.txInputsHash,
    ),
  );
  const hash = blake2s(concatBytes(stateBefore, stateAfter, blocksOutput));
  const words = new Uint32Array(8);
  const view = new DataView(hash.buffer, hash.byteOffset, 32);
  for (let i = 0; i < 8; i++) words[i] = view.getUint32(4 * i, true);
  return { stateBefore, stateAfter, blocksOutput, hash, words };
}
