// A block's recorded execution as JSON: its IO events (machine/system/events.ts) with the
// transaction each belongs to, and its oracle queries with their words and decoded values.
import { IoEventKind, type IoEvent } from '../../../machine/system/events.ts';
import { QUERIES, type AnswerContext, type RecordedQuery } from '../../../machine/oracle/queries.ts';
import { decodeU32 } from '../../../machine/oracle/codec.ts';
import { QueryKind } from '../../../machine/oracle/types.ts';
import { addr, data, hexWord, jsonSafe, qty, word } from '../rpc/encode.ts';

const KIND_NAMES: Record<number, string> = {
  [IoEventKind.StorageRead]: 'StorageRead',
  [IoEventKind.StorageWrite]: 'StorageWrite',
  [IoEventKind.Balance]: 'Balance',
  [IoEventKind.Nonce]: 'Nonce',
  [IoEventKind.Code]: 'Code',
  [IoEventKind.Log]: 'Log',
  [IoEventKind.FrameStart]: 'FrameStart',
  [IoEventKind.FrameEnd]: 'FrameEnd',
  [IoEventKind.TxStart]: 'TxStart',
  [IoEventKind.TxEnd]: 'TxEnd',
  [IoEventKind.L2ToL1]: 'L2ToL1',
};

export const FRAME_STATUS = ['running', 'success', 'revert', 'error', 'outOfNative'] as const;

/** Which transaction each event belongs to (null: outside any, e.g. block finalization). */
export function eventTxIndices(events: readonly IoEvent[]): Array<number | null> {
  const out: Array<number | null> = [];
  let tx: number | null = null;
  for (const e of events) {
    if (e.kind === IoEventKind.TxStart) tx = e.index;
    out.push(tx);
    if (e.kind === IoEventKind.TxEnd) tx = null;
  }
  return out;
}

/** The events of transaction `index`, TxStart and TxEnd included. */
export function txEvents(events: readonly IoEvent[], index: number): IoEvent[] {
  const start = events.findIndex((e) => e.kind === IoEventKind.TxStart && e.index === index);
  if (start < 0) return [];
  let end = start;
  while (end < events.length && !(events[end].kind === IoEventKind.TxEnd && (events[end] as { index: number }).index === index)) end++;
  return events.slice(start, end + 1);
}

export interface IoEventView {
  index: number;
  tx: number | null;
  kind: string;
  [field: string]: unknown;
}

export function ioEventView(e: IoEvent, index: number, tx: number | null): IoEventView {
  const head = { index, tx, kind: KIND_NAMES[e.kind] ?? `unknown(${e.kind})` };
  switch (e.kind) {
    case IoEventKind.StorageRead:
    case IoEventKind.StorageWrite:
      return { ...head, address: addr(e.address), key: word(e.key), value: word(e.value) };
    case IoEventKind.Balance:
    case IoEventKind.Nonce:
      return { ...head, address: addr(e.address), value: qty(e.value) };
    case IoEventKind.Code:
      return { ...head, address: addr(e.address), codeHash: data(e.codeHash) };
    case IoEventKind.Log:
      return { ...head, address: addr(e.address), topics: e.topics.map(word), data: data(e.data) };
    case IoEventKind.FrameStart:
      return { ...head, depth: e.depth, callKind: e.callKind, caller: addr(e.caller), callee: addr(e.callee), value: qty(e.value), gas: e.gas, input: data(e.input) };
    case IoEventKind.FrameEnd:
      return { ...head, depth: e.depth, status: FRAME_STATUS[e.status] ?? String(e.status), gasLeft: e.gasLeft, output: data(e.output) };
    case IoEventKind.TxStart:
      return { ...head, txIndex: e.index };
    case IoEventKind.TxEnd:
      return { ...head, txIndex: e.index, status: e.status };
    case IoEventKind.L2ToL1:
      return { ...head, sender: addr(e.sender), key: word(e.key), value: data(e.value) };
  }
}

export interface OracleQueryView {
  index: number;
  kind: number;
  name: string;
  /** The words as the tape carries them (8 hex digits each). */
  params: string[];
  answer: string[];
  /** The parameters and answer as values (null when the words do not decode). */
  decoded: { params: unknown; answer: unknown } | null;
}

/**
 * Views of queries [offset, offset + limit). Decoding an answer may need the transaction length
 * announced earlier in the log, so the context is carried from the first query.
 */
export function oracleQueryViews(log: readonly RecordedQuery[], blobBaseFee: bigint, offset: number, limit: number): OracleQueryView[] {
  const ctx: AnswerContext = { txLength: null, blobBaseFee };
  const out: OracleQueryView[] = [];
  const end = Math.min(log.length, offset + limit);
  for (let i = 0; i < end; i++) {
    const q = log[i];
    if (i >= offset) {
      const spec = QUERIES[q.kind];
      let decoded: OracleQueryView['decoded'] = null;
      try {
        decoded = { params: jsonSafe(spec.decodeParams(q.params)) ?? null, answer: jsonSafe(spec.decodeAnswer(q.answer, ctx)) ?? null };
      } catch {
        decoded = null;
      }
      out.push({ index: i, kind: q.kind, name: spec.name, params: Array.from(q.params, hexWord), answer: Array.from(q.answer, hexWord), decoded });
    }
    if (q.kind === QueryKind.NextTxSize) ctx.txLength = decodeU32(q.answer) || null;
    else if (q.kind === QueryKind.NewTxContent) ctx.txLength = null;
  }
  return out;
}
