// The System handed to execution environments: IO, the memory arena, and the block and
// transaction context.
import type { BlockMetadata } from '../oracle/types.ts';
import type { Arena } from './arena.ts';
import type { IO } from './io.ts';

export interface TxContext {
  origin: bigint;
  gasPrice: bigint;
  blobHashes: bigint[];
}

export class System {
  tx: TxContext = { origin: 0n, gasPrice: 0n, blobHashes: [] };
  constructor(
    readonly io: IO,
    readonly block: BlockMetadata,
    /** Heaps and return data of the running frames. */
    readonly arena: Arena,
  ) {}

  /** BLOCKHASH semantics over the 256-entry window of the metadata (reference §2.2). */
  blockHash(n: bigint): bigint {
    const current = this.block.blockNumber;
    if (n >= current || n + 256n < current) return 0n;
    return this.block.blockHashes[Number(current - n - 1n)] ?? 0n;
  }
}
