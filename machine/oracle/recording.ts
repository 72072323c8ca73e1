// The recording oracle: forwards every query to another oracle and appends the query and its
// answer, as words, to a log (the block's oracle log; design.md "forward mode").
//
// What it returns is the answer after a round trip through its words, not the inner oracle's
// object: the machine then sees in forward mode exactly what a replay or a proving run over the
// same log sees (e.g. a preimage zero-padded to a multiple of 8 bytes, block metadata with exactly
// 256 hashes), so the three runs cannot drift apart on representation.
import type { LeafProof, TreeCommitment } from '../tree/flat/hash.ts';
import { isProvingOracle, type ProvingOracle } from './proving.ts';
import { QUERIES, type Answer, type AnswerContext, type OracleLog, type Params, type QuerySpec, type RecordedQuery } from './queries.ts';
import { OracleError, QueryKind, type BlockMetadata, type InitialSlot, type Oracle } from './types.ts';

/** Where a RecordingOracle puts each query as it is answered (an encoder, for the store). */
export interface OracleLogSink {
  push(q: RecordedQuery): void;
}

export class RecordingOracle implements ProvingOracle {
  private readonly entries: OracleLog = [];
  private txLength: number | null = null;
  private seenBlobBaseFee: bigint | null = null;
  private disconnected = false;

  /**
   * `inner` may be a plain forward oracle; then the proving-only queries fail (except 6). With a
   * `sink`, each query goes there as it is answered and is not kept here.
   */
  constructor(
    private readonly inner: Oracle | ProvingOracle,
    private readonly sink: OracleLogSink | null = null,
  ) {}

  get provesState(): boolean {
    return isProvingOracle(this.inner);
  }

  /** Every query so far, in order. The entries are not copied: treat them as read-only. */
  get log(): readonly RecordedQuery[] {
    if (this.sink !== null) throw new Error('this recording oracle hands its queries to a sink and keeps no log');
    return this.entries;
  }

  /**
   * The blob base fee of the block metadata answered so far (null before query 3). It is not on
   * the wire (see `encodeBlockMetadata`); store it with the log and give it to the replayer.
   */
  get blobBaseFee(): bigint | null {
    return this.seenBlobBaseFee;
  }

  private proving(what: string): ProvingOracle {
    if (!isProvingOracle(this.inner)) throw new OracleError('NOT_PROVING_ORACLE', `${what} needs a proving oracle`);
    return this.inner;
  }

  private record<K extends QueryKind>(kind: K, p: Params<K>, call: () => Answer<K>, blobBaseFee = (): bigint => 0n): Answer<K> {
    const spec: QuerySpec<Params<K>, Answer<K>> = QUERIES[kind];
    if (this.disconnected) throw new OracleError('ORACLE_DISCONNECTED', `${spec.name} asked after the oracle was disconnected`);
    const params = spec.encodeParams(p);
    const value = call();
    const answer = spec.encodeAnswer(value);
    const ctx: AnswerContext = { txLength: this.txLength, blobBaseFee: blobBaseFee() };
    const canonical = spec.decodeAnswer(answer, ctx, 0);
    (this.sink ?? this.entries).push({ kind, params, answer });
    return canonical;
  }

  nextTxSize(): number {
    const n = this.record(QueryKind.NextTxSize, undefined, () => this.inner.nextTxSize());
    this.txLength = n === 0 ? null : n;
    return n;
  }

  nextTxContent(): Uint8Array {
    const expected = this.txLength;
    if (expected === null) throw new OracleError('NO_PENDING_TX', 'transaction content asked before a non-zero size');
    const body = this.record(QueryKind.NewTxContent, undefined, () => {
      const b = this.inner.nextTxContent();
      if (b.length !== expected) throw new OracleError('TX_LENGTH_MISMATCH', `transaction body has ${b.length} bytes, its size was ${expected}`);
      return b;
    });
    this.txLength = null;
    return body;
  }

  blockMetadata(): BlockMetadata {
    let fee = 0n;
    const call = (): BlockMetadata => {
      const meta = this.inner.blockMetadata();
      fee = meta.blobBaseFee;
      return meta;
    };
    const out = this.record(QueryKind.BlockMetadata, undefined, call, () => fee);
    this.seenBlobBaseFee = fee;
    return out;
  }

  initialStorageSlot(address: bigint, key: bigint): InitialSlot {
    return this.record(QueryKind.InitialStorageSlot, { address, key }, () => this.inner.initialStorageSlot(address, key));
  }

  accountHasStorage(address: bigint): boolean {
    return this.record(QueryKind.AccountHasStorage, address, () => {
      if (!this.inner.accountHasStorage) throw new OracleError('UNSUPPORTED_QUERY', 'the wrapped oracle cannot tell whether an account has storage');
      return this.inner.accountHasStorage(address);
    });
  }

  preimage(hash: Uint8Array): Uint8Array {
    return this.record(QueryKind.PreimageContent, hash, () => this.inner.preimage(hash));
  }

  ioImplementerInit(): TreeCommitment {
    return this.record(QueryKind.InitializeIOImplementer, undefined, () => this.proving('ioImplementerInit').ioImplementerInit());
  }

  proofForIndex(index: bigint): LeafProof {
    return this.record(QueryKind.ProofForIndex, index, () => this.proving('proofForIndex').proofForIndex(index));
  }

  prevIndex(key: Uint8Array): bigint {
    return this.record(QueryKind.PrevIndex, key, () => this.proving('prevIndex').prevIndex(key));
  }

  exactIndex(key: Uint8Array): bigint {
    return this.record(QueryKind.ExactIndex, key, () => this.proving('exactIndex').exactIndex(key));
  }

  /** Forwarded when the inner oracle is a proving one; recorded in any case. */
  disconnect(): void {
    this.record(QueryKind.DisconnectOracle, undefined, () => {
      if (isProvingOracle(this.inner)) this.inner.disconnect();
      return undefined;
    });
    this.disconnected = true;
  }
}
