// Executing a parsed block file (format.ts) on a chain: the checks against the stored chain that
// come before any write (numbers, timestamps, encodable L1 transactions), then the blocks one by
// one. Shared by `zkos ingest` and the API's ingest procedure.
import { bytesToHex } from '../../machine/common/bytes.ts';
import type { BlockOutput } from '../../machine/bootloader/types.ts';
import { zkTxBody, type ZkBlockTx } from '../../machine/bootloader/zksync/build.ts';
import { ZksyncProfile } from '../../machine/bootloader/zksync/profile.ts';
import type { BlockMetadata } from '../../machine/oracle/types.ts';
import type { Chain } from '../../storage/chain.ts';
import { headInfo, nextBlockHashes } from '../cli/common.ts';
import { BlockFileError, type IngestBlock, type IngestFile } from './format.ts';

export interface PreparedBlock {
  block: IngestBlock;
  bodies: Uint8Array[];
  /** Envelopes that could not be decoded: handed to the machine as they are, which rejects them. */
  undecodable: Map<number, string>;
}

export interface IngestPlan {
  chainId: bigint;
  /** The genesis to write first (the chain has none), or null. */
  genesis: IngestFile['genesis'];
  /** The file had a genesis the chain does not need (it has one). */
  genesisIgnored: boolean;
  blocks: PreparedBlock[];
}

/**
 * Checks the file against the chain (null: no database yet) and encodes its transactions;
 * throws BlockFileError naming the first problem. Nothing is written.
 */
export function planIngest(file: IngestFile, chain: Chain | null): IngestPlan {
  const head = chain === null ? -1 : chain.head();
  let chainId: bigint;
  let lastTimestamp: bigint;
  if (head >= 0) {
    const info = headInfo(chain!);
    chainId = info.chainId;
    lastTimestamp = info.timestamp;
  } else {
    if (file.genesis === null) throw new BlockFileError('file', 'the database has no genesis block and the file has no "genesis"');
    chainId = file.genesis.chainId;
    lastTimestamp = file.genesis.timestamp;
  }
  let ts = lastTimestamp;
  file.blocks.forEach((b, i) => {
    const expected = BigInt(head < 0 ? 1 + i : head + 1 + i);
    const named = `block ${expected} (blocks[${i}])`;
    if (b.context.number !== null && b.context.number !== expected) {
      throw new BlockFileError(`${named}.context.number`, `is ${b.context.number}, but the next block of the chain is ${expected}`);
    }
    if (b.context.timestamp <= ts) throw new BlockFileError(`${named}.context.timestamp`, `${b.context.timestamp} is not after the previous block's ${ts}`);
    ts = b.context.timestamp;
  });
  return {
    chainId,
    genesis: head < 0 ? file.genesis : null,
    genesisIgnored: head >= 0 && file.genesis !== null,
    blocks: prepare(file, (b) => b.context.chainId ?? chainId),
  };
}

/** Turns the file's transactions into the ABI bodies the machine reads. */
function prepare(file: IngestFile, chainIdOf: (b: IngestBlock) => bigint): PreparedBlock[] {
  return file.blocks.map((block) => {
    const chainId = chainIdOf(block);
    const undecodable = new Map<number, string>();
    const bodies = block.transactions.map((t, j) => {
      const item: ZkBlockTx = t.kind === 'envelope' ? { envelope: t.raw } : t.kind === 'l1' ? { l1: t.input } : { upgrade: t.input };
      try {
        return zkTxBody(item, chainId);
      } catch (e) {
        const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
        if (t.kind !== 'envelope') {
          const named = block.context.number === null ? `blocks[${block.index}]` : `block ${block.context.number} (blocks[${block.index}])`;
          throw new BlockFileError(`${named}, transaction ${j}`, `this ${t.kind} transaction cannot be encoded: ${msg}`);
        }
        undecodable.set(j, msg);
        return t.raw;
      }
    });
    return { block, bodies, undecodable };
  });
}

export interface IngestedBlock {
  number: number;
  output: BlockOutput;
  undecodable: Map<number, string>;
  /** The block's public input from the tree stage (null for profiles without one). */
  publicInput: Uint8Array | null;
}

/**
 * Writes the plan's genesis (if any) and executes its blocks in order, each in its own
 * transaction, the tree stage following each block.
 */
export function executeIngest(chain: Chain, plan: IngestPlan, onBlock?: (b: IngestedBlock) => void): IngestedBlock[] {
  if (plan.genesis !== null && chain.head() < 0) chain.genesis(plan.genesis.accounts, { chainId: plan.genesis.chainId, timestamp: plan.genesis.timestamp });
  const profile = new ZksyncProfile();
  chain.advanceTree(); // a chain stored without the tree stage catches up first
  let hashes = nextBlockHashes(chain);
  const done: IngestedBlock[] = [];
  for (let i = 0; i < plan.blocks.length; i++) {
    const p = plan.blocks[i];
    const c = p.block.context;
    // The next block's signers are recovered on the worker while this one runs.
    if (i === 0) chain.prepare(p.bodies, profile.name, c.chainId ?? plan.chainId);
    const next = plan.blocks[i + 1];
    if (next !== undefined) chain.prepare(next.bodies, profile.name, next.block.context.chainId ?? plan.chainId);
    const number = chain.head() + 1;
    const meta: BlockMetadata = {
      chainId: c.chainId ?? plan.chainId,
      blockNumber: BigInt(number),
      timestamp: c.timestamp,
      blockHashes: hashes,
      eip1559BaseFee: c.baseFee,
      gasPerPubdata: c.gasPerPubdata,
      nativePrice: c.nativePrice,
      coinbase: c.coinbase,
      gasLimit: c.gasLimit,
      mixHash: c.mixHash,
      blobBaseFee: 1n,
    };
    const output = chain.executeBlock(meta, p.bodies, profile);
    chain.advanceTree(number);
    const publicInput = chain.commitment(number)?.publicInput ?? null;
    hashes = [output.blockHash !== undefined ? BigInt(bytesToHex(output.blockHash)) : 0n, ...hashes.slice(0, 255)];
    const b = { number, output, undecodable: p.undecodable, publicInput };
    done.push(b);
    onBlock?.(b);
  }
  return done;
}
