// The oracle is the machine's only door to the outside world (reference §1.1). Every answer is
// untrusted in proving mode; forward mode takes it as given.

export const enum QueryKind {
  NextTxSize = 0,
  NewTxContent = 1,
  InitializeIOImplementer = 2,
  BlockMetadata = 3,
  InitialStorageSlot = 4,
  PreimageContent = 5,
  DisconnectOracle = 6,
  ProofForIndex = 7,
  PrevIndex = 8,
  ExactIndex = 9,
  /**
   * zkos extension, `ethereum` profile only: whether the account had any non-zero slot before
   * the block (EIP-7610 creation collisions). The ZKsync tree cannot answer it, so the `zksync`
   * profile never asks (the reference's documented divergence).
   */
  AccountHasStorage = 10,
}

export interface BlockMetadata {
  chainId: bigint;
  blockNumber: bigint;
  timestamp: bigint;
  /** 256 previous block hashes as 256-bit integers; index 0 is block number-1. */
  blockHashes: bigint[];
  eip1559BaseFee: bigint;
  gasPerPubdata: bigint;
  nativePrice: bigint;
  coinbase: bigint;
  gasLimit: bigint;
  /** prevRandao. */
  mixHash: bigint;
  /** EIP-4844 blob base fee (1 in the zksync profile, which has no blobs). */
  blobBaseFee: bigint;
}

export interface InitialSlot {
  isNew: boolean;
  value: bigint;
}

export interface Oracle {
  /** Query 0: byte length of the next transaction; 0 seals the block. */
  nextTxSize(): number;
  /** Query 1: the body of the transaction whose size was just answered. */
  nextTxContent(): Uint8Array;
  /** Query 3. */
  blockMetadata(): BlockMetadata;
  /** Query 4: first read of a slot in the block (account properties live at address 0x8003). */
  initialStorageSlot(address: bigint, key: bigint): InitialSlot;
  /** Query 5: the preimage of a Blake2s hash (account encodings, bytecode). */
  preimage(hash: Uint8Array): Uint8Array;
  /** Query 10 (zkos extension): whether the account had storage before the block. */
  accountHasStorage?(address: bigint): boolean;
}

export class OracleError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'OracleError';
  }
}
