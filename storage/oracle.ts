// The forward oracle over the state database (design.md "forward mode"): slots and account hashes
// as of the parent block from slot_history, preimages from the preimages table, the block context
// and the transactions from the caller. It serves exactly as InMemoryOracle does — account hashes
// at (0x8003, address), isNew when no row was ever written, a missing preimage an OracleError —
// so a block gives the same output over either. Executing a block reads nothing else.
import { OracleError, type BlockMetadata, type InitialSlot, type Oracle } from '../machine/oracle/types.ts';
import type { StateView } from './state.ts';

export class DbOracle implements Oracle {
  private next = 0;
  private pendingTx: Uint8Array | null = null;

  constructor(
    private readonly state: StateView,
    /** The block whose post-state the queries see (the parent of the block being run). */
    readonly parent: number,
    private readonly metadata: BlockMetadata,
    private readonly txs: readonly Uint8Array[],
  ) {}

  nextTxSize(): number {
    if (this.next >= this.txs.length) return 0;
    this.pendingTx = this.txs[this.next++];
    return this.pendingTx.length;
  }

  nextTxContent(): Uint8Array {
    if (this.pendingTx === null) throw new OracleError('NO_PENDING_TX', 'transaction content asked before its size');
    const t = this.pendingTx;
    this.pendingTx = null;
    return t;
  }

  blockMetadata(): BlockMetadata {
    return this.metadata;
  }

  initialStorageSlot(address: bigint, key: bigint): InitialSlot {
    return this.state.slotAt(address, key, this.parent);
  }

  preimage(hash: Uint8Array): Uint8Array {
    const p = this.state.preimage(hash);
    if (p === null) throw new OracleError('UNKNOWN_PREIMAGE', `no preimage for ${Buffer.from(hash).toString('hex')}`);
    return p;
  }
}
