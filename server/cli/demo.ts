// `zkos demo`: creates (or continues) a chain in a SQLite file and runs a realistic zksync
// workload through it (server/demo/workload.ts), with a progress line and a summary.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { openChain, type Chain } from '../../storage/chain.ts';
import { DemoChainError, ensureDemoGenesis, runDemo } from '../demo/run.ts';
import { DEMO_CHAIN_ID, DEMO_ACCOUNTS, OPERATOR } from '../demo/workload.ts';
import { group, hex, hexAddress, intOption, parseArgs, Progress, seconds, storedBlockHash, UsageError, hexWord } from './common.ts';

export const DEFAULT_DB = 'data/zkos.db';

export const DEMO_USAGE = `  demo [--db FILE] [--blocks N] [--txs-per-block M]
      Creates (or continues) a zksync-profile chain in FILE (default ${DEFAULT_DB}) and runs
      N blocks (default 10) of M transactions (default 200): deposits, an ERC-20 and transfers,
      reverts, a rejected transaction per block, withdrawals and L1 messages. The tree stage
      follows each block: state commitment and public input.
`;

export interface DemoOptions {
  db: string;
  blocks: number;
  perBlock: number;
}

/** Parses the demo's options (shared with `start`); throws UsageError. */
export function demoOptions(args: string[], extra: readonly string[] = []): { demo: DemoOptions; options: Map<string, string> } {
  const p = parseArgs(args, ['db', 'blocks', 'txs-per-block', ...extra]);
  if (p.positional.length > 0) throw new UsageError(`unexpected argument '${p.positional[0]}'`);
  const demo = {
    db: p.options.get('db') ?? DEFAULT_DB,
    blocks: intOption(p, 'blocks', 10, 1, 1_000_000)!,
    perBlock: intOption(p, 'txs-per-block', 200, 4, 100_000)!,
  };
  return { demo, options: p.options };
}

export function demoCommand(args: string[]): number {
  let o: DemoOptions;
  try {
    o = demoOptions(args).demo;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`zkos demo: ${e.message}\n${DEMO_USAGE}`);
      return 2;
    }
    throw e;
  }
  return runDemoCommand(o);
}

/** Runs the demo into o.db with progress on stderr and the summary on stdout; the exit status. */
export function runDemoCommand(o: DemoOptions): number {
  mkdirSync(dirname(resolve(o.db)), { recursive: true });
  const chain = openChain(o.db, { recoverSenders: true, backgroundCheckpoint: true });
  try {
    try {
      if (ensureDemoGenesis(chain)) {
        process.stderr.write(`demo: new chain in ${o.db}: genesis with ${DEMO_ACCOUNTS} funded accounts (chain id ${DEMO_CHAIN_ID})\n`);
      } else {
        process.stderr.write(`demo: continuing the chain in ${o.db} from block ${chain.head()}\n`);
      }
    } catch (e) {
      if (e instanceof DemoChainError) {
        process.stderr.write(`zkos demo: ${o.db} holds a chain the demo did not make: ${e.message}\n`);
        return 1;
      }
      throw e;
    }
    const progress = new Progress('demo', o.blocks);
    const started = performance.now();
    const run = runDemo(chain, {
      blocks: o.blocks,
      perBlock: o.perBlock,
      onBlock: (done, number, t) => progress.update(done, `block ${number}, ${group(t.txs)} txs, ${((t.txs * 1000) / (performance.now() - started)).toFixed(0)} tx/s`),
    });
    progress.done();
    const wall = performance.now() - started;
    for (const line of run.totals.unexpected) process.stderr.write(`demo: ${line}\n`);
    process.stdout.write(summary(chain, o.blocks, run, wall));
    return 0;
  } finally {
    chain.close();
  }
}

function summary(chain: Chain, blocks: number, run: ReturnType<typeof runDemo>, wall: number): string {
  const { totals, state, accounts } = run;
  const head = chain.head();
  const hb = chain.reader.block(head)!;
  const hash = storedBlockHash(chain, head);
  const commitment = chain.commitment(head)!;
  const held = state.tokens.reduce((a, b) => a + b, 0n);
  const holders = state.tokens.filter((t) => t > 0n).length;
  const operator = chain.accountAt(OPERATOR)?.balance ?? 0n;
  const lines = [
    `blocks        ${blocks} (${run.first}..${head})`,
    `transactions  ${group(totals.txs)}: ${group(totals.success)} succeeded, ${group(totals.reverted)} reverted, ${group(totals.rejected)} rejected` +
      (totals.rejections.size > 0 ? ` (${[...totals.rejections].map(([k, v]) => `${k} ×${v}`).join(', ')})` : ''),
    `              every outcome as planned${totals.unexpectedCount === 0 ? '' : ` except ${totals.unexpectedCount}`} (reverts: token transfers over the balance; rejections: nonces too high)`,
    `gas           ${group(totals.gas)}`,
    `wall time     ${seconds(wall)} (building and signing ${seconds(totals.buildMs)}, executing and storing ${seconds(totals.execMs)}, tree stage ${seconds(totals.treeMs)})`,
    `throughput    ${((totals.txs * 1000) / wall).toFixed(0)} tx/s, ${(Number(totals.gas) / (wall / 1000) / 1e6).toFixed(1)} Mgas/s` +
      ` (execution and storage alone: ${((totals.txs * 1000) / totals.execMs).toFixed(0)} tx/s)`,
    `head          block ${head}, hash ${hash === null ? '(none)' : hexWord(hash)}, ${hb.txCount} txs, gas ${group(hb.gasUsed)}, timestamp ${hb.timestamp}`,
    `              output digest ${hex(hb.outputDigest)}`,
    `              state root ${hex(commitment.root)} (next free leaf ${commitment.nextFreeSlot}), public input ${commitment.publicInput === null ? '(none)' : hex(commitment.publicInput)}`,
    `state         token ${hexAddress(state.token)}: ${holders} of ${accounts.length} accounts hold ${group(held)}; operator fees ${group(operator)} wei`,
  ];
  return `${lines.join('\n')}\n`;
}
