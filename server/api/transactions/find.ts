// A stored transaction by its hash, with the block it is in.
import type { StoredTransaction } from '../../../storage/records.ts';
import { blockHashHex } from '../common.ts';
import { ApiError } from '../errors.ts';
import { data } from '../rpc/encode.ts';
import type { BlockPlace } from '../rpc/shapes.ts';
import type { ApiServices } from '../services.ts';

/** A stored transaction by hash with its block's place; NOT_FOUND when no executed one has it. */
export function findTransaction(s: ApiServices, hash: Uint8Array): { tx: StoredTransaction; place: BlockPlace; profile: string; chainId: bigint } {
  const at = s.chain.reader.findTransaction(hash);
  if (at === null) throw new ApiError('NOT_FOUND', 'TX_NOT_FOUND', `no stored transaction has hash ${data(hash)} (rejected transactions have no hash)`);
  const b = s.chain.reader.block(at.block)!;
  // Only this transaction's rows: a block holds hundreds.
  const tx = s.chain.reader.transaction(at.block, at.index);
  if (tx === null) throw new ApiError('NOT_FOUND', 'TX_NOT_FOUND', `transaction ${data(hash)} is indexed at block ${at.block} position ${at.index}, which holds none`);
  return { tx, place: { number: at.block, hash: blockHashHex(s, at.block) }, profile: b.profile, chainId: b.chainId };
}
