// The tape builder: a proving run that writes its own tape as it reads it. Forward answers come
// from a block's recorded forward log (asked exactly, in order, as a replay), proving answers
// (queries 2, 6–9) from the tree holding the state before the block; each answer is appended to
// the tape as its length word and words and then decoded from there, with the checks a TapeOracle
// makes. So the run reads precisely the tape a TapeOracle over the finished `tape` would read, and
// a stored block is proven in one run instead of a forward run followed by a tape run.
import type { ProofSource, TreeCommitment } from '../tree/flat/hash.ts';
import { DEFAULT_BLOB_BASE_FEE } from './codec.ts';
import { encodeFsmInit } from './proving.ts';
import { QUERIES, WordAnsweringOracle, checkSize, type AnswerWords, type RecordedQuery } from './queries.ts';
import { LogCursor } from './replaying.ts';
import { OracleError, QueryKind } from './types.ts';

export interface TapeBuilderOptions {
  /** Blob base fee for the block metadata (not on the tape; see `encodeBlockMetadata`). */
  blobBaseFee?: bigint;
}

export class TapeBuildingOracle extends WordAnsweringOracle {
  readonly provesState = true;
  private readonly cursor: LogCursor;
  private buf = new Uint32Array(1 << 16);
  private len = 0;
  private fsmTaken = false;

  constructor(
    log: readonly RecordedQuery[],
    private readonly before: TreeCommitment,
    private readonly proofs: ProofSource,
    options: TapeBuilderOptions = {},
  ) {
    super(options.blobBaseFee ?? DEFAULT_BLOB_BASE_FEE);
    this.cursor = new LogCursor(log);
  }

  /** The tape so far (all of it after the run and `finish()`); a view, not a copy. */
  get tape(): Uint32Array {
    return this.buf.subarray(0, this.len);
  }

  protected answerWords(kind: QueryKind, params: Uint32Array, expected: number | null): AnswerWords {
    const answer = this.answer(kind, params);
    const at = this.len;
    checkSize(kind, answer.length, expected, at);
    this.reserve(1 + answer.length);
    this.buf[at] = answer.length;
    this.buf.set(answer, at + 1);
    this.len = at + 1 + answer.length;
    return { words: this.buf.subarray(at + 1, this.len), base: at + 1 };
  }

  private answer(kind: QueryKind, params: Uint32Array): Uint32Array {
    switch (kind) {
      case QueryKind.InitializeIOImplementer:
        if (this.fsmTaken) throw new OracleError('FSM_TAKEN', 'the IO implementer state was already handed out');
        this.fsmTaken = true;
        return encodeFsmInit(this.before);
      case QueryKind.ProofForIndex:
        return QUERIES[kind].encodeAnswer(this.proofs.proofForIndex(QUERIES[kind].decodeParams(params)));
      case QueryKind.PrevIndex:
        return QUERIES[kind].encodeAnswer(this.proofs.prevIndex(QUERIES[kind].decodeParams(params)));
      case QueryKind.ExactIndex:
        return QUERIES[kind].encodeAnswer(this.proofs.exactIndex(QUERIES[kind].decodeParams(params)));
      case QueryKind.DisconnectOracle:
        return QUERIES[kind].encodeAnswer(undefined);
      default: {
        const rec = this.cursor.expect(kind, params);
        this.cursor.advance();
        return rec.answer;
      }
    }
  }

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const grown = new Uint32Array(cap);
    grown.set(this.buf.subarray(0, this.len));
    this.buf = grown;
  }

  /** Throws a divergence unless every logged forward query was asked. */
  finish(): void {
    this.cursor.finish();
  }
}
