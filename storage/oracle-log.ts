// The oracle log of a block as one compact blob: every query and its answer, in order, as the
// u32 words of the oracle protocol (machine/oracle/queries.ts).
//
//   u8 format (1) · varint query count · per query:
//     u8 kind · varint param word count · varint answer word count · params · answer
//   (words little-endian u32)
//
// Decoding is strict and checks what a replay relies on before it starts: known kinds, the
// kind's parameter size, the answer size the query table allows (a transaction body against the
// size answered just before it), and no trailing bytes. Any failure is CorruptBlockData naming
// the block, the query index and the byte offset.
import { DEFAULT_BLOB_BASE_FEE, TapeError, decodeU32 } from '../machine/oracle/codec.ts';
import type { OracleLogSink } from '../machine/oracle/recording.ts';
import { QUERIES, checkSize, expectedAnswerWords, isQueryKind, type AnswerContext, type RecordedQuery } from '../machine/oracle/queries.ts';
import { OracleError, QueryKind } from '../machine/oracle/types.ts';
import { BlobDecodeError, ByteReader, ByteWriter, checkCrc, FramedBlobEncoder, type StoredBlob } from './binary.ts';
import { CorruptBlockData } from './errors.ts';

export const ORACLE_LOG_FORMAT = 1;

export function encodeOracleLog(log: readonly RecordedQuery[]): StoredBlob {
  let words = 0;
  for (const q of log) words += q.params.length + q.answer.length;
  return new OracleLogEncoder(4 * words + 4 * log.length).encode(log);
}

/** A sink that encodes each query as the recording oracle answers it (nothing kept per query). */
export class OracleLogEncoder extends FramedBlobEncoder<RecordedQuery> implements OracleLogSink {
  constructor(capacity = 4096) {
    super(ORACLE_LOG_FORMAT, capacity);
  }

  protected write(w: ByteWriter, q: RecordedQuery): void {
    w.u8(q.kind).varint(q.params.length).varint(q.answer.length).words(q.params).words(q.answer);
  }
}

/** The log of `block` from its blob; throws CorruptBlockData on a bad checksum or encoding. */
export function decodeOracleLog(block: number, bytes: Uint8Array, crc: number): RecordedQuery[] {
  checkCrc(block, 'oracle_log', bytes, crc);
  const r: ByteReader = new ByteReader(bytes);
  const out: RecordedQuery[] = [];
  // Every query's words as views into one array (a block asks thousands of queries: one
  // allocation instead of two per query). A blob of b bytes holds at most b/4 words.
  const all = new Uint32Array(bytes.length >>> 2);
  let used = 0;
  const words = (count: number, what: string): Uint32Array => {
    const w = r.wordsInto(all, used, count, what);
    used += count;
    return w;
  };
  const ctx: AnswerContext = { txLength: null, blobBaseFee: DEFAULT_BLOB_BASE_FEE };
  let index = -1;
  let entryStart = 0;
  try {
    const format = r.u8('format');
    if (format !== ORACLE_LOG_FORMAT) r.fail(`unknown oracle log format ${format}`, 0);
    const count = r.varint('query count');
    for (index = 0; index < count; index++) {
      entryStart = r.offset;
      const kind = r.u8('query kind');
      if (!isQueryKind(kind)) r.fail(`unknown query kind ${kind}`, entryStart);
      const paramCount = r.varint('param word count');
      const answerCount = r.varint('answer word count');
      const spec = QUERIES[kind];
      if (paramCount !== spec.paramWords) r.fail(`${spec.name} has ${paramCount} param words, expected ${spec.paramWords}`, entryStart);
      checkSize(kind, answerCount, expectedAnswerWords(kind, ctx), 0);
      const params = words(paramCount, 'params');
      const answer = words(answerCount, 'answer');
      if (kind === QueryKind.NextTxSize) ctx.txLength = decodeU32(answer) || null;
      else if (kind === QueryKind.NewTxContent) ctx.txLength = null;
      out.push({ kind, params, answer });
    }
    index = -1;
    r.end('the last query');
  } catch (e) {
    if (e instanceof BlobDecodeError) throw new CorruptBlockData(block, 'oracle_log', 'UNDECODABLE', index, e.offset, e.detail);
    if (e instanceof TapeError || e instanceof OracleError) {
      throw new CorruptBlockData(block, 'oracle_log', 'UNDECODABLE', index, entryStart, e instanceof TapeError ? e.detail : e.message);
    }
    throw e;
  }
  return out;
}
