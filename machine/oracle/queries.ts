// The oracle query kinds 0–9 (reference §1.1) as one table: for each, how its parameters and its
// answer become words and back. The recording, replaying and tape oracles all go through it, so a
// log, a replay and a witness tape can only ever disagree about data, never about layout.
import type { LeafProof, TreeCommitment } from '../tree/flat/hash.ts';
import {
  TapeError,
  WORDS_B160,
  WORDS_BOOL,
  encodeB160,
  decodeB160,
  encodeBool,
  decodeBool,
  WORDS_BLOCK_METADATA,
  WORDS_BYTES32,
  WORDS_FSM,
  WORDS_INITIAL_SLOT,
  WORDS_LEAF_PROOF,
  WORDS_STORAGE_ADDRESS,
  WORDS_U32,
  WORDS_U64,
  blobWords,
  decodeBlockMetadata,
  decodeBytes,
  decodeBytes32,
  decodeInitialSlot,
  decodeStorageAddress,
  decodeU32,
  decodeU64,
  encodeBlockMetadata,
  encodeBytes,
  encodeBytes32,
  encodeInitialSlot,
  encodeStorageAddress,
  encodeU32,
  encodeU64,
  type StorageAddress,
} from './codec.ts';
import { decodeFsmInit, decodeLeafProof, encodeFsmInit, encodeLeafProof, type ProvingOracle } from './proving.ts';
import { OracleError, QueryKind, type BlockMetadata, type InitialSlot } from './types.ts';

/** One query of a run with its answer, both as words; the oracle log is a list of these. */
export interface RecordedQuery {
  kind: QueryKind;
  params: Uint32Array;
  answer: Uint32Array;
}

export type OracleLog = RecordedQuery[];

/** Parameter and answer value types per kind. */
export interface QueryTypes {
  [QueryKind.NextTxSize]: { params: undefined; answer: number };
  [QueryKind.NewTxContent]: { params: undefined; answer: Uint8Array };
  [QueryKind.InitializeIOImplementer]: { params: undefined; answer: TreeCommitment };
  [QueryKind.BlockMetadata]: { params: undefined; answer: BlockMetadata };
  [QueryKind.InitialStorageSlot]: { params: StorageAddress; answer: InitialSlot };
  [QueryKind.PreimageContent]: { params: Uint8Array; answer: Uint8Array };
  [QueryKind.DisconnectOracle]: { params: undefined; answer: undefined };
  [QueryKind.ProofForIndex]: { params: bigint; answer: LeafProof };
  [QueryKind.PrevIndex]: { params: Uint8Array; answer: bigint };
  [QueryKind.ExactIndex]: { params: Uint8Array; answer: bigint };
  [QueryKind.AccountHasStorage]: { params: bigint; answer: boolean };
}

export type Params<K extends QueryKind> = QueryTypes[K]['params'];
export type Answer<K extends QueryKind> = QueryTypes[K]['answer'];

/** What decoding an answer needs beyond its words. */
export interface AnswerContext {
  /** Byte length announced by the last non-zero query-0 answer, until query 1 consumes it. */
  txLength: number | null;
  /** Supplied by the caller: not on the wire (see `encodeBlockMetadata`). */
  blobBaseFee: bigint;
}

export interface QuerySpec<P, A> {
  readonly kind: QueryKind;
  readonly name: string;
  readonly paramWords: number;
  /**
   * Answer size in words: a fixed count; 'tx' = the host's `2*ceil(len/8)` for the announced
   * transaction length; 'blob' = any even count (preimages: the caller knows the expected length).
   */
  readonly answerWords: number | 'tx' | 'blob';
  encodeParams(p: P): Uint32Array;
  decodeParams(w: Uint32Array, base?: number): P;
  encodeAnswer(a: A): Uint32Array;
  decodeAnswer(w: Uint32Array, ctx: AnswerContext, base?: number): A;
}

const NONE = new Uint32Array(0);

function expectNone(what: string) {
  return (w: Uint32Array, base = 0): undefined => {
    if (w.length !== 0) throw new TapeError('WRONG_LENGTH', base, `${what} has ${w.length} words, expected none`);
    return undefined;
  };
}

function noParams<A>(kind: QueryKind, name: string, answerWords: QuerySpec<undefined, A>['answerWords'], answer: Pick<QuerySpec<undefined, A>, 'encodeAnswer' | 'decodeAnswer'>): QuerySpec<undefined, A> {
  return { kind, name, paramWords: 0, answerWords, encodeParams: () => NONE, decodeParams: expectNone(`${name} params`), ...answer };
}

export const QUERIES: { readonly [K in QueryKind]: QuerySpec<Params<K>, Answer<K>> } = {
  [QueryKind.NextTxSize]: noParams(QueryKind.NextTxSize, 'NextTxSize', WORDS_U32, {
    encodeAnswer: encodeU32,
    decodeAnswer: (w, _ctx, base) => decodeU32(w, base),
  }),
  [QueryKind.NewTxContent]: noParams(QueryKind.NewTxContent, 'NewTxContent', 'tx', {
    encodeAnswer: encodeBytes,
    decodeAnswer: (w, ctx, base) => decodeBytes(w, pendingTxLength(ctx), base),
  }),
  [QueryKind.InitializeIOImplementer]: noParams(QueryKind.InitializeIOImplementer, 'InitializeIOImplementer', WORDS_FSM, {
    encodeAnswer: encodeFsmInit,
    decodeAnswer: (w, _ctx, base) => decodeFsmInit(w, base),
  }),
  [QueryKind.BlockMetadata]: noParams<BlockMetadata>(QueryKind.BlockMetadata, 'BlockMetadata', WORDS_BLOCK_METADATA, {
    encodeAnswer: encodeBlockMetadata,
    decodeAnswer: (w, ctx, base) => decodeBlockMetadata(w, ctx.blobBaseFee, base),
  }),
  [QueryKind.InitialStorageSlot]: {
    kind: QueryKind.InitialStorageSlot,
    name: 'InitialStorageSlot',
    paramWords: WORDS_STORAGE_ADDRESS,
    answerWords: WORDS_INITIAL_SLOT,
    encodeParams: encodeStorageAddress,
    decodeParams: decodeStorageAddress,
    encodeAnswer: encodeInitialSlot,
    decodeAnswer: (w, _ctx, base) => decodeInitialSlot(w, base),
  },
  [QueryKind.PreimageContent]: {
    kind: QueryKind.PreimageContent,
    name: 'PreimageContent',
    paramWords: WORDS_BYTES32,
    answerWords: 'blob',
    encodeParams: encodeBytes32,
    decodeParams: decodeBytes32,
    encodeAnswer: encodeBytes,
    decodeAnswer: (w, _ctx, base) => decodeBytes(w, undefined, base),
  },
  [QueryKind.DisconnectOracle]: noParams(QueryKind.DisconnectOracle, 'DisconnectOracle', 0, {
    encodeAnswer: () => NONE,
    decodeAnswer: (w, _ctx, base) => expectNone('DisconnectOracle answer')(w, base),
  }),
  [QueryKind.ProofForIndex]: {
    kind: QueryKind.ProofForIndex,
    name: 'ProofForIndex',
    paramWords: WORDS_U64,
    answerWords: WORDS_LEAF_PROOF,
    encodeParams: encodeU64,
    decodeParams: decodeU64,
    encodeAnswer: encodeLeafProof,
    decodeAnswer: (w, _ctx, base) => decodeLeafProof(w, base),
  },
  [QueryKind.PrevIndex]: indexQuery(QueryKind.PrevIndex, 'PrevIndex'),
  [QueryKind.ExactIndex]: indexQuery(QueryKind.ExactIndex, 'ExactIndex'),
  [QueryKind.AccountHasStorage]: {
    kind: QueryKind.AccountHasStorage,
    name: 'AccountHasStorage',
    paramWords: WORDS_B160,
    answerWords: WORDS_BOOL,
    encodeParams: encodeB160,
    decodeParams: decodeB160,
    encodeAnswer: encodeBool,
    decodeAnswer: (w, _ctx, base) => decodeBool(w, base),
  },
};

function indexQuery(kind: QueryKind, name: string): QuerySpec<Uint8Array, bigint> {
  return {
    kind,
    name,
    paramWords: WORDS_BYTES32,
    answerWords: WORDS_U64,
    encodeParams: encodeBytes32,
    decodeParams: decodeBytes32,
    encodeAnswer: encodeU64,
    decodeAnswer: (w, _ctx, base) => decodeU64(w, base),
  };
}

function pendingTxLength(ctx: AnswerContext): number {
  if (ctx.txLength === null) throw new OracleError('NO_PENDING_TX', 'transaction content asked before a non-zero size');
  return ctx.txLength;
}

export function isQueryKind(kind: number): kind is QueryKind {
  return Number.isInteger(kind) && kind >= 0 && kind <= QueryKind.AccountHasStorage;
}

/** The spec of a kind, loosely typed (for code that handles every kind alike). */
export function querySpec(kind: number): QuerySpec<unknown, unknown> {
  if (!isQueryKind(kind)) throw new OracleError('UNKNOWN_QUERY_KIND', `unknown oracle query kind ${kind}`);
  return QUERIES[kind] as QuerySpec<unknown, unknown>;
}

/**
 * The exact answer size in words, or null when any even count is allowed (preimages). For query
 * 1 it is the host emission `2*ceil(len/8)` (see TapeOracle on the guest's `ceil(len/4)`).
 */
export function expectedAnswerWords(kind: QueryKind, ctx: AnswerContext): number | null {
  const size = QUERIES[kind].answerWords;
  if (size === 'tx') return blobWords(pendingTxLength(ctx));
  if (size === 'blob') return null;
  return size;
}

/** Throws LENGTH_MISMATCH at `position` unless `n` answer words are what the kind allows. */
export function checkAnswerSize(kind: QueryKind, n: number, ctx: AnswerContext, position: number): void {
  checkSize(kind, n, expectedAnswerWords(kind, ctx), position);
}

/** As checkAnswerSize, with the expected size already known (null: any even count). */
export function checkSize(kind: QueryKind, n: number, expected: number | null, position: number, context = ''): void {
  const ok = expected === null ? n % 2 === 0 : n === expected;
  if (!ok) {
    const want = expected === null ? 'an even count' : String(expected);
    throw new TapeError('LENGTH_MISMATCH', position, `${context}${QUERIES[kind].name} answer of ${n} words, expected ${want}`);
  }
}

/** Throws unless the params have the kind's word count (and decode). */
export function checkParams(kind: QueryKind, params: Uint32Array): void {
  querySpec(kind).decodeParams(params);
}

export function wordsEqual(a: Uint32Array, b: Uint32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function hexWords(w: Uint32Array): string {
  let s = '';
  for (let i = 0; i < w.length; i++) s += (i ? ' ' : '') + w[i].toString(16).padStart(8, '0');
  return s;
}

/** "Name(kind) [params]" for error messages. */
export function describeQuery(q: { kind: number; params: Uint32Array } | null): string {
  if (q === null) return 'nothing';
  const name = isQueryKind(q.kind) ? QUERIES[q.kind].name : 'Unknown';
  return q.params.length === 0 ? `${name}(${q.kind})` : `${name}(${q.kind}) [${hexWords(q.params)}]`;
}

// ---- answering from words ----------------------------------------------------------------------

/** Where a query's answer words come from, and the tape position of the first one (for errors). */
export interface AnswerWords {
  words: Uint32Array;
  base: number;
}

/**
 * A proving oracle whose answers come as words (from a log or a tape): encodes each call's
 * parameters, asks `answerWords`, decodes strictly with the table. Tracks the announced
 * transaction length for query 1 and refuses every query after the disconnect.
 */
export abstract class WordAnsweringOracle implements ProvingOracle {
  abstract readonly provesState: boolean;
  private txLength: number | null = null;
  private disconnected = false;

  constructor(protected readonly blobBaseFee: bigint) {}

  /** The answer words of the next query; `expected` is the exact size, or null for "any even". */
  protected abstract answerWords(kind: QueryKind, params: Uint32Array, expected: number | null): AnswerWords;

  private ask<K extends QueryKind>(kind: K, p: Params<K>): Answer<K> {
    if (this.disconnected) throw new OracleError('ORACLE_DISCONNECTED', `${QUERIES[kind].name} asked after the oracle was disconnected`);
    const spec: QuerySpec<Params<K>, Answer<K>> = QUERIES[kind];
    const ctx: AnswerContext = { txLength: this.txLength, blobBaseFee: this.blobBaseFee };
    const expected = expectedAnswerWords(kind, ctx);
    const { words, base } = this.answerWords(kind, spec.encodeParams(p), expected);
    return spec.decodeAnswer(words, ctx, base);
  }

  nextTxSize(): number {
    const n = this.ask(QueryKind.NextTxSize, undefined);
    this.txLength = n === 0 ? null : n;
    return n;
  }

  nextTxContent(): Uint8Array {
    const body = this.ask(QueryKind.NewTxContent, undefined);
    this.txLength = null;
    return body;
  }

  blockMetadata(): BlockMetadata {
    return this.ask(QueryKind.BlockMetadata, undefined);
  }

  initialStorageSlot(address: bigint, key: bigint): InitialSlot {
    return this.ask(QueryKind.InitialStorageSlot, { address, key });
  }

  accountHasStorage(address: bigint): boolean {
    return this.ask(QueryKind.AccountHasStorage, address);
  }

  /** Padded to a multiple of 8 bytes; callers truncate to the expected length (reference §4.5). */
  preimage(hash: Uint8Array): Uint8Array {
    return this.ask(QueryKind.PreimageContent, hash);
  }

  ioImplementerInit(): TreeCommitment {
    return this.ask(QueryKind.InitializeIOImplementer, undefined);
  }

  proofForIndex(index: bigint): LeafProof {
    return this.ask(QueryKind.ProofForIndex, index);
  }

  prevIndex(key: Uint8Array): bigint {
    return this.ask(QueryKind.PrevIndex, key);
  }

  exactIndex(key: Uint8Array): bigint {
    return this.ask(QueryKind.ExactIndex, key);
  }

  disconnect(): void {
    this.ask(QueryKind.DisconnectOracle, undefined);
    this.disconnected = true;
  }
}
