// A chain profile: the transaction rules the bootloader applies (design.md "Two chain profiles").
import type { HookTable } from '../hooks/table.ts';
import type { BlockMetadata } from '../oracle/types.ts';
import type { ExecutionOutcome, Runner } from './runner.ts';
import type { BlockOutput, TxReceipt, TxResult } from './types.ts';
import type { IO } from '../system/io.ts';
import type { System } from '../system/system.ts';

export interface TxEnv {
  sys: System;
  runner: Runner;
  block: BlockMetadata;
  /** Gas used by the block's transactions so far. */
  blockGasUsed: bigint;
  index: number;
  /** keccak-256 of the transaction's bytes as the oracle gave them (the block hashes each once). */
  rawHash: Uint8Array;
}

/** A transaction that passed validation, with what execution needs. */
export interface PreparedTx {
  type: number;
  hash: Uint8Array;
  from: bigint;
  to: bigint | null;
  gasLimit: bigint;
  effectiveGasPrice: bigint;
  /** State the profile needs between phases. */
  data: unknown;
}

export interface Profile {
  readonly name: 'ethereum' | 'zksync';
  /** EIP-161: touched empty accounts are deleted at the end of each transaction. */
  readonly clearEmptyAccounts: boolean;
  /**
   * EIP-7610: a creation onto an account with storage collides. Needs oracle query 10, which the
   * ZKsync state tree cannot answer: the zksync profile keeps the reference's divergence.
   */
  readonly storageCollisions: boolean;
  hooks(): HookTable;
  /** Decodes and checks; throws InvalidTransaction without changing state. */
  validate(env: TxEnv, raw: Uint8Array): PreparedTx;
  /** Charges fees up front and runs the transaction's frames. */
  execute(env: TxEnv, tx: PreparedTx): ExecutionOutcome;
  /** Settles gas and fees. */
  refund(env: TxEnv, tx: PreparedTx, outcome: ExecutionOutcome): TxReceipt;
  /** Optional block-level outputs of the profile (header, hashes, L2→L1 logs), added to the output. */
  finalize?(block: BlockFinalization): Partial<BlockOutput>;
}

/** What a profile sees when the block is sealed. */
export interface BlockFinalization {
  block: BlockMetadata;
  io: IO;
  results: readonly TxResult[];
  gasUsed: bigint;
}
