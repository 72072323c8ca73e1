// The replaying oracle: answers from a recorded log alone (design.md "replay in forward mode").
// The run must ask exactly the recorded queries, in order, with the recorded parameters; the
// first difference, a log that runs out, or one with queries left at `finish()` is a divergence.
import { DEFAULT_BLOB_BASE_FEE } from './codec.ts';
import { WordAnsweringOracle, checkSize, describeQuery, wordsEqual, type AnswerWords, type RecordedQuery } from './queries.ts';
import { QueryKind } from './types.ts';

/** A query as asked: its kind and encoded parameters. */
export interface AskedQuery {
  kind: QueryKind;
  params: Uint32Array;
}

export class ReplayDivergence extends Error {
  constructor(
    /** Index of the query (0-based) at which the run and the log part ways. */
    readonly position: number,
    /** The recorded query, or null when the log had run out. */
    readonly expected: AskedQuery | null,
    /** The query the run asked, or null when the run ended (`finish()`) with queries left. */
    readonly actual: AskedQuery | null,
  ) {
    super(`replay diverged at query ${position}: expected ${describeQuery(expected)}, got ${describeQuery(actual)}`);
    this.name = 'ReplayDivergence';
  }
}

export interface ReplayOptions {
  /** Blob base fee for the block metadata (not in the log; see `encodeBlockMetadata`). */
  blobBaseFee?: bigint;
}

/**
 * A recorded log asked in order: each query must be the next one logged, with the same kind and
 * parameters; the first difference, a log that runs out, or queries left at `finish()` is a
 * divergence. Shared by the replaying oracle and the tape builder.
 */
export class LogCursor {
  private next = 0;

  constructor(private readonly log: readonly RecordedQuery[]) {}

  /** Number of queries taken so far. */
  get position(): number {
    return this.next;
  }

  /** The next logged query, which must be this one; `advance()` moves past it. */
  expect(kind: QueryKind, params: Uint32Array): RecordedQuery {
    const i = this.next;
    if (i >= this.log.length) throw new ReplayDivergence(i, null, { kind, params });
    const rec = this.log[i];
    if (rec.kind !== kind || !wordsEqual(rec.params, params)) throw new ReplayDivergence(i, { kind: rec.kind, params: rec.params }, { kind, params });
    return rec;
  }

  advance(): void {
    this.next++;
  }

  finish(): void {
    if (this.next < this.log.length) {
      const rec = this.log[this.next];
      throw new ReplayDivergence(this.next, { kind: rec.kind, params: rec.params }, null);
    }
  }
}

export class ReplayingOracle extends WordAnsweringOracle {
  /** A log that holds the proving queries came from a proving run, and replays as one. */
  readonly provesState: boolean;
  private readonly cursor: LogCursor;
  /** Position in the equivalent tape (`tapeFromLog(log)`) of the next query's length word. */
  private tapePosition = 0;

  constructor(log: readonly RecordedQuery[], options: ReplayOptions = {}) {
    super(options.blobBaseFee ?? DEFAULT_BLOB_BASE_FEE);
    this.cursor = new LogCursor(log);
    this.provesState = log.some((q) => q.kind === QueryKind.InitializeIOImplementer);
  }

  /** Number of queries answered so far. */
  get position(): number {
    return this.cursor.position;
  }

  protected answerWords(kind: QueryKind, params: Uint32Array, expected: number | null): AnswerWords {
    const rec = this.cursor.expect(kind, params);
    // A recorded answer of the wrong size is a corrupt log, not a divergence: report its position
    // in the equivalent tape.
    const at = this.tapePosition;
    checkSize(kind, rec.answer.length, expected, at, `query ${this.cursor.position}: `);
    this.cursor.advance();
    this.tapePosition = at + 1 + rec.answer.length;
    return { words: rec.answer, base: at + 1 };
  }

  /** Throws a divergence unless every recorded query was asked. */
  finish(): void {
    this.cursor.finish();
  }
}
