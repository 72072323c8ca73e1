// L2→L1 logs and user messages as the IO subsystem records them (reference §5.4), and what the
// contract deployer hook installs by reference (§4.9).

/** The L1 messenger's address: the sender of every user-message log (reference §5.4). */
export const L1_MESSENGER_ADDRESS = 0x8008n;
/** The bootloader's formal address: the sender of every L1-transaction result log. */
export const BOOTLOADER_FORMAL_ADDRESS = 0x8001n;

/** An L2→L1 log (reference §5.4); its 88-byte encoding lives with the zksync bootloader. */
export interface L2ToL1Log {
  /** The IO transaction counter (invalid transactions count too). */
  txNumber: number;
  /** 0x8008 for user messages, 0x8001 for L1 transaction results. */
  sender: bigint;
  /** 32 bytes: the message's sender left-padded, or the L1 transaction hash. */
  key: Uint8Array;
  /** 32 bytes: keccak(message), or the success flag as a 32-byte integer. */
  value: Uint8Array;
}

/** A user message to L1 (sent through the L1 messenger); it comes with one L2→L1 log. */
export interface L2ToL1Message {
  txNumber: number;
  /** Who sent it (the messenger's caller, or the base token for withdrawals). */
  sender: bigint;
  data: Uint8Array;
  /** keccak(data), the log's value. */
  hash: Uint8Array;
}

/** Code installed by reference (contract deployer hook): the bytes are published out of band. */
export interface BytecodeDetails {
  bytecodeHash: Uint8Array;
  bytecodeLen: number;
  observableHash: Uint8Array;
  observableLen: number;
}
