// The transactions of a block as oracles serve them: a size (query 0), then that body (query 1).
import { OracleError } from './types.ts';

export class TxQueue {
  private next = 0;
  private pending: Uint8Array | null = null;

  constructor(private readonly txs: readonly Uint8Array[]) {}

  nextTxSize(): number {
    if (this.next >= this.txs.length) return 0;
    this.pending = this.txs[this.next++];
    return this.pending.length;
  }

  nextTxContent(): Uint8Array {
    if (this.pending === null) throw new OracleError('NO_PENDING_TX', 'transaction content asked before its size');
    const t = this.pending;
    this.pending = null;
    return t;
  }
}
