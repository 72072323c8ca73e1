// Small helpers every router uses: a block reference to a stored block number, the page limit,
// the stored block hash.
import { ChainError } from '../../storage/errors.ts';
import { ApiError } from './errors.ts';
import type { BlockRef } from './inputs.ts';
import { data } from './rpc/encode.ts';
import type { ApiServices } from './services.ts';

/** The stored block a reference names; NOT_FOUND when there is none. */
export function resolveBlock(s: ApiServices, ref: BlockRef): number {
  const head = s.chain.head();
  if (ref === 'latest') {
    if (head < 0) throw new ChainError('NO_GENESIS', 'the chain is empty');
    return head;
  }
  if (typeof ref === 'number') {
    if (ref > head) throw new ChainError('BLOCK_NOT_FOUND', `block ${ref} is not stored (head is ${head})`);
    return ref;
  }
  const n = s.queries.blockByHash(ref);
  if (n === null) throw new ChainError('BLOCK_NOT_FOUND', `no block has hash ${data(ref)}`);
  return n;
}

/** Refuses a page larger than the server allows. */
export function checkLimit(s: ApiServices, limit: number): number {
  if (limit > s.limits.maxPage) throw new ApiError('BAD_REQUEST', 'PAGE_TOO_LARGE', `invalid input: limit ${limit} is above this server's maximum page of ${s.limits.maxPage}`);
  return limit;
}

/** The stored hash of block n as 0x hex (null: genesis and ethereum-profile blocks have none). */
export function blockHashHex(s: ApiServices, n: number): string | null {
  const h = s.queries.blockOutputs(n)?.blockHash ?? null;
  return h === null ? null : data(h);
}
