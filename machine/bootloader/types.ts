import type { TreeCommitment } from '../tree/flat/hash.ts';
import type { PublicInput } from './public-input.ts';
// What the bootloader produces per transaction and per block.
import type { L2ToL1Log, L2ToL1Message, Log } from '../system/io.ts';

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
  /** zksync: the L2→L1 logs the transaction left (its messages' logs, an L1 tx's result log). */
  l2ToL1Logs?: L2ToL1Log[];
  /** zksync: native resource used (gas_limit × native_per_gas − native left). */
  nativeUsed?: bigint;
  /** zksync: pubdata bytes the transaction was charged for. */
  pubdataUsed?: number;
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

/** The zksync block header (reference §2.10) with zkos's decisions: real parent hash, gas used, mix hash. */
export interface BlockHeader {
  parentHash: Uint8Array;
  ommersHash: Uint8Array;
  beneficiary: bigint;
  stateRoot: Uint8Array;
  /** The transactions rolling hash. */
  transactionsRoot: Uint8Array;
  receiptsRoot: Uint8Array;
  logsBloom: Uint8Array;
  difficulty: bigint;
  number: bigint;
  gasLimit: bigint;
  gasUsed: bigint;
  timestamp: bigint;
  extraData: Uint8Array;
  mixHash: Uint8Array;
  nonce: Uint8Array;
  baseFeePerGas: bigint;
}

/** A log with its place in the block. */
export interface BlockEvent extends Log {
  txIndex: number;
  logIndex: number;
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
  /** keccak chain over keccak(body) of every transaction the block received, rejected ones too. */
  txInputsHash: Uint8Array;
  /** zksync: the pubdata bytes of §5.3 (changed slots only), what the public input commits to. */
  pubdata?: Uint8Array;
  /** Proving (or a forward run answering proving queries): the state commitments and public input. */
  commitmentBefore?: TreeCommitment;
  commitmentAfter?: TreeCommitment;
  publicInput?: PublicInput;
  /** The sequence of machine states visited (for audits and replay checks). */
  trace: string[] | null;
  // ---- zksync profile only (absent in the ethereum profile) ----
  /** Every log of the block's executed transactions, in order. */
  events?: BlockEvent[];
  /** L2→L1 logs (reference §5.4) and user messages, in order. */
  l2ToL1Logs?: L2ToL1Log[];
  l2ToL1Messages?: L2ToL1Message[];
  /** keccak chain over the hashes of executed transactions, seeded with 32 zero bytes (§2.10). */
  txRollingHash?: Uint8Array;
  /** blake2s over the hashes of the block's L1→L2 priority transactions (§5.5). */
  priorityOpsHash?: Uint8Array;
  /** Hash of the block's upgrade transaction, or 32 zero bytes. */
  upgradeTxHash?: Uint8Array;
  header?: BlockHeader;
  /** keccak(RLP(header)). */
  blockHash?: Uint8Array;
}
