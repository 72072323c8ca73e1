// witness.*: the tape a prover reads for a block (reference §1.8), checked by a proving run;
// costly, so it needs the token.
import { z } from 'zod';
import { witnessToText } from '../../../machine/oracle/witness.ts';
import { ChainError } from '../../../storage/errors.ts';
import { blockNumber } from '../inputs.ts';
import { blockWitness } from '../replay/proving.ts';
import { router, tokenProcedure } from '../trpc.ts';

/** The words as big-endian bytes: the bytes whose hex is the lowercase witness text. */
function wordsBigEndian(words: Uint32Array): Buffer {
  const b = Buffer.alloc(words.length * 4);
  for (let i = 0; i < words.length; i++) b.writeUInt32BE(words[i], i * 4);
  return b;
}

export const witnessRouter = router({
  /**
   * text: CSR_READS_DUMP form (8 uppercase hex digits per word, concatenated);
   * base64: the words as big-endian u32 bytes.
   */
  block: tokenProcedure
    .input(z.object({ number: blockNumber.min(1, 'block 0 is the genesis state: it has no witness'), format: z.enum(['text', 'base64', 'both']).default('text') }))
    .query(({ ctx, input }) => {
      const s = ctx.services;
      const head = s.chain.head();
      if (input.number > head) throw new ChainError('BLOCK_NOT_FOUND', `block ${input.number} is not stored (head is ${head})`);
      const words = s.runs.run(`witness of block ${input.number}`, () => blockWitness(s.chain, input.number));
      return {
        block: input.number,
        words: words.length,
        ...(input.format !== 'base64' ? { text: witnessToText(words) } : {}),
        ...(input.format !== 'text' ? { base64: wordsBigEndian(words).toString('base64') } : {}),
      };
    }),
});
