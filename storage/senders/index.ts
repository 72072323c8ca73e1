// How a block's signers are recovered ahead of it: on the worker thread (pool.ts), or in one batch
// on this thread (batch.ts), or not at all (inline, as each transaction runs).
import { BatchRecovery, type BlockRecovery } from './batch.ts';
import type { SenderRecovery } from './pool.ts';

export type { BlockRecovery };

/**
 * A block's sender recovery: the worker's job when there is a worker, else (unless `batch` is
 * false) one batch on this thread for an Ethereum block; null when signers are recovered inline.
 */
export function blockRecovery(txs: readonly Uint8Array[], profile: string, chainId: bigint, senders: SenderRecovery | null, batch: boolean): BlockRecovery | null {
  if (senders !== null) return senders.take(txs, profile, chainId);
  return batch ? BatchRecovery.forBlock(txs, profile) : null;
}
