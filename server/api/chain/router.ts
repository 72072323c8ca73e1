// chain.*: the head, a block by number / hash / "latest", a range of blocks page by page, and a
// subscription to new blocks (the server polls the head, so blocks that `zkos demo` or
// `zkos ingest` add from another process show up too).
import { tracked } from '@trpc/server';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { blockHashHex, checkLimit, resolveBlock } from '../common.ts';
import { blockNumber, blockRef } from '../inputs.ts';
import { publicProcedure, router } from '../trpc.ts';
import { blockPubdata, blockView, type BlockView } from './view.ts';

export const chainRouter = router({
  head: publicProcedure.query(({ ctx }) => {
    const s = ctx.services;
    const n = s.chain.head();
    if (n < 0) return { number: -1, hash: null, timestamp: null };
    const b = s.chain.reader.block(n)!;
    return { number: n, hash: blockHashHex(s, n), timestamp: `0x${b.timestamp.toString(16)}` };
  }),

  block: publicProcedure
    .input(z.object({ block: blockRef, withPubdataSize: z.boolean().default(false) }))
    .query(({ ctx, input }): BlockView => {
      const s = ctx.services;
      const n = resolveBlock(s, input.block);
      const view = blockView(s, n);
      if (input.withPubdataSize) view.pubdataSize = blockPubdata(s, n)?.length ?? 0;
      return view;
    }),

  /** Blocks from `from` upwards, at most `limit`; `next` is where the following page starts. */
  blocks: publicProcedure
    .input(z.object({ from: blockNumber, to: blockNumber.optional(), limit: z.number().int().min(1, 'limit is at least 1').default(50) }))
    .query(({ ctx, input }) => {
      const s = ctx.services;
      const limit = checkLimit(s, input.limit);
      const head = s.chain.head();
      const last = Math.min(input.to ?? head, head);
      const blocks: BlockView[] = [];
      for (let n = input.from; n <= last && blocks.length < limit; n++) blocks.push(blockView(s, n));
      const next = input.from + blocks.length;
      return { blocks, next: next <= last ? next : null };
    }),

  /**
   * Every block after `afterBlock` (default: the head when subscribing), as it is stored. Each
   * event is tracked by its block number, so a reconnecting client resumes where it left off.
   */
  onNewBlock: publicProcedure
    .input(z.object({ afterBlock: z.number().int().min(-1).optional(), lastEventId: z.string().nullish() }).optional())
    .subscription(async function* ({ ctx, input, signal }) {
      const s = ctx.services;
      const resumed = input?.lastEventId != null ? Number(input.lastEventId) : NaN;
      let next = (Number.isInteger(resumed) ? resumed : (input?.afterBlock ?? s.chain.head())) + 1;
      while (signal === undefined || !signal.aborted) {
        const head = s.chain.head();
        for (; next <= head; next++) yield tracked(String(next), blockView(s, next));
        try {
          await sleep(s.limits.headPollMs, undefined, { signal });
        } catch {
          return;
        }
      }
    }),
});
