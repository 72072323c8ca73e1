// execution.*: the past as it ran — a block's oracle queries and IO events page by page, a
// transaction's call tree (geth callTracer), the prestate it touched (geth prestateTracer, with
// diffMode), and the state diff of a transaction or of a block.
import { z } from 'zod';
import type { TxReceipt } from '../../../machine/bootloader/types.ts';
import { decodeEthereumTransaction } from '../../../machine/tx/ethereum.ts';
import { decodeZkTransaction } from '../../../machine/tx/zksync/codec.ts';
import { CorruptBlockData } from '../../../storage/errors.ts';
import { checkLimit, resolveBlock } from '../common.ts';
import { ApiError } from '../errors.ts';
import { blockRef, hash32, page } from '../inputs.ts';
import type { ApiServices } from '../services.ts';
import { findTransaction } from '../transactions/find.ts';
import { publicProcedure, router } from '../trpc.ts';
import { txCallTrace, type TxCallTrace } from './call-tracer.ts';
import { eventTxIndices, ioEventView, oracleQueryViews, txEvents } from './events.ts';
import { prestate, prestateDiff, StateAt, touched, type Prestate, type PrestateDiff } from './prestate.ts';

function blockLogsOf(s: ApiServices, n: number) {
  const logs = s.chain.reader.blockLogs(n);
  if (logs === null) {
    if (n === 0) throw new ApiError('BAD_REQUEST', 'GENESIS_HAS_NO_LOG', 'block 0 is the genesis state: nothing ran, there is no oracle log or IO events');
    throw new CorruptBlockData(n, 'oracle_log', 'MISSING', -1, -1, 'the block has no block_logs row');
  }
  return logs;
}

/** An executed transaction by hash, with its receipt, its block's events and its gas limit. */
function executedTx(s: ApiServices, hash: Uint8Array): { block: number; index: number; receipt: TxReceipt; gasLimit: bigint } {
  const { tx, place, profile } = findTransaction(s, hash);
  if (tx.result.kind !== 'executed') throw new Error(`transaction at block ${place.number} index ${tx.index} was found by hash but has no receipt`);
  const gasLimit = profile === 'ethereum' ? decodeEthereumTransaction(tx.raw).gasLimit : decodeZkTransaction(tx.raw).gasLimit;
  return { block: place.number, index: tx.index, receipt: tx.result.receipt, gasLimit };
}

/** The state before and after transaction `index` of block n (two prefix re-executions). */
function aroundTx(s: ApiServices, n: number, index: number): { before: StateAt; after: StateAt } {
  return s.runs.run(`state around block ${n} transaction ${index}`, () => {
    const before = new StateAt(s.chain, n - 1, index === 0 ? null : s.reexec.prefix(n, index).stateDiff);
    const after = new StateAt(s.chain, n - 1, s.reexec.prefix(n, index + 1).stateDiff);
    return { before, after };
  });
}

function txTouched(s: ApiServices, t: ReturnType<typeof executedTx>) {
  const events = txEvents(blockLogsOf(s, t.block).events.events, t.index);
  const r = t.receipt;
  return touched(events, [r.from, ...(r.to === null ? [] : [r.to]), ...(r.created === null ? [] : [r.created])]);
}

export const executionRouter = router({
  /** The block's oracle queries [offset, offset + limit) with their words and decoded values. */
  oracleQueries: publicProcedure.input(z.object({ block: blockRef, ...page })).query(({ ctx, input }) => {
    const s = ctx.services;
    const limit = checkLimit(s, input.limit);
    const n = resolveBlock(s, input.block);
    const logs = blockLogsOf(s, n);
    const b = s.chain.reader.block(n)!;
    return { block: n, total: logs.oracleLog.length, offset: input.offset, queries: oracleQueryViews(logs.oracleLog, b.blobBaseFee, input.offset, limit) };
  }),

  /** The block's IO events [offset, offset + limit), or those of one of its transactions. */
  ioEvents: publicProcedure.input(z.object({ block: blockRef, tx: z.number().int().min(0).optional(), ...page })).query(({ ctx, input }) => {
    const s = ctx.services;
    const limit = checkLimit(s, input.limit);
    const n = resolveBlock(s, input.block);
    const events = blockLogsOf(s, n).events.events;
    const txs = eventTxIndices(events);
    let indices = events.map((_, i) => i);
    if (input.tx !== undefined) indices = indices.filter((i) => txs[i] === input.tx);
    const shown = indices.slice(input.offset, input.offset + limit);
    return { block: n, total: indices.length, offset: input.offset, events: shown.map((i) => ioEventView(events[i], i, txs[i])) };
  }),

  /** The transaction's call tree in geth's callTracer shape (withLog). */
  callTrace: publicProcedure.input(z.object({ hash: hash32 })).query(({ ctx, input }): TxCallTrace => {
    const s = ctx.services;
    const t = executedTx(s, input.hash);
    return txCallTrace(txEvents(blockLogsOf(s, t.block).events.events, t.index), t.receipt, t.gasLimit);
  }),

  /** What the transaction touched, as it was before it ran (geth prestateTracer; diffMode: pre/post). */
  prestate: publicProcedure.input(z.object({ hash: hash32, diffMode: z.boolean().default(false) })).query(({ ctx, input }): Prestate | PrestateDiff => {
    const s = ctx.services;
    const t = executedTx(s, input.hash);
    const set = txTouched(s, t);
    const { before, after } = aroundTx(s, t.block, t.index);
    return input.diffMode ? prestateDiff(set, before, after) : prestate(set, before);
  }),

  /** What a transaction ({ hash }) or a whole block ({ block }) changed: geth's diffMode shape. */
  stateDiff: publicProcedure
    .input(z.union([z.object({ hash: hash32 }), z.object({ block: blockRef })], { error: 'expected { hash } of a transaction or { block }' }))
    .query(({ ctx, input }): PrestateDiff => {
      const s = ctx.services;
      if ('hash' in input) {
        const t = executedTx(s, input.hash);
        const { before, after } = aroundTx(s, t.block, t.index);
        return prestateDiff(txTouched(s, t), before, after);
      }
      const n = resolveBlock(s, input.block);
      if (n === 0) throw new ApiError('BAD_REQUEST', 'GENESIS_HAS_NO_DIFF', 'block 0 is the genesis state: it has no state before it');
      // The stored diff names what changed; the values come from the state as of n-1 and n.
      const set = new Map<bigint, Set<bigint>>();
      for (const a of s.chain.reader.stateDiff(n)) set.set(a.address, new Set(a.storage.map(([k]) => k)));
      return prestateDiff(set, new StateAt(s.chain, n - 1, null), new StateAt(s.chain, n, null));
    }),
});
