// Replay in forward mode (design.md): a stored block run again with its answers coming from its
// oracle log alone — no state table is read — and its IO events and output digest compared with
// the stored ones, event for event.
import { runBlock } from '../machine/bootloader/machine.ts';
import type { Profile } from '../machine/bootloader/profile.ts';
import type { BlockOutput } from '../machine/bootloader/types.ts';
import { bytesEqual, bytesToHex } from '../machine/common/bytes.ts';
import { decodeBytes, decodeU32, TapeError } from '../machine/oracle/codec.ts';
import { setRecoveryAhead } from '../machine/crypto/index.ts';
import { describeQuery, type RecordedQuery } from '../machine/oracle/queries.ts';
import { QueryKind } from '../machine/oracle/types.ts';
import { ReplayDivergence, ReplayingOracle } from '../machine/oracle/replaying.ts';
import type { IoEvent } from '../machine/system/events.ts';
import { outputDigest } from './digest.ts';
import { ChainError, CorruptBlockData } from './errors.ts';
import { encodeIoEvent, IoEventEncoder, readIoEvents } from './io-events.ts';
import { readLogBlobs, type LogBlobs } from './log-blobs.ts';
import { decodeOracleLog } from './oracle-log.ts';
import type { BlockReader } from './records.ts';
import { blockRecovery } from './senders/index.ts';
import type { SenderRecovery } from './senders/pool.ts';

export type ReplayVerdict =
  | { identical: true; block: number; events: number; queries: number; digest: string }
  | {
      identical: false;
      block: number;
      /** A different IO event (or one side ran out of events). */
      at: 'event';
      /** Index of the first divergent event. */
      index: number;
      stored: IoEvent | null;
      replayed: IoEvent | null;
    }
  | {
      identical: false;
      block: number;
      /** The run asked a query other than the logged one (or too few / too many). */
      at: 'oracle';
      /** Events produced before the run left the log: the first divergent event index. */
      index: number;
      query: number;
      stored: string;
      replayed: string;
    }
  | {
      identical: false;
      block: number;
      /** Same events, different outputs (receipts, logs or state diff). */
      at: 'output';
      index: number;
      stored: string;
      replayed: string;
    };

export interface ReplayOptions {
  /** Memory budget of the run (RunOptions.arenaBytes). */
  arenaBytes?: number;
  /**
   * The signers of the logged transactions are recovered on this worker while the block runs, as
   * executeBlock does (storage/senders): the same results, a core less busy.
   */
  senders?: SenderRecovery | null;
  /** Without `senders`: recover the signers in one batch before the block runs (default true). */
  batch?: boolean;
  /** A range replay's look-ahead, kept by the caller across the blocks of the range. */
  ahead?: ReplayAhead;
  /** A range is being replayed: read block n+1's log now and hand its transactions to the worker. */
  announceNext?: boolean;
}

/** A block's stored log, read and decoded, with the transactions it served. */
interface LoadedLog {
  n: number;
  blobs: LogBlobs;
  log: RecordedQuery[];
  /** The transactions the log served, in order: their signers are recovered ahead. */
  txs: Uint8Array[];
}

/**
 * The next block of a range replay, loaded while the current one runs so the sender worker can
 * start on its transactions; its replay then takes it instead of reading and decoding it again.
 */
export class ReplayAhead {
  private loaded: LoadedLog | null = null;

  /** Block n's log if it was loaded ahead (once). */
  take(n: number): LoadedLog | null {
    const l = this.loaded;
    this.loaded = null;
    return l !== null && l.n === n ? l : null;
  }

  /** Loads block n and posts its transactions to the worker; a block that does not load is left to its own replay to report. */
  announce(reader: BlockReader, n: number, senders: SenderRecovery): void {
    this.loaded = null;
    const b = reader.block(n);
    if (b === null || b.profile === 'genesis') return;
    try {
      const loaded = loadLog(reader, n);
      senders.prepare(loaded.txs, b.profile, b.chainId);
      this.loaded = loaded;
    } catch {
      // Reported, with its position, when block n itself is replayed.
    }
  }
}

function loadLog(reader: BlockReader, n: number): LoadedLog {
  const blobs = readLogBlobs(reader.db, n);
  if (blobs === null) throw new CorruptBlockData(n, 'oracle_log', 'MISSING', -1, -1, 'the block has no block_logs row');
  const log = decodeOracleLog(n, blobs.oracleLog, blobs.oracleCrc);
  if (log.length !== blobs.oracleQueries) {
    throw new CorruptBlockData(n, 'oracle_log', 'UNDECODABLE', -1, -1, `${log.length} queries decoded, the row says ${blobs.oracleQueries}`);
  }
  return { n, blobs, log, txs: loggedTransactions(log) };
}

/** Replays block `n` with `profile` from its stored log; throws CorruptBlockData for bad blobs. */
export function replayStoredBlock(reader: BlockReader, n: number, profile: Profile, opts: ReplayOptions = {}): ReplayVerdict {
  const { arenaBytes, senders, ahead } = opts;
  const b = reader.block(n);
  if (b === null) throw new ChainError('BLOCK_NOT_FOUND', `no block ${n}`);
  if (b.profile === 'genesis') throw new ChainError('NO_LOG', `block ${n} is the genesis state: nothing ran`);
  if (b.profile !== profile.name) throw new ChainError('PROFILE_MISMATCH', `block ${n} ran with the ${b.profile} profile, not ${profile.name}`);
  const { blobs, log, txs } = ahead?.take(n) ?? loadLog(reader, n);

  const oracle = new ReplayingOracle(log, { blobBaseFee: b.blobBaseFee });
  const sink = new IoEventEncoder(blobs.ioEvents.length + 64);
  let output: BlockOutput | null = null;
  let divergence: ReplayDivergence | null = null;
  const job = blockRecovery(txs, profile.name, b.chainId, senders ?? null, opts.batch !== false);
  if (senders != null && ahead !== undefined && opts.announceNext === true) ahead.announce(reader, n + 1, senders);
  const previous = job === null ? null : setRecoveryAhead(job);
  try {
    output = runBlock(oracle, profile, { events: sink, arenaBytes });
    oracle.finish();
  } catch (e) {
    if (e instanceof ReplayDivergence) divergence = e;
    else if (e instanceof TapeError) throw new CorruptBlockData(n, 'oracle_log', 'UNDECODABLE', oracle.position, -1, `${e.code}: ${e.detail}`);
    else throw e;
  } finally {
    if (job !== null) {
      job.end();
      setRecoveryAhead(previous);
    }
  }

  const events = sink.length;
  const replayed = sink.frame();
  // Every event has one encoding, so equal blobs are equal events (and a blob that equals a
  // canonical encoding needs no decoding to be trusted). Only a difference is worth decoding.
  const same = divergence === null && events === blobs.ioEventCount && sameBytes(replayed, blobs.ioEvents);
  if (!same) {
    const first = firstDifference(n, blobs, readIoEvents(n, replayed).events, divergence !== null);
    if (first !== null) return first;
  }
  if (divergence !== null) {
    return {
      identical: false,
      block: n,
      at: 'oracle',
      index: events,
      query: divergence.position,
      stored: describeQuery(divergence.expected),
      replayed: describeQuery(divergence.actual),
    };
  }
  const digest = outputDigest(output!);
  if (!bytesEqual(digest, b.outputDigest)) {
    return { identical: false, block: n, at: 'output', index: events, stored: bytesToHex(b.outputDigest), replayed: bytesToHex(digest) };
  }
  return { identical: true, block: n, events, queries: log.length, digest: bytesToHex(digest) };
}

/** The transactions the log served (NewTxContent answers, each cut to the size asked before it). */
export function loggedTransactions(log: readonly RecordedQuery[]): Uint8Array[] {
  const txs: Uint8Array[] = [];
  let size = 0;
  for (const q of log) {
    if (q.kind === QueryKind.NextTxSize) size = decodeU32(q.answer);
    else if (q.kind === QueryKind.NewTxContent) txs.push(decodeBytes(q.answer, size));
  }
  return txs;
}

/**
 * The first event where the stored and the replayed events part; null when none does up to the
 * shorter list and the lists are equally long or the run left the oracle log (which is then the
 * verdict). Decodes the stored blob, so an undecodable one is CorruptBlockData here.
 */
function firstDifference(n: number, blobs: LogBlobs, replayed: readonly IoEvent[], leftLog: boolean): ReplayVerdict | null {
  const { events: stored, starts } = readIoEvents(n, blobs.ioEvents);
  if (stored.length !== blobs.ioEventCount) {
    throw new CorruptBlockData(n, 'io_events', 'UNDECODABLE', -1, -1, `${stored.length} events decoded, the row says ${blobs.ioEventCount}`);
  }
  const common = Math.min(stored.length, replayed.length);
  for (let i = 0; i < common; i++) {
    if (!sameBytes(blobs.ioEvents.subarray(starts[i], starts[i + 1]), encodeIoEvent(replayed[i]))) {
      return { identical: false, block: n, at: 'event', index: i, stored: stored[i], replayed: replayed[i] };
    }
  }
  if (!leftLog && stored.length !== replayed.length) {
    return { identical: false, block: n, at: 'event', index: common, stored: stored[common] ?? null, replayed: replayed[common] ?? null };
  }
  return null;
}

/** Bytewise equality through Buffer.equals (memcmp): blobs here are hundreds of kilobytes. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.length).equals(b);
}
