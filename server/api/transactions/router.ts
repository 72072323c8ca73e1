// tx.*: a transaction by hash, its receipt, a block's transactions page by page, and logs by
// emitter / topics / block range with a limit and a resume point, all in Ethereum JSON-RPC shapes.
import { z } from 'zod';
import { blockHashHex, checkLimit, resolveBlock } from '../common.ts';
import { ApiError } from '../errors.ts';
import { address, blockNumber, blockRef, hash32, page, word } from '../inputs.ts';
import { data } from '../rpc/encode.ts';
import { rpcLog, rpcReceipt, rpcTransaction, type BlockPlace, type RpcLog, type RpcReceipt, type RpcTransaction } from '../rpc/shapes.ts';
import { findTransaction } from './find.ts';
import { publicProcedure, router } from '../trpc.ts';

const topicFilter = z.union([z.null(), word, z.array(word).min(1, 'a topic alternative list is not empty').max(16, 'at most 16 alternatives per topic')]);

export const txRouter = router({
  byHash: publicProcedure.input(z.object({ hash: hash32 })).query(({ ctx, input }): RpcTransaction => {
    const { tx, place, profile, chainId } = findTransaction(ctx.services, input.hash);
    return rpcTransaction(tx, place, profile, chainId);
  }),

  receipt: publicProcedure.input(z.object({ hash: hash32 })).query(({ ctx, input }): RpcReceipt => {
    const s = ctx.services;
    const { tx, place } = findTransaction(s, input.hash);
    // Only executed transactions have a hash, so a transaction found by hash has a receipt.
    if (tx.result.kind !== 'executed') throw new Error(`transaction ${data(input.hash)} was found by hash but has no receipt`);
    return rpcReceipt(tx.result.receipt, place, s.chain.reader.txLogs(place.number, tx.index));
  }),

  /** A block's transactions (rejected ones included) with their receipts, page by page. */
  byBlock: publicProcedure.input(z.object({ block: blockRef, ...page })).query(({ ctx, input }) => {
    const s = ctx.services;
    const limit = checkLimit(s, input.limit);
    const n = resolveBlock(s, input.block);
    const b = s.chain.reader.block(n)!;
    const place = { number: n, hash: blockHashHex(s, n) };
    const all = s.chain.reader.transactions(n);
    const logs = s.chain.reader.logs(n);
    const transactions = all.slice(input.offset, input.offset + limit).map((t) => ({
      transaction: rpcTransaction(t, place, b.profile, b.chainId),
      receipt: t.result.kind === 'executed' ? rpcReceipt(t.result.receipt, place, logs) : null,
    }));
    return { block: n, total: all.length, offset: input.offset, transactions };
  }),

  /**
   * Logs in (block, logIndex) order: by emitter (one address or any of several), by topics
   * (per position null for any, a value, or a list of alternatives), over a block range of at
   * most the server's maxLogBlockRange. `next` resumes after the last log returned.
   */
  logs: publicProcedure
    .input(
      z.object({
        fromBlock: blockNumber.default(0),
        toBlock: z.union([blockNumber, z.literal('latest')]).default('latest'),
        address: z.union([address, z.array(address).max(32, 'at most 32 addresses')]).optional(),
        topics: z.array(topicFilter).max(4, 'a log has at most 4 topics').default([]),
        after: z.object({ block: blockNumber, logIndex: z.number().int().min(0) }).optional(),
        limit: z.number().int().min(1, 'limit is at least 1').default(100),
      }),
    )
    .query(({ ctx, input }) => {
      const s = ctx.services;
      const limit = checkLimit(s, input.limit);
      const head = s.chain.head();
      const to = input.toBlock === 'latest' ? head : Math.min(input.toBlock, head);
      if (input.toBlock !== 'latest' && input.fromBlock > input.toBlock) {
        throw new ApiError('BAD_REQUEST', 'BAD_RANGE', `invalid input: fromBlock ${input.fromBlock} is after toBlock ${input.toBlock}`);
      }
      if (to - input.fromBlock + 1 > s.limits.maxLogBlockRange) {
        throw new ApiError('BAD_REQUEST', 'RANGE_TOO_WIDE', `invalid input: blocks ${input.fromBlock}..${to} are more than this server's ${s.limits.maxLogBlockRange} per logs query; narrow the range`);
      }
      const addresses = input.address === undefined ? [] : Array.isArray(input.address) ? input.address : [input.address];
      const topics = input.topics.map((t) => (t === null ? null : Array.isArray(t) ? t : [t]));
      const found = s.queries.logs({ fromBlock: input.fromBlock, toBlock: to, addresses, topics, after: input.after ?? null, limit: limit + 1 });
      const more = found.length > limit;
      const shown = found.slice(0, limit);
      const places = new Map<number, { place: BlockPlace; hashes: Array<Uint8Array | null> }>();
      const logs: RpcLog[] = shown.map((l) => {
        let p = places.get(l.block);
        if (p === undefined) places.set(l.block, (p = { place: { number: l.block, hash: blockHashHex(s, l.block) }, hashes: s.queries.txHashes(l.block) }));
        const h = p.hashes[l.txIndex];
        return rpcLog(l, p.place, h == null ? null : data(h));
      });
      const last = shown[shown.length - 1];
      return { logs, next: more ? { block: last.block, logIndex: last.logIndex } : null };
    }),
});
