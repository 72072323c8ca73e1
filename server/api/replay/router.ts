// replay.*: one block run again (forward: public; proving: needs the token), a range as a
// background job (token), its state, and its progress as a subscription.
import { tracked } from '@trpc/server';
import { z } from 'zod';
import { ChainError } from '../../../storage/errors.ts';
import { ApiError } from '../errors.ts';
import { blockNumber, replayMode } from '../inputs.ts';
import { publicProcedure, requireToken, router, tokenProcedure } from '../trpc.ts';
import { replayVerdict, type VerdictView } from './verdict.ts';

const jobId = z.uuid({ error: 'expected a replay job id (a UUID)' });

export const replayRouter = router({
  /** Replays one block; forward mode compares every IO event and the output digest. */
  block: publicProcedure.input(z.object({ number: blockNumber, mode: replayMode })).query(({ ctx, input, path }): VerdictView => {
    const s = ctx.services;
    if (input.mode === 'proving') requireToken(ctx, `${path} (mode proving)`);
    const head = s.chain.head();
    if (input.number > head) throw new ChainError('BLOCK_NOT_FOUND', `block ${input.number} is not stored (head is ${head})`);
    return s.runs.run(`replay of block ${input.number}`, () => replayVerdict(s.chain, input.number, input.mode));
  }),

  /** Starts replaying blocks from..to (default: the head) as a job; follow it with `progress`. */
  start: tokenProcedure.input(z.object({ from: blockNumber.min(1, 'block 0 is the genesis state: replays start at 1'), to: blockNumber.optional(), mode: replayMode })).mutation(({ ctx, input }) => {
    const s = ctx.services;
    const head = s.chain.head();
    const to = input.to ?? head;
    if (to > head) throw new ChainError('BLOCK_NOT_FOUND', `block ${to} is not stored (head is ${head})`);
    if (input.from > to) throw new ApiError('BAD_REQUEST', 'BAD_RANGE', `invalid input: empty range ${input.from}..${to}`);
    if (to - input.from + 1 > s.limits.maxReplayRange) {
      throw new ApiError('BAD_REQUEST', 'RANGE_TOO_WIDE', `invalid input: ${to - input.from + 1} blocks are more than this server's ${s.limits.maxReplayRange} per replay job`);
    }
    return s.jobs.start(input.from, to, input.mode);
  }),

  job: publicProcedure.input(z.object({ id: jobId })).query(({ ctx, input }) => ctx.services.jobs.get(input.id)),

  jobs: tokenProcedure.query(({ ctx }) => ctx.services.jobs.list()),

  cancel: tokenProcedure.input(z.object({ id: jobId })).mutation(({ ctx, input }) => ctx.services.jobs.cancel(input.id)),

  /**
   * The job's events from its start (a verdict per block, then its end); live until it ends. The
   * job id is the capability: whoever started the job hands it on.
   */
  progress: publicProcedure.input(z.object({ id: jobId, lastEventId: z.string().nullish() })).subscription(async function* ({ ctx, input, signal }) {
    const s = ctx.services;
    s.jobs.get(input.id);
    const after = input.lastEventId != null && /^\d+$/.test(input.lastEventId) ? Number(input.lastEventId) : -1;
    for await (const e of s.jobs.follow(input.id, after, signal)) yield tracked(String(e.seq), e);
  }),
});
