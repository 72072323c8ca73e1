// The tape oracle: answers from nothing but the flat word stream a RISC-V guest reads through its
// CSR port (reference §1.4, §1.5, §1.8) — per query a length word n, then the n answer words; the
// disconnect query's length word is 0. This is the proving-mode door, so it is strict where the
// reference guest is lenient: every length word must equal the answer size the table expects
// (the guest only checks some kinds), and `finish()` rejects words left over. Every error is a
// TapeError naming the word position.
//
// Query 1 (transaction body) and the §1.4 caveat: the reference guest wants exactly ceil(len/4)
// words, while its host bridge emits 2*ceil(len/8) (the body zero-padded to 8 bytes); the two
// agree only when len mod 8 is 0, 5, 6 or 7, otherwise the reference run aborts. This tape takes
// the host's emission — the witness format, and what `tapeFromLog` writes — for every length, and
// checks that the padding bytes are zero, so no length of Ethereum envelope (ours are not always
// ABI-padded to 32 bytes) is unprovable here. `referenceTxLength: true` instead rejects, as the
// reference guest does, the lengths where the two sizes differ.
import { DEFAULT_BLOB_BASE_FEE, TapeError, blobWords, decodeU32 } from './codec.ts';
import { WordAnsweringOracle, checkSize, expectedAnswerWords, isQueryKind, QUERIES, type AnswerContext, type AnswerWords, type RecordedQuery } from './queries.ts';
import { OracleError, QueryKind } from './types.ts';

export interface TapeOptions {
  /** Blob base fee for the block metadata (not on the tape; see `encodeBlockMetadata`). */
  blobBaseFee?: bigint;
  /** Reject transaction lengths whose body the reference guest would refuse (see above). */
  referenceTxLength?: boolean;
}

export class TapeOracle extends WordAnsweringOracle {
  /** A tape is a proving witness: the run it feeds always proves. */
  readonly provesState = true;
  private pos = 0;
  private lastTxSize = 0;
  private readonly referenceTxLength: boolean;

  constructor(
    private readonly tape: Uint32Array,
    options: TapeOptions = {},
  ) {
    super(options.blobBaseFee ?? DEFAULT_BLOB_BASE_FEE);
    this.referenceTxLength = options.referenceTxLength ?? false;
  }

  /** Position of the next word to be read. */
  get position(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.tape.length - this.pos;
  }

  override nextTxSize(): number {
    const n = super.nextTxSize();
    this.lastTxSize = n;
    return n;
  }

  protected answerWords(kind: QueryKind, _params: Uint32Array, expected: number | null): AnswerWords {
    const at = this.pos;
    const name = QUERIES[kind].name;
    if (at >= this.tape.length) throw new TapeError('TAPE_EXHAUSTED', at, `tape ended before the length word of ${name}`);
    const n = this.tape[at];
    if (kind === QueryKind.NewTxContent && this.referenceTxLength) {
      const guest = Math.ceil(this.lastTxSize / 4);
      if (guest !== blobWords(this.lastTxSize)) {
        throw new TapeError('LENGTH_MISMATCH', at, `a ${this.lastTxSize}-byte transaction is ${guest} words to the reference guest but ${blobWords(this.lastTxSize)} on the tape`);
      }
    }
    checkSize(kind, n, expected, at);
    const end = at + 1 + n;
    if (end > this.tape.length) throw new TapeError('TAPE_EXHAUSTED', this.tape.length, `${name} answer of ${n} words runs past the end of the tape`);
    this.pos = end;
    return { words: this.tape.subarray(at + 1, end), base: at + 1 };
  }

  /** Throws LEFTOVER_WORDS unless the whole tape was read. */
  finish(): void {
    if (this.pos !== this.tape.length) {
      throw new TapeError('LEFTOVER_WORDS', this.pos, `${this.tape.length - this.pos} words left on the tape`);
    }
  }
}

/**
 * The tape of a recorded run (what the witness generator writes): per query its answer length,
 * then the answer words. Answer sizes are checked against the table first (a transaction body
 * against the size answered just before it); a bad entry is BAD_LOG_ENTRY at the position its
 * length word would have had.
 */
export function tapeFromLog(log: readonly RecordedQuery[]): Uint32Array {
  let total = 0;
  for (const q of log) total += 1 + q.answer.length;
  const out = new Uint32Array(total);
  const ctx: AnswerContext = { txLength: null, blobBaseFee: DEFAULT_BLOB_BASE_FEE };
  let pos = 0;
  for (let i = 0; i < log.length; i++) {
    const { kind, answer } = log[i];
    if (!isQueryKind(kind)) throw new TapeError('BAD_LOG_ENTRY', pos, `query ${i} has unknown kind ${kind}`);
    let expected: number | null;
    try {
      expected = expectedAnswerWords(kind, ctx);
      checkSize(kind, answer.length, expected, pos, `query ${i}: `);
      if (kind === QueryKind.NextTxSize) ctx.txLength = decodeU32(answer, pos + 1) || null;
      else if (kind === QueryKind.NewTxContent) ctx.txLength = null;
    } catch (e) {
      if (e instanceof TapeError) throw new TapeError('BAD_LOG_ENTRY', e.position, `${e.code}: ${e.detail}`);
      if (e instanceof OracleError) throw new TapeError('BAD_LOG_ENTRY', pos, `query ${i}: ${e.message}`);
      throw e;
    }
    out[pos] = answer.length;
    out.set(answer, pos + 1);
    pos += 1 + answer.length;
  }
  return out;
}
