// What the bootloader produces per transaction and per block.
import type { Log } from '../system/io.ts';

export interface TxReceipt {
  index: number;
  hash: Uint8Array;
  type: number;
  from: bigint;
  to: bigint | null;
  success: boolean;
  /** Gas charged to the sender, after refunds. */
  gasUsed: bigint;
  cumulativeGasUsed: bigint;
  effectiveGasPrice: bigint;
  logs: Log[];
  output: Uint8Array;
  created: bigint | null;
  /** Out of native: the transaction reverted whatever its gas. */
  outOfNative: boolean;
}

export interface TxRejection {
  index: number;
  /** The named validation error, e.g. TX_NONCE_TOO_LOW. */
  error: string;
  message: string;
}

export type TxResult = { kind: 'executed'; receipt: TxReceipt } | { kind: 'rejected'; rejection: TxRejection };

/** A transaction the bootloader refuses: it leaves no trace in state, and the block goes on. */
export class InvalidTransaction extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'InvalidTransaction';
  }
}

export interface AccountDiff {
  address: bigint;
  nonce: bigint;
  balance: bigint;
  /** keccak of the code (zero hash when none). */
  codeHash: Uint8Array;
  code: Uint8Array | null;
  /** The account was deleted during the block: its storage before the block is gone. */
  storageCleared: boolean;
  /** Slots whose value differs from the start of the block. */
  storage: Array<[slot: bigint, value: bigint]>;
}

/** A write to the ZKsync state (tree) view: account properties live at (0x8003, address). */
export interface StorageWrite {
  address: bigint;
  key: bigint;
  value: bigint;
}

export interface BlockOutput {
  results: TxResult[];
  gasUsed: bigint;
  /** The Ethereum view of what changed (accounts with their code, slots). */
  stateDiff: AccountDiff[];
  /** The same change as the state tree sees it, with the account-properties hashes. */
  storageWrites: StorageWrite[];
  /** Preimages that writes refer to: account encodings and deployed code, by blake2s hash. */
  preimages: Array<{ hash: Uint8Array; bytes: Uint8Array }>;
  /** The sequence of machine states visited (for audits and replay checks). */
  trace: string[] | null;
}
