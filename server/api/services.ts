// What the procedures work with: the read-only chain connection, the one writer (opened on first
// use, only when writes are allowed), the token, the limits, the replay jobs and the caches of
// re-executed blocks. One ApiServices per server (or per test).
import { existsSync } from 'node:fs';
import { openChain, type Chain } from '../../storage/chain.ts';
import { ChainQueries } from '../../storage/queries.ts';
import { ReExecutions } from './execution/reexec.ts';
import { Limiter } from './limiter.ts';
import { ReplayJobs } from './replay/jobs.ts';

export interface ApiLimits {
  /** Largest page of blocks, transactions, logs, oracle queries or IO events. */
  maxPage: number;
  /** Widest block range a logs query may scan. */
  maxLogBlockRange: number;
  /** Longest range one replay job may cover. */
  maxReplayRange: number;
  /** Replays, re-executions and witness runs at once (the rest get TOO_MANY_REQUESTS). */
  maxConcurrentRuns: number;
  /** How often the new-blocks subscription looks at the head. */
  headPollMs: number;
  /** Largest request body the HTTP server reads. */
  maxBodyBytes: number;
}

export const DEFAULT_LIMITS: ApiLimits = {
  maxPage: 1000,
  maxLogBlockRange: 10_000,
  maxReplayRange: 10_000,
  maxConcurrentRuns: 2,
  headPollMs: 500,
  maxBodyBytes: 1024 * 1024,
};

export interface ApiServices {
  /** Read-only connection: every query runs on it. */
  readonly chain: Chain;
  readonly queries: ChainQueries;
  /** The writing connection, opened on first use; null when writes are off (no token). */
  writer(): Chain | null;
  readonly token: string | null;
  readonly limits: ApiLimits;
  readonly runs: Limiter;
  readonly jobs: ReplayJobs;
  readonly reexec: ReExecutions;
  /** What went wrong at start without stopping the server (e.g. a tree stage that failed). */
  readonly warnings: string[];
  close(): void;
}

export interface ServiceOptions {
  token?: string | null;
  limits?: Partial<ApiLimits>;
}

/** The services over an existing chain database file. */
export function openServices(path: string, opts: ServiceOptions = {}): ApiServices {
  if (!existsSync(path)) throw new Error(`${path} does not exist: create a chain with "zkos demo --db ${path}" or "zkos ingest --db ${path} BLOCKS.json"`);
  // One writable open applies any pending migration (and WAL mode), so that the read-only
  // connection can open a database an older zkos wrote, and brings the tree stage (derived data:
  // commitments and public inputs) up to the head; it is closed at once.
  const warnings: string[] = [];
  const setup = openChain(path);
  try {
    setup.advanceTree();
  } catch (e) {
    warnings.push(`the tree stage could not catch up, so proving replay and witnesses may fail: ${(e as Error).message}`);
  } finally {
    setup.close();
  }
  const chain = openChain(path, { readonly: true });
  const token = opts.token ?? null;
  let writer: Chain | null = null;
  return servicesOver(chain, {
    warnings,
    token,
    limits: opts.limits,
    writer: () => {
      if (token === null) return null;
      writer ??= openChain(path);
      return writer;
    },
    close: () => {
      writer?.close();
      chain.close();
    },
  });
}

/** Services over connections the caller opened (tests pass an in-process chain). */
export function servicesOver(
  chain: Chain,
  o: { token?: string | null; limits?: Partial<ApiLimits>; writer?: () => Chain | null; close?: () => void; warnings?: string[] },
): ApiServices {
  const limits = { ...DEFAULT_LIMITS, ...o.limits };
  const runs = new Limiter(limits.maxConcurrentRuns);
  const jobs = new ReplayJobs(chain, runs);
  return {
    chain,
    queries: new ChainQueries(chain.db),
    writer: o.writer ?? (() => null),
    token: o.token ?? null,
    limits,
    runs,
    jobs,
    reexec: new ReExecutions(chain),
    warnings: o.warnings ?? [],
    close: () => {
      // A job between two blocks stops at its next check instead of reading a closed database.
      jobs.cancelAll();
      if (o.close) o.close();
      else chain.close();
    },
  };
}
