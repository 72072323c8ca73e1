// `zkos ingest`: executes the blocks of a JSON file (server/ingest/format.ts) on a chain in a
// SQLite file, zksync profile. The whole file is checked before anything is written; transactions
// the machine refuses are recorded as rejected and the block goes on.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { zkTxBody, type ZkBlockTx } from '../../machine/bootloader/zksync/build.ts';
import { ZksyncProfile } from '../../machine/bootloader/zksync/profile.ts';
import type { BlockMetadata } from '../../machine/oracle/types.ts';
import { openChain } from '../../storage/chain.ts';
import { BlockFileError, parseBlockFile, type IngestBlock, type IngestFile } from '../ingest/format.ts';
import { group, headInfo, hex, nextBlockHashes, parseArgs, UsageError } from './common.ts';

export const INGEST_USAGE = `  ingest --db FILE BLOCKS.json
      Executes the blocks of BLOCKS.json (context + signed envelopes as hex, L1→L2 and upgrade
      transactions as objects; an optional genesis) on the chain in FILE, zksync profile, and
      prints each block's transaction counts and gas. See README.md for the format.
`;

interface Prepared {
  block: IngestBlock;
  bodies: Uint8Array[];
  /** Envelopes that could not be decoded: handed to the machine as they are, which rejects them. */
  undecodable: Map<number, string>;
}

/** Turns the file's transactions into the ABI bodies the machine reads. */
function prepare(file: IngestFile, chainIdOf: (b: IngestBlock) => bigint): Prepared[] {
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

export function ingestCommand(args: string[]): number {
  let db: string;
  let path: string;
  try {
    const p = parseArgs(args, ['db']);
    const d = p.options.get('db');
    if (d === undefined) throw new UsageError('--db FILE is required');
    if (p.positional.length !== 1) throw new UsageError('expected exactly one BLOCKS.json file');
    db = d;
    path = p.positional[0];
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`zkos ingest: ${e.message}\n${INGEST_USAGE}`);
      return 2;
    }
    throw e;
  }
  const fail = (msg: string): number => {
    process.stderr.write(`zkos ingest: ${path}: ${msg}\nnothing was written\n`);
    return 1;
  };

  let file: IngestFile;
  try {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      return fail(`not readable JSON: ${(e as Error).message}`);
    }
    file = parseBlockFile(json);
  } catch (e) {
    if (e instanceof BlockFileError) return fail(e.message);
    throw e;
  }

  // Checks against the chain before any write.
  const exists = existsSync(db);
  if (!exists && file.genesis === null) return fail(`${db} does not exist and the file has no "genesis" to create it from`);
  let chainId: bigint;
  let head: number;
  let lastTimestamp: bigint;
  let chain: ReturnType<typeof openChain> | null = null;
  if (exists) {
    chain = openChain(db);
    head = chain.head();
  } else head = -1;
  try {
    if (head >= 0) {
      const info = headInfo(chain!);
      chainId = info.chainId;
      lastTimestamp = info.timestamp;
      if (file.genesis !== null) process.stderr.write(`zkos ingest: ${db} already has a chain (head ${head}): the file's genesis is not used\n`);
    } else {
      if (file.genesis === null) return fail(`${db} has no genesis block and the file has no "genesis"`);
      chainId = file.genesis.chainId;
      lastTimestamp = file.genesis.timestamp;
    }
    let prepared: Prepared[];
    try {
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
      prepared = prepare(file, (b) => b.context.chainId ?? chainId);
    } catch (e) {
      if (e instanceof BlockFileError) return fail(e.message);
      throw e;
    }

    if (chain === null) {
      mkdirSync(dirname(resolve(db)), { recursive: true });
      chain = openChain(db);
    }
    if (chain.head() < 0) {
      const g = file.genesis!;
      chain.genesis(g.accounts, { chainId: g.chainId, timestamp: g.timestamp });
      process.stdout.write(`genesis: block 0, ${g.accounts.size} accounts, chain id ${g.chainId}\n`);
    }
    const profile = new ZksyncProfile();
    chain.advanceTree(); // a chain stored without the tree stage catches up first
    let hashes = nextBlockHashes(chain);
    let total = 0;
    let gas = 0n;
    for (const p of prepared) {
      const c = p.block.context;
      const number = BigInt(chain.head() + 1);
      const meta: BlockMetadata = {
        chainId: c.chainId ?? chainId,
        blockNumber: number,
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
      const out = chain.executeBlock(meta, p.bodies, profile);
      chain.advanceTree(Number(number));
      const pi = chain.commitment(Number(number))?.publicInput;
      hashes = [out.blockHash !== undefined ? BigInt(hex(out.blockHash)) : 0n, ...hashes.slice(0, 255)];
      let ok = 0;
      let reverted = 0;
      let rejected = 0;
      const notes: string[] = [];
      out.results.forEach((r, j) => {
        if (r.kind === 'rejected') {
          rejected++;
          const why = p.undecodable.get(j);
          notes.push(`  tx ${j}: rejected ${r.rejection.error}: ${r.rejection.message}${why === undefined ? '' : ` (envelope not decodable: ${why})`}`);
        } else if (r.receipt.success) ok++;
        else {
          reverted++;
          notes.push(`  tx ${j}: reverted, ${group(r.receipt.gasUsed)} gas, hash ${hex(r.receipt.hash)}`);
        }
      });
      total += out.results.length;
      gas += out.gasUsed;
      process.stdout.write(
        `block ${number}: ${out.results.length} txs (${ok} succeeded, ${reverted} reverted, ${rejected} rejected), gas ${group(out.gasUsed)}, ` +
          `hash ${out.blockHash === undefined ? '(none)' : hex(out.blockHash)}, public input ${pi ? hex(pi) : '(none)'}\n${notes.map((n) => `${n}\n`).join('')}`,
      );
    }
    process.stdout.write(`ingested ${prepared.length} blocks, ${total} transactions, gas ${group(gas)}; head is block ${chain.head()}\n`);
    return 0;
  } finally {
    chain?.close();
  }
}
