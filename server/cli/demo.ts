// `zkos demo`: creates (or continues) a chain in a SQLite file and runs a realistic zksync
// workload through it (server/demo/workload.ts), with a progress line and a summary.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { zkBlockBodies } from '../../machine/bootloader/zksync/build.ts';
import { ZksyncProfile } from '../../machine/bootloader/zksync/profile.ts';
import { openChain } from '../../storage/chain.ts';
import { DEMO_CHAIN_ID, DemoState, demoAccounts, demoGenesis, demoMetadata, BLOCK_TIME, GENESIS_TIMESTAMP, OPERATOR } from '../demo/workload.ts';
import { group, headInfo, hex, hexAddress, intOption, nextBlockHashes, parseArgs, Progress, seconds, storedBlockHash, UsageError, hexWord } from './common.ts';

export const DEFAULT_DB = 'data/zkos.db';

export const DEMO_USAGE = `  demo [--db FILE] [--blocks N] [--txs-per-block M]
      Creates (or continues) a zksync-profile chain in FILE (default ${DEFAULT_DB}) and runs
      N blocks (default 10) of M transactions (default 200): deposits, an ERC-20 and transfers,
      reverts, a rejected transaction per block, withdrawals and L1 messages. The tree stage
      follows each block: state commitment and public input.
`;

export function demoCommand(args: string[]): number {
  let db: string;
  let blocks: number;
  let perBlock: number;
  try {
    const p = parseArgs(args, ['db', 'blocks', 'txs-per-block']);
    if (p.positional.length > 0) throw new UsageError(`unexpected argument '${p.positional[0]}'`);
    db = p.options.get('db') ?? DEFAULT_DB;
    blocks = intOption(p, 'blocks', 10, 1, 1_000_000)!;
    perBlock = intOption(p, 'txs-per-block', 200, 4, 100_000)!;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`zkos demo: ${e.message}\n${DEMO_USAGE}`);
      return 2;
    }
    throw e;
  }

  mkdirSync(dirname(resolve(db)), { recursive: true });
  const chain = openChain(db);
  try {
    const accounts = demoAccounts();
    if (chain.head() < 0) {
      chain.genesis(demoGenesis(accounts), { chainId: DEMO_CHAIN_ID, timestamp: GENESIS_TIMESTAMP, coinbase: OPERATOR });
      process.stderr.write(`demo: new chain in ${db}: genesis with ${accounts.length} funded accounts (chain id ${DEMO_CHAIN_ID})\n`);
    } else {
      const info = headInfo(chain);
      if (info.chainId !== DEMO_CHAIN_ID) {
        process.stderr.write(`zkos demo: ${db} holds a chain with id ${info.chainId}, not the demo's ${DEMO_CHAIN_ID}\n`);
        return 1;
      }
      process.stderr.write(`demo: continuing the chain in ${db} from block ${info.number}\n`);
    }
    const state = new DemoState(accounts, chain);
    const profile = new ZksyncProfile();
    const first = chain.head() + 1;
    let hashes = nextBlockHashes(chain);
    let timestamp = headInfo(chain).timestamp;

    const totals = { txs: 0, success: 0, reverted: 0, rejected: 0, unexpected: 0, gas: 0n, buildMs: 0, execMs: 0, treeMs: 0 };
    // A chain continued from a run without the tree stage catches up first.
    chain.advanceTree();
    const rejections = new Map<string, number>();
    const progress = new Progress('demo', blocks);
    const started = performance.now();
    for (let i = 0; i < blocks; i++) {
      const number = first + i;
      timestamp += BLOCK_TIME;
      const t0 = performance.now();
      const plan = state.plan(number, perBlock);
      // Signing and the conversion to ABI bodies (which decodes each envelope and recovers its sender).
      const bodies = zkBlockBodies(plan.txs, DEMO_CHAIN_ID);
      const t1 = performance.now();
      const out = chain.executeBlock(demoMetadata(BigInt(number), timestamp, hashes), bodies, profile);
      const t2 = performance.now();
      chain.advanceTree(number);
      totals.buildMs += t1 - t0;
      totals.execMs += t2 - t1;
      totals.treeMs += performance.now() - t2;
      state.apply(out);
      out.results.forEach((r, k) => {
        const kind = plan.kinds[k];
        const outcome = r.kind === 'rejected' ? 'rejected' : r.receipt.success ? 'success' : 'reverted';
        const expected = kind === 'revert' ? 'reverted' : kind === 'nonce-too-high' ? 'rejected' : 'success';
        if (outcome !== expected) {
          totals.unexpected++;
          if (totals.unexpected <= 5) {
            const why = r.kind === 'rejected' ? `: ${r.rejection.error} ${r.rejection.message}` : '';
            process.stderr.write(`demo: block ${number} tx ${k} (${kind}) ${outcome}, expected ${expected}${why}\n`);
          }
        }
      });
      for (const r of out.results) {
        totals.txs++;
        if (r.kind === 'rejected') {
          totals.rejected++;
          rejections.set(r.rejection.error, (rejections.get(r.rejection.error) ?? 0) + 1);
        } else if (r.receipt.success) totals.success++;
        else totals.reverted++;
      }
      totals.gas += out.gasUsed;
      // The next window: this block's hash at index 0, the rest shifted.
      hashes = [out.blockHash !== undefined ? BigInt(hex(out.blockHash)) : 0n, ...hashes.slice(0, 255)];
      progress.update(i + 1, `block ${number}, ${group(totals.txs)} txs, ${((totals.txs * 1000) / (performance.now() - started)).toFixed(0)} tx/s`);
    }
    progress.done();
    const wall = performance.now() - started;

    const head = chain.head();
    const hb = chain.reader.block(head)!;
    const hash = storedBlockHash(chain, head);
    const commitment = chain.commitment(head)!;
    const held = state.tokens.reduce((a, b) => a + b, 0n);
    const holders = state.tokens.filter((t) => t > 0n).length;
    const operator = chain.accountAt(OPERATOR)?.balance ?? 0n;
    const lines = [
      `blocks        ${blocks} (${first}..${head})`,
      `transactions  ${group(totals.txs)}: ${group(totals.success)} succeeded, ${group(totals.reverted)} reverted, ${group(totals.rejected)} rejected` +
        (rejections.size > 0 ? ` (${[...rejections].map(([k, v]) => `${k} ×${v}`).join(', ')})` : ''),
      `              every outcome as planned${totals.unexpected === 0 ? '' : ` except ${totals.unexpected}`} (reverts: token transfers over the balance; rejections: nonces too high)`,
      `gas           ${group(totals.gas)}`,
      `wall time     ${seconds(wall)} (building and signing ${seconds(totals.buildMs)}, executing and storing ${seconds(totals.execMs)}, tree stage ${seconds(totals.treeMs)})`,
      `throughput    ${((totals.txs * 1000) / wall).toFixed(0)} tx/s, ${(Number(totals.gas) / (wall / 1000) / 1e6).toFixed(1)} Mgas/s` +
        ` (execution and storage alone: ${((totals.txs * 1000) / totals.execMs).toFixed(0)} tx/s)`,
      `head          block ${head}, hash ${hash === null ? '(none)' : hexWord(hash)}, ${hb.txCount} txs, gas ${group(hb.gasUsed)}, timestamp ${hb.timestamp}`,
      `              output digest ${hex(hb.outputDigest)}`,
      `              state root ${hex(commitment.root)} (next free leaf ${commitment.nextFreeSlot}), public input ${commitment.publicInput === null ? '(none)' : hex(commitment.publicInput)}`,
      `state         token ${hexAddress(state.token)}: ${holders} of ${accounts.length} accounts hold ${group(held)}; operator fees ${group(operator)} wei`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    chain.close();
  }
}
