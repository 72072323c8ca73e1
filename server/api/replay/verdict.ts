// One block replayed, forward or proving, as a JSON verdict: identical / ok, or where and how it
// diverged; stored data that does not check out is a verdict too ('corrupt'), never skipped.
import type { Chain } from '../../../storage/chain.ts';
import { CorruptBlockData } from '../../../storage/errors.ts';
import { describeIoEvent } from '../../../storage/io-events.ts';
import { proveBlock } from './proving.ts';

export type ReplayMode = 'forward' | 'proving';

export type VerdictView =
  | { block: number; mode: 'forward'; ok: true; events: number; queries: number; digest: string }
  | { block: number; mode: 'forward'; ok: false; at: 'event' | 'oracle' | 'output'; index: number; query?: number; stored: string; replayed: string }
  | { block: number; mode: 'proving'; ok: boolean; publicInput: string; storedPublicInput: string | null; outputDigest: string; tapeWords: number; detail?: string }
  | { block: number; mode: ReplayMode; ok: false; at: 'corrupt'; part: string; code: string; position: number; detail: string };

/** Replays block n; a ChainError (no such block, genesis) propagates, corrupt data is a verdict. */
export function replayVerdict(chain: Chain, n: number, mode: ReplayMode): VerdictView {
  try {
    if (mode === 'proving') {
      const v = proveBlock(chain, n);
      return {
        block: n,
        mode,
        ok: v.ok,
        publicInput: v.publicInput,
        storedPublicInput: v.storedPublicInput,
        outputDigest: v.outputDigest,
        tapeWords: v.tapeWords,
        ...(v.detail === undefined ? {} : { detail: v.detail }),
      };
    }
    const v = chain.replayBlock(n);
    if (v.identical) return { block: n, mode, ok: true, events: v.events, queries: v.queries, digest: v.digest };
    if (v.at === 'event') return { block: n, mode, ok: false, at: 'event', index: v.index, stored: describeIoEvent(v.stored), replayed: describeIoEvent(v.replayed) };
    if (v.at === 'oracle') return { block: n, mode, ok: false, at: 'oracle', index: v.index, query: v.query, stored: v.stored, replayed: v.replayed };
    return { block: n, mode, ok: false, at: 'output', index: v.index, stored: v.stored, replayed: v.replayed };
  } catch (e) {
    if (e instanceof CorruptBlockData) return { block: n, mode, ok: false, at: 'corrupt', part: e.part, code: e.code, position: e.position, detail: e.detail };
    throw e;
  }
}
