// One block's execution: the work behind each state of the block machine (machine.ts says the
// order). Everything from outside arrives through the oracle.
import { ACCOUNT_PROPERTIES_STORAGE_ADDRESS, encodeProperties, KECCAK_EMPTY, ZERO_HASH } from '../system/account.ts';
import { bigIntToBytes, bytesEqual, bytesToBigInt, concatBytes, EMPTY_BYTES } from '../common/bytes.ts';
import { blake2s, keccak256 } from '../crypto/index.ts';
import { IO } from '../system/io.ts';
import { Arena, DEFAULT_ARENA_BYTES } from '../system/arena.ts';
import { isProvingOracle } from '../oracle/proving.ts';
import { finalAccountHash, finishProving } from './proving.ts';
import { IoEventKind, type IoEventSink } from '../system/events.ts';
import { System } from '../system/system.ts';
import type { BlockMetadata, Oracle } from '../oracle/types.ts';
import { Runner, type ExecutionOutcome } from './runner.ts';
import type { PreparedTx, Profile, TxEnv } from './profile.ts';
import { InvalidTransaction, type AccountDiff, type BlockOutput, type StorageWrite, type TxResult } from './types.ts';

export class BlockExecution {
  io!: IO;
  /** Heaps and return data of every frame the block runs; released by runBlock when it ends. */
  arena: Arena | null = null;
  sys!: System;
  runner!: Runner;
  meta!: BlockMetadata;
  readonly results: TxResult[] = [];
  gasUsed = 0n;
  txBytes: Uint8Array | null = null;
  /** keccak chain over keccak(body) of every transaction received, in order. */
  txInputsHash: Uint8Array = new Uint8Array(32);
  prepared: PreparedTx | null = null;
  outcome: ExecutionOutcome | null = null;
  output: BlockOutput | null = null;
  private env!: TxEnv;

  constructor(
    readonly oracle: Oracle,
    readonly profile: Profile,
    readonly events: IoEventSink | null = null,
    /** The memory budget of the block (machine/system/arena.ts). */
    readonly arenaBytes: number = DEFAULT_ARENA_BYTES,
  ) {}

  init(): void {
    this.io = new IO(this.oracle, this.events, isProvingOracle(this.oracle), this.profile.storageCollisions);
    this.arena = Arena.acquire(this.arenaBytes);
  }

  /** The block is over (done or failed): the arena goes back to the pool. */
  close(): void {
    this.arena?.release();
    this.arena = null;
  }

  blockContext(): void {
    this.meta = this.oracle.blockMetadata();
    this.arena!.block = this.meta.blockNumber;
    this.sys = new System(this.io, this.meta, this.arena!);
    this.runner = new Runner(this.sys, this.profile.hooks());
    this.env = { sys: this.sys, runner: this.runner, block: this.meta, blockGasUsed: 0n, index: -1, rawHash: EMPTY_BYTES };
  }

  readTx(): void {
    const size = this.oracle.nextTxSize();
    this.txBytes = size === 0 ? null : this.oracle.nextTxContent();
    // Every body received, rejected ones too, is chained so the public input binds them all.
    if (this.txBytes !== null) {
      this.env.rawHash = keccak256(this.txBytes);
      this.txInputsHash = keccak256(concatBytes(this.txInputsHash, this.env.rawHash));
    }
  }

  hasTx(): boolean {
    return this.txBytes !== null;
  }

  validate(): void {
    this.io.beginTx();
    this.prepared = null;
    this.outcome = null;
    this.env.index = this.io.tx;
    this.arena!.txIndex = this.io.tx;
    this.env.blockGasUsed = this.gasUsed;
    this.events?.push({ kind: IoEventKind.TxStart, index: this.io.tx });
    // Validation may run code (account abstraction); whatever it did is undone if it fails.
    const snapshot = this.io.snapshot();
    try {
      this.prepared = this.profile.validate(this.env, this.txBytes!);
    } catch (e) {
      if (!(e instanceof InvalidTransaction)) throw e;
      this.io.rollback(snapshot);
      this.results.push({ kind: 'rejected', rejection: { index: this.io.tx, error: e.code, message: e.message } });
      this.events?.push({ kind: IoEventKind.TxEnd, index: this.io.tx, status: e.code });
    }
  }

  isValid(): boolean {
    return this.prepared !== null;
  }

  execute(): void {
    this.outcome = this.profile.execute(this.env, this.prepared!);
  }

  refund(): void {
    const receipt = this.profile.refund(this.env, this.prepared!, this.outcome!);
    this.gasUsed = receipt.cumulativeGasUsed;
    this.results.push({ kind: 'executed', receipt });
    this.events?.push({ kind: IoEventKind.TxEnd, index: this.io.tx, status: receipt.success ? 'success' : 'reverted' });
  }

  record(): void {
    this.io.finishTx(this.profile.clearEmptyAccounts);
  }

  finalize(): void {
    const stateDiff = this.stateDiff();
    const { storageWrites, preimages } = this.treeWrites();
    this.output = { results: this.results, gasUsed: this.gasUsed, stateDiff, storageWrites, preimages, txInputsHash: this.txInputsHash, trace: null };
    if (this.profile.finalize) {
      Object.assign(this.output, this.profile.finalize({ block: this.meta, io: this.io, results: this.results, gasUsed: this.gasUsed }));
    }
    if (isProvingOracle(this.oracle)) finishProving(this.io, this.oracle, this.meta, this.output);
  }

  /**
   * Writes as the state tree sees them: every changed slot, and for every account whose
   * properties changed the hash of its final encoding at (0x8003, address) — even an all-zero one
   * (reference §4.4). Ordered by address then key until the §4.6 cache order is needed.
   */
  private treeWrites(): { storageWrites: StorageWrite[]; preimages: Array<{ hash: Uint8Array; bytes: Uint8Array }> } {
    const storageWrites: StorageWrite[] = [];
    const preimages: Array<{ hash: Uint8Array; bytes: Uint8Array }> = [];
    for (const p of this.io.newPreimages.values()) preimages.push(p);
    const addresses = [...this.io.accounts.keys()].sort(cmp);
    for (const address of addresses) {
      const a = this.io.accounts.get(address)!;
      const encoding = encodeProperties(a.props);
      const value = finalAccountHash(a.initialHash, encoding, encodeProperties(a.initial));
      if (value !== a.initialHash) {
        storageWrites.push({ address: ACCOUNT_PROPERTIES_STORAGE_ADDRESS, key: address, value });
        preimages.push({ hash: bigIntToBytes(value, 32), bytes: encoding });
      }
      const slots = [...a.storage.values()].filter((s) => s.value !== s.initial).sort((x, y) => cmp(x.key, y.key));
      for (const s of slots) storageWrites.push({ address, key: s.key, value: s.value });
    }
    return { storageWrites, preimages };
  }

  /** Accounts and slots that differ from the start of the block, in address order. */
  private stateDiff(): AccountDiff[] {
    const out: AccountDiff[] = [];
    const addresses = [...this.io.accounts.keys()].sort(cmp);
    for (const address of addresses) {
      const a = this.io.accounts.get(address)!;
      const p = a.props;
      const i = a.initial;
      const storage: Array<[bigint, bigint]> = [];
      for (const s of a.storage.values()) if (s.value !== s.initial || (a.storageCleared && s.value !== 0n)) storage.push([s.key, s.value]);
      storage.sort((x, y) => cmp(x[0], y[0]));
      const propsChanged =
        p.nonce !== i.nonce || p.balance !== i.balance || p.bytecodeLen !== i.bytecodeLen || p.versioning !== i.versioning || !bytesEqual(p.bytecodeHash, i.bytecodeHash);
      if (!propsChanged && storage.length === 0 && !a.storageCleared) continue;
      out.push({
        address,
        nonce: p.nonce,
        balance: p.balance,
        codeHash: p.observableLen === 0 ? (p.versioning === 0n && p.bytecodeLen === 0 ? ZERO_HASH : KECCAK_EMPTY) : p.observableHash,
        code: p.bytecodeLen === 0 ? null : this.io.code(a),
        storageCleared: a.storageCleared,
        storage,
      });
    }
    return out;
  }
}

function cmp(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
