// Replay in forward mode (design.md): a stored block run again with its answers coming from its
// oracle log alone — no state table is read — and its IO events and output digest compared with
// the stored ones, event for event.
import { runBlock } from '../machine/bootloader/machine.ts';
import type { Profile } from '../machine/bootloader/profile.ts';
import type { BlockOutput } from '../machine/bootloader/types.ts';
import { bytesEqual, bytesToHex } from '../machine/common/bytes.ts';
import { TapeError } from '../machine/oracle/codec.ts';
import { describeQuery } from '../machine/oracle/queries.ts';
import { ReplayDivergence, ReplayingOracle } from '../machine/oracle/replaying.ts';
import { IoEventLog, type IoEvent } from '../machine/system/events.ts';
import { outputDigest } from './digest.ts';
import { ChainError, CorruptBlockData } from './errors.ts';
import { encodeIoEvent } from './io-events.ts';
import type { BlockReader } from './records.ts';

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

/** Replays block `n` with `profile` from its stored log; throws CorruptBlockData for bad blobs. */
export function replayStoredBlock(reader: BlockReader, n: number, profile: Profile): ReplayVerdict {
  const b = reader.block(n);
  if (b === null) throw new ChainError('BLOCK_NOT_FOUND', `no block ${n}`);
  if (b.profile === 'genesis') throw new ChainError('NO_LOG', `block ${n} is the genesis state: nothing ran`);
  if (b.profile !== profile.name) throw new ChainError('PROFILE_MISMATCH', `block ${n} ran with the ${b.profile} profile, not ${profile.name}`);
  const logs = reader.blockLogs(n);
  if (logs === null) throw new CorruptBlockData(n, 'oracle_log', 'MISSING', -1, -1, 'the block has no block_logs row');

  const oracle = new ReplayingOracle(logs.oracleLog, { blobBaseFee: b.blobBaseFee });
  const sink = new IoEventLog();
  let output: BlockOutput | null = null;
  let divergence: ReplayDivergence | null = null;
  try {
    output = runBlock(oracle, profile, { events: sink });
    oracle.finish();
  } catch (e) {
    if (e instanceof ReplayDivergence) divergence = e;
    else if (e instanceof TapeError) throw new CorruptBlockData(n, 'oracle_log', 'UNDECODABLE', oracle.position, -1, `${e.code}: ${e.detail}`);
    else throw e;
  }

  const stored = logs.events.events;
  const starts = logs.events.starts;
  const replayed = sink.events;
  const common = Math.min(stored.length, replayed.length);
  for (let i = 0; i < common; i++) {
    if (!bytesEqual(logs.ioEventsBlob.subarray(starts[i], starts[i + 1]), encodeIoEvent(replayed[i]))) {
      return { identical: false, block: n, at: 'event', index: i, stored: stored[i], replayed: replayed[i] };
    }
  }
  if (divergence !== null) {
    return {
      identical: false,
      block: n,
      at: 'oracle',
      index: replayed.length,
      query: divergence.position,
      stored: describeQuery(divergence.expected),
      replayed: describeQuery(divergence.actual),
    };
  }
  if (stored.length !== replayed.length) {
    return { identical: false, block: n, at: 'event', index: common, stored: stored[common] ?? null, replayed: replayed[common] ?? null };
  }
  const digest = outputDigest(output!);
  if (!bytesEqual(digest, b.outputDigest)) {
    return { identical: false, block: n, at: 'output', index: replayed.length, stored: bytesToHex(b.outputDigest), replayed: bytesToHex(digest) };
  }
  return { identical: true, block: n, events: replayed.length, queries: logs.oracleLog.length, digest: bytesToHex(digest) };
}
