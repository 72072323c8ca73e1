// `zkos replay`: stored blocks run again from their oracle logs alone (forward mode) and compared
// with what was recorded, event for event; or (proving mode) each block's tape built from its log
// and the tree before it, run in proving mode alone, its public input compared with the stored
// one. Any divergence, failed verification or corrupt stored data fails the run.
import { existsSync } from 'node:fs';
import { openChain, type Chain } from '../../storage/chain.ts';
import { ChainError, CorruptBlockData, ProvingError } from '../../storage/errors.ts';
import type { ReplayVerdict } from '../../storage/replay.ts';
import { group, intOption, parseArgs, Progress, seconds, show, UsageError } from './common.ts';

export const REPLAY_USAGE = `  replay --db FILE [--from N] [--to M] [--mode forward|proving]
      Replays stored blocks N..M (default 1..head). forward: from their oracle logs, comparing
      the IO events and outputs with the stored ones. proving: builds each block's tape, runs
      proving mode over it alone and compares the public input with the stored one. Exits 1 on
      any divergence, failed verification or corrupt data.
`;

type Mode = 'forward' | 'proving';

export function replayCommand(args: string[]): number {
  let db: string;
  let from: number | undefined;
  let to: number | undefined;
  let mode: Mode;
  try {
    const p = parseArgs(args, ['db', 'from', 'to', 'mode']);
    if (p.positional.length > 0) throw new UsageError(`unexpected argument '${p.positional[0]}'`);
    const m = p.options.get('mode') ?? 'forward';
    if (m !== 'forward' && m !== 'proving') throw new UsageError(`unknown mode '${m}' (forward or proving)`);
    mode = m;
    const d = p.options.get('db');
    if (d === undefined) throw new UsageError('--db FILE is required');
    db = d;
    from = intOption(p, 'from', undefined, 0);
    to = intOption(p, 'to', undefined, 0);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`zkos replay: ${e.message}\n${REPLAY_USAGE}`);
      return 2;
    }
    throw e;
  }
  if (!existsSync(db)) {
    process.stderr.write(`zkos replay: ${db} does not exist\n`);
    return 2;
  }
  // Forward replay recovers the logged transactions' signers on the second core, as execution does.
  const chain = openChain(db, { readonly: true, recoverSenders: mode === 'forward' });
  try {
    return replayRange(chain, mode, from, to);
  } finally {
    chain.close();
  }
}

function replayRange(chain: Chain, mode: Mode, fromOpt: number | undefined, toOpt: number | undefined): number {
  const head = chain.head();
  if (head < 1) {
    process.stderr.write(`zkos replay: the chain has no block to replay (head ${head})\n`);
    return 2;
  }
  // Block 0 is the genesis state: nothing ran, there is no log.
  const from = Math.max(1, fromOpt ?? 1);
  const to = toOpt ?? head;
  if (to > head) {
    process.stderr.write(`zkos replay: --to ${to} is beyond the head (block ${head})\n`);
    return 2;
  }
  if (from > to) {
    process.stderr.write(`zkos replay: empty range ${from}..${to}\n`);
    return 2;
  }
  const total = to - from + 1;
  const progress = new Progress('replay', total);
  let identical = 0;
  let divergent = 0;
  let corrupt = 0;
  let events = 0;
  const started = performance.now();
  for (let n = from; n <= to; n++) {
    let line: string;
    try {
      if (mode === 'proving') {
        const v = chain.proveBlock(n);
        if (v.ok) {
          identical++;
          line = `block ${n}: proven (public input ${v.publicInput}, ${group(v.tapeWords)} tape words, output digest ${v.outputDigest})`;
        } else {
          divergent++;
          line = `block ${n}: NOT PROVEN: ${v.detail}\n  stored public input: ${v.storedPublicInput ?? '(none: the tree stage has not run)'}\n  proven public input: ${v.publicInput || '(none)'}`;
        }
      } else {
        const v = chain.replayBlock(n, undefined, { announceNext: n < to });
        if (v.identical) {
          identical++;
          events += v.events;
          line = `block ${n}: identical (${v.events} IO events, ${v.queries} oracle queries, digest ${v.digest})`;
        } else {
          divergent++;
          line = describeDivergence(v);
        }
      }
    } catch (e) {
      if (e instanceof CorruptBlockData) {
        corrupt++;
        const where = e.position >= 0 ? ` at entry ${e.position}${e.offset >= 0 ? ` (byte ${e.offset})` : ''}` : '';
        line = `block ${n}: CORRUPT ${e.part} ${e.code}${where}: ${e.detail}`;
      } else if (e instanceof ChainError || e instanceof ProvingError) {
        corrupt++;
        line = `block ${n}: ERROR ${e.message}`;
      } else throw e;
    }
    progress.clear();
    process.stdout.write(`${line}\n`);
    progress.update(n - from + 1);
  }
  progress.done();
  const wall = performance.now() - started;
  const bad = divergent + corrupt;
  const verdicts = mode === 'proving' ? `${identical} proven, ${divergent} not proven` : `${identical} identical, ${divergent} divergent`;
  process.stdout.write(
    `replayed ${total} blocks (${from}..${to}) in ${mode} mode: ${verdicts}, ${corrupt} corrupt or unreadable; ` +
      (mode === 'forward' ? `${group(events)} IO events ` : '') +
      `in ${seconds(wall)}\n`,
  );
  if (bad > 0) process.stderr.write(`zkos replay: ${bad} block${bad === 1 ? '' : 's'} did not replay identically\n`);
  return bad > 0 ? 1 : 0;
}

function describeDivergence(v: Exclude<ReplayVerdict, { identical: true }>): string {
  switch (v.at) {
    case 'event':
      return `block ${v.block}: DIVERGENT at IO event ${v.index}\n  stored:   ${v.stored === null ? '(none)' : show(v.stored)}\n  replayed: ${v.replayed === null ? '(none)' : show(v.replayed)}`;
    case 'oracle':
      return `block ${v.block}: DIVERGENT at oracle query ${v.query} (after ${v.index} IO events)\n  stored:   ${v.stored}\n  replayed: ${v.replayed}`;
    case 'output':
      return `block ${v.block}: DIVERGENT output digest (all ${v.index} IO events equal)\n  stored:   ${v.stored}\n  replayed: ${v.replayed}`;
  }
}
