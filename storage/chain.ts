// A chain over one SQLite file: genesis, blocks executed in order over the state database with
// every oracle query and IO event recorded, each block persisted in one transaction, any block
// replayable from its log alone, and time-travel reads of the state.
import { EthereumProfile } from '../machine/bootloader/ethereum.ts';
import { ZksyncProfile } from '../machine/bootloader/zksync/profile.ts';
import { runBlock } from '../machine/bootloader/machine.ts';
import type { Profile } from '../machine/bootloader/profile.ts';
import type { BlockOutput } from '../machine/bootloader/types.ts';
import type { PreStateAccount } from '../machine/oracle/memory.ts';
import { RecordingOracle } from '../machine/oracle/recording.ts';
import type { BlockMetadata } from '../machine/oracle/types.ts';
import { openDatabase, type Db, type OpenOptions } from './db.ts';
import { ChainError } from './errors.ts';
import { IoEventEncoder } from './io-events.ts';
import { OracleLogEncoder } from './oracle-log.ts';
import { DbOracle } from './oracle.ts';
import { BlockReader } from './records.ts';
import { ReplayAhead, replayStoredBlock, type ReplayVerdict } from './replay.ts';
import { genesisState, StateView, type AccountState } from './state.ts';
import { BlockStore, type PersistStats } from './store.ts';
import { applyWrites, TreeStage, type StoredCommitment, type TreeStageStep } from './tree-stage.ts';
import { checkWitness, proveStoredBlock, type ProvingVerdict } from './witness.ts';
import { DEFAULT_BLOB_BASE_FEE } from '../machine/oracle/codec.ts';
import { ProvingError } from './errors.ts';
import { setRecoveryAhead } from '../machine/crypto/index.ts';
import { blockRecovery } from './senders/index.ts';
import { SenderRecovery } from './senders/pool.ts';
import { Checkpointer } from './checkpointer.ts';

/** How to build the profile a stored block names, for replay ('zksync' plugs in here). */
export type ProfileRegistry = Record<string, () => Profile>;

export const DEFAULT_PROFILES: ProfileRegistry = { ethereum: () => new EthereumProfile(), zksync: () => new ZksyncProfile() };

export interface ChainOptions extends OpenOptions {
  profiles?: ProfileRegistry;
  /** Recover transaction signers on a worker thread while blocks execute (storage/senders). */
  recoverSenders?: boolean;
  /**
   * Without the worker, recover a block's signers in one batch before it runs (the default;
   * storage/senders/batch.ts); false recovers each as its transaction runs, one by one.
   */
  batchRecovery?: boolean;
  /** Memory budget of every block this chain runs or replays (RunOptions.arenaBytes). */
  arenaBytes?: number;
  /** Checkpoint the WAL on a worker thread instead of inside commits (storage/checkpointer.ts). */
  backgroundCheckpoint?: boolean;
}

export class Chain {
  readonly store: BlockStore;
  readonly reader: BlockReader;
  readonly state: StateView;
  readonly tree: TreeStage;
  /** Sizes and digest of the last block this connection stored. */
  lastPersist: PersistStats | null = null;
  /** Recoveries of the last block found done ahead, by the sender worker or a batch (hits), or done inline (misses). */
  lastRecovery: { hits: number; misses: number } | null = null;
  private readonly profiles: ProfileRegistry;
  private readonly senders: SenderRecovery | null;
  private readonly batchRecovery: boolean;
  private readonly arenaBytes: number | undefined;
  private checkpointer: Checkpointer | null = null;
  private readonly replayAhead = new ReplayAhead();

  constructor(
    readonly db: Db,
    opts: { profiles?: ProfileRegistry; recoverSenders?: boolean; batchRecovery?: boolean; arenaBytes?: number } = {},
  ) {
    this.senders = opts.recoverSenders === true ? new SenderRecovery() : null;
    this.batchRecovery = opts.batchRecovery !== false;
    this.store = new BlockStore(db);
    this.reader = new BlockReader(db);
    this.state = new StateView(db);
    this.profiles = { ...DEFAULT_PROFILES, ...opts.profiles };
    this.tree = new TreeStage(db, this.reader, (n) => this.profileOf(n));
    this.arenaBytes = opts.arenaBytes;
  }

  /** The last stored block number; -1 before genesis. */
  head(): number {
    return this.store.head();
  }

  /** Block 0: the accounts' balances, nonces, code and slots, encoded as InMemoryOracle does. */
  genesis(accounts: ReadonlyMap<bigint, PreStateAccount>, context: Partial<BlockMetadata> = {}): void {
    const { writes, preimages } = genesisState(accounts);
    this.db
      .transaction(() => {
        if (this.head() >= 0) throw new ChainError('GENESIS_EXISTS', 'the chain already has a genesis block');
        this.store.writeGenesis(genesisContext(context), writes, preimages);
      })
      .immediate();
  }

  /**
   * Runs block head+1 over the state as of head, recording every oracle query and IO event, and
   * stores it in one transaction. The write lock is held from before the state is read until the
   * commit, so a second writer can neither interleave nor build on a stale head.
   */
  executeBlock(metadata: BlockMetadata, rawTxs: readonly Uint8Array[], profile: Profile): BlockOutput {
    this.checkpointer?.sync();
    return this.db
      .transaction(() => {
        const head = this.head();
        if (head < 0) throw new ChainError('NO_GENESIS', 'write the genesis block first');
        if (metadata.blockNumber !== BigInt(head + 1)) {
          throw new ChainError('BLOCK_OUT_OF_ORDER', `block number ${metadata.blockNumber} given, the next block is ${head + 1}`);
        }
        // Room for a typical block at once (an ERC-20 transfer logs ~400 B of queries and ~650 B of events).
        const log = new OracleLogEncoder(512 * rawTxs.length);
        const recorder = new RecordingOracle(new DbOracle(this.state, head, metadata, rawTxs), log);
        const events = new IoEventEncoder(1024 * rawTxs.length);
        const job = blockRecovery(rawTxs, profile.name, metadata.chainId, this.senders, this.batchRecovery);
        const previous = job === null ? null : setRecoveryAhead(job);
        let output: BlockOutput;
        try {
          // A failing block (ArenaExhausted, an oracle error) throws here: the transaction stores nothing.
          output = runBlock(recorder, profile, { events, arenaBytes: this.arenaBytes });
        } finally {
          if (job !== null) {
            job.end();
            setRecoveryAhead(previous);
          }
          this.lastRecovery = job === null ? null : { hits: job.hits, misses: job.misses };
        }
        this.lastPersist = this.store.persist({
          number: head + 1,
          profile: profile.name,
          metadata: { ...metadata, blobBaseFee: recorder.blobBaseFee ?? metadata.blobBaseFee },
          rawTxs,
          output,
          oracleLog: log.finish(),
          ioEvents: events.finish(),
        });
        return output;
      })
      .immediate();
  }

  /**
   * Announces the transactions of a block that will run soon (typically the next one, before this
   * one executes), so the sender worker recovers their signers ahead. executeBlock given the same
   * array uses that work. Without the worker, nothing happens.
   */
  prepare(rawTxs: readonly Uint8Array[], profileName: string, chainId: bigint): void {
    this.senders?.prepare(rawTxs, profileName, chainId);
  }

  /** Resolves once the sender worker has loaded: true, or false when there is none. */
  sendersReady(): Promise<boolean> {
    return this.senders === null ? Promise.resolve(false) : this.senders.ready();
  }

  /**
   * Runs stored block n again from its oracle log alone (no state table is read) and compares its
   * IO events and output digest with the stored ones. Without a profile, the one the block names
   * is built from the registry. `announceNext` (a range replay) lets the sender worker start on
   * block n+1 while n runs.
   */
  replayBlock(n: number, profile?: Profile, opts: { announceNext?: boolean } = {}): ReplayVerdict {
    return replayStoredBlock(this.reader, n, profile ?? this.profileOf(n), { arenaBytes: this.arenaBytes, senders: this.senders, batch: this.batchRecovery, ahead: this.replayAhead, announceNext: opts.announceNext });
  }

  /**
   * The tree stage up to block `to` (default: head): commitments and public inputs of the stored
   * blocks it has not processed yet. Needs a writable connection.
   */
  advanceTree(to: number = this.head(), onStep?: (s: TreeStageStep) => void): number {
    this.checkpointer?.sync(); // it writes too
    return this.tree.advance(this.checkBlock(to), onStep);
  }

  /** The state commitment after block n and its public input, once the tree stage has run. */
  commitment(n: number): StoredCommitment | null {
    return this.tree.commitment(n);
  }

  /**
   * Proving replay of block n: its tape built from the stored log and the tree as of n-1, a
   * proving run over the tape alone, its public input compared with the stored one. Sequential
   * calls reuse the tree in memory, so a range costs one tree load.
   */
  proveBlock(n: number): ProvingVerdict & { tape: Uint32Array } {
    if (!Number.isInteger(n) || n < 1 || n > this.head()) throw new ChainError('BLOCK_NOT_FOUND', `block ${n} is not a stored block after genesis (head is ${this.head()})`);
    const before = this.tree.treeAt(n - 1);
    const verdict = proveStoredBlock(this.reader, n, this.profileOf(n), before, this.tree.commitment(n)?.publicInput ?? null);
    applyWrites(before, this.reader.storageWrites(n));
    this.tree.keep(n, before);
    return verdict;
  }

  /**
   * Block n's tape in the CSR_READS_DUMP word order, served only after a second proving run over
   * the finished tape alone reproduced the block's public input. Throws ProvingError otherwise.
   */
  witness(n: number): Uint32Array {
    const b = this.reader.block(n);
    if (b !== null && b.blobBaseFee !== DEFAULT_BLOB_BASE_FEE) {
      throw new ProvingError('BLOB_BASE_FEE', n, `the block ran with blob base fee ${b.blobBaseFee}; a tape carries none and implies ${DEFAULT_BLOB_BASE_FEE}`);
    }
    const v = this.proveBlock(n);
    return checkWitness(n, v, this.profileOf(n), DEFAULT_BLOB_BASE_FEE);
  }

  /** The account as of block `block` (default: head); null if it was never written. */
  accountAt(address: bigint, block: number = this.head()): AccountState | null {
    return this.state.accountAt(address, this.checkBlock(block));
  }

  /** A slot's value as of block `block` (default: head); 0 if never written. */
  storageAt(address: bigint, key: bigint, block: number = this.head()): bigint {
    return this.state.storageAt(address, key, this.checkBlock(block));
  }

  /** Checkpoints the WAL on a worker thread from now on (a writable file database only). */
  checkpointInBackground(path: string): void {
    if (this.checkpointer === null && !this.db.readonly && !this.db.memory) this.checkpointer = new Checkpointer(this.db, path);
  }

  /** Whether a checkpointer thread checkpoints the WAL now (the writer's own checkpoints are off). */
  get checkpointingInBackground(): boolean {
    return this.checkpointer?.sync() ?? false;
  }

  close(): void {
    this.senders?.close();
    this.checkpointer?.stop();
    this.db.close();
  }

  /** The profile a stored block ran with, built from the registry. */
  profileOf(n: number): Profile {
    const b = this.reader.block(n);
    if (b === null) throw new ChainError('BLOCK_NOT_FOUND', `no block ${n}`);
    if (b.profile === 'genesis') throw new ChainError('NO_LOG', `block ${n} is the genesis state: nothing ran`);
    const make = this.profiles[b.profile];
    if (make === undefined) throw new ChainError('UNKNOWN_PROFILE', `block ${n} ran with profile ${b.profile}, which is not registered`);
    return make();
  }

  private checkBlock(block: number): number {
    const head = this.head();
    if (!Number.isInteger(block) || block < 0 || block > head) throw new ChainError('BLOCK_NOT_FOUND', `block ${block} is not stored (head is ${head})`);
    return block;
  }
}

/** Opens (creating and migrating if needed) the chain database at `path`. */
export function openChain(path: string, opts: ChainOptions = {}): Chain {
  const { profiles, recoverSenders, batchRecovery, arenaBytes, backgroundCheckpoint, ...open } = opts;
  const chain = new Chain(openDatabase(path, open), { profiles, recoverSenders, batchRecovery, arenaBytes });
  if (backgroundCheckpoint === true) chain.checkpointInBackground(path);
  return chain;
}

function genesisContext(c: Partial<BlockMetadata>): BlockMetadata {
  return {
    chainId: 0n,
    blockNumber: 0n,
    timestamp: 0n,
    blockHashes: [],
    eip1559BaseFee: 0n,
    gasPerPubdata: 0n,
    nativePrice: 0n,
    coinbase: 0n,
    gasLimit: 0n,
    mixHash: 0n,
    blobBaseFee: 0n,
    ...c,
  };
}
