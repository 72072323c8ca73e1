// A stored block as the API shows it: the Ethereum-style summary (number, hash, parent, gas,
// base fee, miner, timestamp), the context it ran in, the zksync header and block outputs, the
// tree stage's commitment and public input, and on request its pubdata size (which needs a
// re-execution: the store does not keep pubdata).
import type { BlockHeader } from '../../../machine/bootloader/types.ts';
import { ChainError } from '../../../storage/errors.ts';
import { addr, data, qty, word } from '../rpc/encode.ts';
import type { ApiServices } from '../services.ts';

export interface HeaderView {
  parentHash: string;
  sha3Uncles: string;
  miner: string;
  stateRoot: string;
  /** ZKsync OS: the transactions rolling hash. */
  transactionsRoot: string;
  receiptsRoot: string;
  logsBloom: string;
  difficulty: string;
  number: string;
  gasLimit: string;
  gasUsed: string;
  timestamp: string;
  extraData: string;
  mixHash: string;
  nonce: string;
  baseFeePerGas: string;
}

export interface BlockView {
  number: number;
  /** null: genesis and ethereum-profile blocks have no stored hash. */
  hash: string | null;
  parentHash: string | null;
  profile: string;
  timestamp: string;
  gasLimit: string;
  gasUsed: string;
  baseFeePerGas: string;
  miner: string;
  transactionCount: number;
  /** keccak of the canonical encoding of the block's outputs (storage/digest.ts). */
  outputDigest: string;
  /** The block context it ran in. */
  context: {
    chainId: string;
    timestamp: string;
    baseFee: string;
    gasPerPubdata: string;
    nativePrice: string;
    coinbase: string;
    gasLimit: string;
    mixHash: string;
    blobBaseFee: string;
  };
  /** zksync: the 16-field header whose keccak is the hash. */
  header: HeaderView | null;
  txRollingHash: string | null;
  priorityOpsHash: string | null;
  upgradeTxHash: string | null;
  logCount: number | null;
  l2ToL1LogCount: number | null;
  l2ToL1MessageCount: number | null;
  /**
   * The state commitment after the block (flat tree root and next free leaf) and the block's
   * public input (zksync; 8 words as 32 bytes), from the tree stage; null until it has run.
   */
  commitment: { root: string; nextFreeSlot: string } | null;
  publicInput: string | null;
  /** Bytes of the block's pubdata (zksync, §5.3); present when asked for (a re-execution). */
  pubdataSize?: number;
}

function headerView(h: BlockHeader): HeaderView {
  return {
    parentHash: data(h.parentHash),
    sha3Uncles: data(h.ommersHash),
    miner: addr(h.beneficiary),
    stateRoot: data(h.stateRoot),
    transactionsRoot: data(h.transactionsRoot),
    receiptsRoot: data(h.receiptsRoot),
    logsBloom: data(h.logsBloom),
    difficulty: qty(h.difficulty),
    number: qty(h.number),
    gasLimit: qty(h.gasLimit),
    gasUsed: qty(h.gasUsed),
    timestamp: qty(h.timestamp),
    extraData: data(h.extraData),
    mixHash: data(h.mixHash),
    nonce: data(h.nonce),
    baseFeePerGas: qty(h.baseFeePerGas),
  };
}

export function blockView(s: ApiServices, n: number): BlockView {
  const b = s.chain.reader.block(n);
  const o = s.queries.blockOutputs(n);
  if (b === null || o === null) throw new ChainError('BLOCK_NOT_FOUND', `block ${n} is not stored (head is ${s.chain.head()})`);
  const c = s.chain.commitment(n);
  return {
    number: n,
    hash: o.blockHash === null ? null : data(o.blockHash),
    parentHash: o.header === null ? null : data(o.header.parentHash),
    profile: b.profile,
    timestamp: qty(b.timestamp),
    gasLimit: qty(b.gasLimit),
    gasUsed: qty(b.gasUsed),
    baseFeePerGas: qty(b.eip1559BaseFee),
    miner: addr(b.coinbase),
    transactionCount: b.txCount,
    outputDigest: data(b.outputDigest),
    context: {
      chainId: qty(b.chainId),
      timestamp: qty(b.timestamp),
      baseFee: qty(b.eip1559BaseFee),
      gasPerPubdata: qty(b.gasPerPubdata),
      nativePrice: qty(b.nativePrice),
      coinbase: addr(b.coinbase),
      gasLimit: qty(b.gasLimit),
      mixHash: word(b.mixHash),
      blobBaseFee: qty(b.blobBaseFee),
    },
    header: o.header === null ? null : headerView(o.header),
    txRollingHash: o.txRollingHash === null ? null : data(o.txRollingHash),
    priorityOpsHash: o.priorityOpsHash === null ? null : data(o.priorityOpsHash),
    upgradeTxHash: o.upgradeTxHash === null ? null : data(o.upgradeTxHash),
    logCount: o.eventCount,
    l2ToL1LogCount: o.l2LogCount,
    l2ToL1MessageCount: o.l2MessageCount,
    commitment: c === null ? null : { root: data(c.root), nextFreeSlot: qty(c.nextFreeSlot) },
    publicInput: c?.publicInput == null ? null : data(c.publicInput),
  };
}

/** The pubdata of block n, from a re-execution of its log (held to the stored digest). */
export function blockPubdata(s: ApiServices, n: number): Uint8Array | null {
  const b = s.chain.reader.block(n);
  if (b === null) throw new ChainError('BLOCK_NOT_FOUND', `block ${n} is not stored (head is ${s.chain.head()})`);
  if (b.profile === 'genesis') return null;
  return s.runs.run(`pubdata of block ${n}`, () => s.reexec.rerun(n).pubdata ?? null);
}
