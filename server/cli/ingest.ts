// `zkos ingest`: executes the blocks of a JSON file (server/ingest/format.ts) on a chain in a
// SQLite file, zksync profile. The whole file is checked before anything is written; transactions
// the machine refuses are recorded as rejected and the block goes on.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { openChain, type Chain } from '../../storage/chain.ts';
import { BlockFileError, parseBlockFile, type IngestFile } from '../ingest/format.ts';
import { executeIngest, planIngest, type IngestPlan } from '../ingest/run.ts';
import { group, hex, parseArgs, UsageError } from './common.ts';

export const INGEST_USAGE = `  ingest --db FILE BLOCKS.json
      Executes the blocks of BLOCKS.json (context + signed envelopes as hex, L1→L2 and upgrade
      transactions as objects; an optional genesis) on the chain in FILE, zksync profile, and
      prints each block's transaction counts and gas. See README.md for the format.
`;

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
  let chain: Chain | null = exists ? openChain(db, { recoverSenders: true, backgroundCheckpoint: true }) : null;
  try {
    let plan: IngestPlan;
    try {
      plan = planIngest(file, chain);
    } catch (e) {
      if (e instanceof BlockFileError) return fail(e.message);
      throw e;
    }
    if (plan.genesisIgnored) process.stderr.write(`zkos ingest: ${db} already has a chain (head ${chain!.head()}): the file's genesis is not used\n`);
    if (chain === null) {
      mkdirSync(dirname(resolve(db)), { recursive: true });
      chain = openChain(db, { recoverSenders: true, backgroundCheckpoint: true });
    }
    if (plan.genesis !== null) {
      const g = plan.genesis;
      process.stdout.write(`genesis: block 0, ${g.accounts.size} accounts, chain id ${g.chainId}\n`);
    }
    let total = 0;
    let gas = 0n;
    executeIngest(chain, plan, ({ number, output: out, undecodable, publicInput: pi }) => {
      let ok = 0;
      let reverted = 0;
      let rejected = 0;
      const notes: string[] = [];
      out.results.forEach((r, j) => {
        if (r.kind === 'rejected') {
          rejected++;
          const why = undecodable.get(j);
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
    });
    process.stdout.write(`ingested ${plan.blocks.length} blocks, ${total} transactions, gas ${group(gas)}; head is block ${chain.head()}\n`);
    return 0;
  } finally {
    chain?.close();
  }
}
