// ingest.blocks: executes a block file (the `zkos ingest` JSON format, server/ingest/format.ts)
// on the chain through the server's one writing connection; needs the token. The whole file is
// checked against the chain before anything is written.
import { z } from 'zod';
import { BlockFileError, parseBlockFile } from '../../ingest/format.ts';
import { executeIngest, planIngest } from '../../ingest/run.ts';
import { ApiError } from '../errors.ts';
import { data, qty } from '../rpc/encode.ts';
import { router, tokenProcedure } from '../trpc.ts';

export const ingestRouter = router({
  blocks: tokenProcedure.input(z.object({ file: z.unknown() })).mutation(({ ctx, input }) => {
    const writer = ctx.services.writer();
    if (writer === null) throw new ApiError('FORBIDDEN', 'WRITES_DISABLED', 'ingest is disabled: this server has no writing connection');
    let plan;
    try {
      plan = planIngest(parseBlockFile(input.file), writer);
    } catch (e) {
      if (e instanceof BlockFileError) throw new ApiError('BAD_REQUEST', 'BAD_BLOCK_FILE', `invalid block file: ${e.message}; nothing was written`);
      throw e;
    }
    const blocks = executeIngest(writer, plan).map(({ number, output, undecodable }) => ({
      number,
      hash: output.blockHash === undefined ? null : data(output.blockHash),
      gasUsed: qty(output.gasUsed),
      transactions: output.results.map((r, i) =>
        r.kind === 'rejected'
          ? { index: i, status: 'rejected' as const, error: r.rejection.error, message: r.rejection.message, ...(undecodable.has(i) ? { undecodable: undecodable.get(i) } : {}) }
          : { index: i, status: r.receipt.success ? ('success' as const) : ('reverted' as const), hash: data(r.receipt.hash), gasUsed: qty(r.receipt.gasUsed) },
      ),
    }));
    return { genesisWritten: plan.genesis !== null, genesisIgnored: plan.genesisIgnored, blocks, head: writer.head() };
  }),
});
