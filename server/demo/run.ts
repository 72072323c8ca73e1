// Running the demo workload on a chain, without any printing: the `demo` and `start` commands and
// the API tests all build their chains through this one function.
import { bytesToHex } from '../../machine/common/bytes.ts';
import { zkBlockBodies } from '../../machine/bootloader/zksync/build.ts';
import { ZksyncProfile } from '../../machine/bootloader/zksync/profile.ts';
import type { Chain } from '../../storage/chain.ts';
import { nextBlockHashes, headInfo } from '../cli/common.ts';
import { BLOCK_TIME, DEMO_CHAIN_ID, DemoState, demoAccounts, demoGenesis, demoMetadata, GENESIS_TIMESTAMP, OPERATOR, type DemoAccount, type TxKind } from './workload.ts';

export interface DemoTotals {
  txs: number;
  success: number;
  reverted: number;
  rejected: number;
  /** Transactions whose outcome was not the planned one (see `unexpected`). */
  unexpectedCount: number;
  /** The first few of them, described. */
  unexpected: string[];
  rejections: Map<string, number>;
  gas: bigint;
  /** Time spent signing and encoding, executing and storing, and in the tree stage. */
  buildMs: number;
  execMs: number;
  treeMs: number;
}

export interface DemoRun {
  /** The first block this run added, and the head after it. */
  first: number;
  head: number;
  totals: DemoTotals;
  state: DemoState;
  accounts: DemoAccount[];
}

/** Thrown when the file holds a chain the demo did not make. */
export class DemoChainError extends Error {
  override name = 'DemoChainError';
}

/** Writes the demo genesis when the chain has none; true when it did. */
export function ensureDemoGenesis(chain: Chain, accounts: DemoAccount[] = demoAccounts()): boolean {
  if (chain.head() >= 0) {
    const info = headInfo(chain);
    if (info.chainId !== DEMO_CHAIN_ID) throw new DemoChainError(`the chain has id ${info.chainId}, not the demo's ${DEMO_CHAIN_ID}`);
    return false;
  }
  chain.genesis(demoGenesis(accounts), { chainId: DEMO_CHAIN_ID, timestamp: GENESIS_TIMESTAMP, coinbase: OPERATOR });
  return true;
}

/**
 * Adds `blocks` demo blocks of `perBlock` transactions to the chain (genesis first if needed),
 * the tree stage following each block; `onBlock` is called after each stored block.
 */
export function runDemo(chain: Chain, opts: { blocks: number; perBlock: number; onBlock?: (done: number, number: number, totals: DemoTotals) => void }): DemoRun {
  const accounts = demoAccounts();
  ensureDemoGenesis(chain, accounts);
  const state = new DemoState(accounts, chain);
  const profile = new ZksyncProfile();
  const first = chain.head() + 1;
  let hashes = nextBlockHashes(chain);
  let timestamp = headInfo(chain).timestamp;
  const totals: DemoTotals = { txs: 0, success: 0, reverted: 0, rejected: 0, unexpectedCount: 0, unexpected: [], rejections: new Map(), gas: 0n, buildMs: 0, execMs: 0, treeMs: 0 };
  // A chain continued from a run without the tree stage catches up first.
  chain.advanceTree();
  for (let i = 0; i < opts.blocks; i++) {
    const number = first + i;
    timestamp += BLOCK_TIME;
    const t0 = performance.now();
    const plan = state.plan(number, opts.perBlock);
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
      const outcome = r.kind === 'rejected' ? 'rejected' : r.receipt.success ? 'success' : 'reverted';
      const expected = expectedOutcome(plan.kinds[k]);
      if (outcome !== expected) {
        totals.unexpectedCount++;
        if (totals.unexpected.length < 5) {
          const why = r.kind === 'rejected' ? `: ${r.rejection.error} ${r.rejection.message}` : '';
          totals.unexpected.push(`block ${number} tx ${k} (${plan.kinds[k]}) ${outcome}, expected ${expected}${why}`);
        }
      }
      totals.txs++;
      if (r.kind === 'rejected') {
        totals.rejected++;
        totals.rejections.set(r.rejection.error, (totals.rejections.get(r.rejection.error) ?? 0) + 1);
      } else if (r.receipt.success) totals.success++;
      else totals.reverted++;
    });
    totals.gas += out.gasUsed;
    // The next window: this block's hash at index 0, the rest shifted.
    hashes = [out.blockHash !== undefined ? BigInt(bytesToHex(out.blockHash)) : 0n, ...hashes.slice(0, 255)];
    opts.onBlock?.(i + 1, number, totals);
  }
  return { first, head: chain.head(), totals, state, accounts };
}

function expectedOutcome(kind: TxKind): 'success' | 'reverted' | 'rejected' {
  return kind === 'revert' ? 'reverted' : kind === 'nonce-too-high' ? 'rejected' : 'success';
}
