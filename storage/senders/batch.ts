// Sender recovery without the worker: before a block runs on this thread, its Ethereum transactions
// are decoded and their signers recovered in one batch (machine/crypto shares the modular
// inversions across the batch: ~38 µs a key against ~50 one by one). The machine then asks
// `signer` for each transaction, exactly as it asks the worker's job; answers are for the exact
// bytes decoded here, so the block's result is the same with or without it.
import { bytesEqual } from '../../machine/common/bytes.ts';
import type { KnownSigner, RecoveryAhead } from '../../machine/crypto/index.ts';
import { authenticateEthereumTransactions, type RecoveredTx } from '../../machine/tx/ethereum.ts';
import { TxDecodeError } from '../../machine/tx/types.ts';

/** What a block's executor needs of its sender recovery, with or without a worker. */
export interface BlockRecovery extends RecoveryAhead {
  /** Transactions answered ahead, and recoveries the executor did itself. */
  readonly hits: number;
  readonly misses: number;
  /** The block is done. */
  end(): void;
}

/** Transactions past the cursor searched for the one asked about (a rejected one is skipped). */
const LOOKAHEAD = 8;

export class BatchRecovery implements BlockRecovery {
  hits = 0;
  misses = 0;
  private cursor = 0;
  private readonly results: (RecoveredTx | TxDecodeError)[];

  constructor(private readonly txs: readonly Uint8Array[]) {
    this.results = authenticateEthereumTransactions(txs);
  }

  /** Batch recovery for a block of `profile`; null for profiles whose transactions are not Ethereum's. */
  static forBlock(txs: readonly Uint8Array[], profile: string): BatchRecovery | null {
    return profile === 'ethereum' && txs.length > 0 ? new BatchRecovery(txs) : null;
  }

  signer(raw: Uint8Array): KnownSigner | undefined {
    for (let i = this.cursor, end = Math.min(this.txs.length, this.cursor + LOOKAHEAD); i < end; i++) {
      const tx = this.txs[i];
      if (tx !== raw && !bytesEqual(tx, raw)) continue;
      this.cursor = i + 1;
      const r = this.results[i];
      if (r instanceof TxDecodeError) return undefined; // the machine decodes it and rejects it itself
      this.hits++;
      return r;
    }
    return undefined;
  }

  /** Other recoveries (a precompile, a rejected transaction) are done as they come. */
  lookup(): undefined {
    this.misses++;
    return undefined;
  }

  end(): void {}
}
