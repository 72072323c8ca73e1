// The forward oracle over the state database (design.md "forward mode"): slots and account hashes
// as of the parent block from slot_history, preimages from the preimages table, the block context
// and the transactions from the caller. It serves exactly as InMemoryOracle does — account hashes
// at (0x8003, address), isNew when no row was ever written, a missing preimage an OracleError —
// so a block gives the same output over either. Executing a block reads nothing else.
import { OracleError, type BlockMetadata, type InitialSlot, type Oracle } from '../machine/oracle/types.ts';
import type { StateView } from './state.ts';
import { TxQueue } from '../machine/oracle/tx-queue.ts';

export class DbOracle implements Oracle {
  private readonly queue: TxQueue;

  constructor(
    private readonly state: StateView,
    /** The block whose post-state the queries see (the parent of the block being run). */
    readonly parent: number,
    private readonly metadata: BlockMetadata,
    txs: readonly Uint8Array[],
  ) {
    this.queue = new TxQueue(txs);
  }

  nextTxSize(): number {
    return this.queue.nextTxSize();
  }

  nextTxContent(): Uint8Array {
    return this.queue.nextTxContent();
  }

  blockMetadata(): BlockMetadata {
    return this.metadata;
  }

  initialStorageSlot(address: bigint, key: bigint): InitialSlot {
    return this.state.slotAt(address, key, this.parent);
  }

  accountHasStorage(address: bigint): boolean {
    return this.state.hasStorageAt(address, this.parent);
  }

  preimage(hash: Uint8Array): Uint8Array {
    const p = this.state.preimage(hash);
    if (p === null) throw new OracleError('UNKNOWN_PREIMAGE', `no preimage for ${Buffer.from(hash).toString('hex')}`);
    return p;
  }
}
