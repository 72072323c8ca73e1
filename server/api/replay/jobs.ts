// Replay jobs: a range of blocks replayed one by one in the background, holding one run slot for
// their whole life. Between blocks the job yields to the event loop, so queries keep being
// answered while it runs. Each job keeps its verdicts and an event history, which subscribers
// read from the start (or from where they left off) and then follow live.
import { randomUUID } from 'node:crypto';
import { EventEmitter, on } from 'node:events';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Chain } from '../../../storage/chain.ts';
import { ApiError, toTRPCError } from '../errors.ts';
import type { Limiter } from '../limiter.ts';
import { replayVerdict, type ReplayMode, type VerdictView } from './verdict.ts';

export type JobState = 'running' | 'done' | 'failed' | 'cancelled';

type JobEventBody =
  | { type: 'block'; done: number; total: number; verdict: VerdictView }
  | { type: 'end'; state: Exclude<JobState, 'running'>; done: number; total: number; ok: number; failed: number; error?: string };

/** An event of a job, numbered from 0 (the number is the SSE event id). */
export type JobEvent = JobEventBody & { seq: number };

export interface JobSummary {
  id: string;
  from: number;
  to: number;
  mode: ReplayMode;
  state: JobState;
  done: number;
  total: number;
  /** Blocks that replayed identically (forward) or proved their stored public input (proving). */
  ok: number;
  /** Blocks that did not (divergent, corrupt, wrong public input). */
  failed: number;
  error?: string;
  startedAt: string;
  endedAt?: string;
}

class Job {
  readonly id = randomUUID();
  state: JobState = 'running';
  readonly events: JobEvent[] = [];
  readonly emitter = new EventEmitter();
  ok = 0;
  failed = 0;
  error: string | undefined;
  readonly startedAt = new Date().toISOString();
  endedAt: string | undefined;
  cancelRequested = false;

  constructor(
    readonly from: number,
    readonly to: number,
    readonly mode: ReplayMode,
  ) {}

  get total(): number {
    return this.to - this.from + 1;
  }

  get done(): number {
    return this.events.filter((e) => e.type === 'block').length;
  }

  push(e: JobEventBody): void {
    const event: JobEvent = { ...e, seq: this.events.length };
    this.events.push(event);
    this.emitter.emit('event', event);
  }

  summary(): JobSummary {
    return {
      id: this.id,
      from: this.from,
      to: this.to,
      mode: this.mode,
      state: this.state,
      done: this.done,
      total: this.total,
      ok: this.ok,
      failed: this.failed,
      ...(this.error === undefined ? {} : { error: this.error }),
      startedAt: this.startedAt,
      ...(this.endedAt === undefined ? {} : { endedAt: this.endedAt }),
    };
  }
}

/** How many finished jobs are remembered (the oldest are forgotten first). */
const KEEP_FINISHED = 32;

export class ReplayJobs {
  private readonly jobs = new Map<string, Job>();

  constructor(
    private readonly chain: Chain,
    private readonly runs: Limiter,
  ) {}

  /** Starts replaying from..to; throws TOO_MANY_REQUESTS when every run slot is taken. */
  start(from: number, to: number, mode: ReplayMode): JobSummary {
    const release = this.runs.acquire(`replay of blocks ${from}..${to}`);
    const job = new Job(from, to, mode);
    this.jobs.set(job.id, job);
    this.forgetOld();
    void this.run(job).finally(release);
    return job.summary();
  }

  get(id: string): JobSummary {
    return this.job(id).summary();
  }

  list(): JobSummary[] {
    return [...this.jobs.values()].map((j) => j.summary());
  }

  /** Asks a running job to stop after the block it is on. */
  cancel(id: string): JobSummary {
    const job = this.job(id);
    if (job.state === 'running') job.cancelRequested = true;
    return job.summary();
  }

  /** Cancels every running job (the server is closing its connections). */
  cancelAll(): void {
    for (const j of this.jobs.values()) if (j.state === 'running') j.cancelRequested = true;
  }

  /** The job's events from `afterSeq` + 1 on, then live ones until it ends. */
  async *follow(id: string, afterSeq: number, signal?: AbortSignal): AsyncGenerator<JobEvent> {
    const job = this.job(id);
    // Listen before reading the history, so no event falls between the two.
    const live = job.state === 'running' ? on(job.emitter, 'event', { signal }) : null;
    let next = afterSeq + 1;
    try {
      for (; next < job.events.length; next++) yield job.events[next];
      if (live === null || job.events[job.events.length - 1]?.type === 'end') return;
      for await (const [e] of live as AsyncIterable<[JobEvent]>) {
        if (e.seq < next) continue;
        next = e.seq + 1;
        yield e;
        if (e.type === 'end') return;
      }
    } catch (e) {
      if ((e as { name?: string }).name === 'AbortError') return;
      throw e;
    }
  }

  private job(id: string): Job {
    const job = this.jobs.get(id);
    if (job === undefined) throw new ApiError('NOT_FOUND', 'JOB_NOT_FOUND', `no replay job ${id} (finished jobs are kept for the last ${KEEP_FINISHED})`);
    return job;
  }

  private async run(job: Job): Promise<void> {
    try {
      for (let n = job.from; n <= job.to; n++) {
        await yieldToLoop();
        // Checked after yielding: a cancel (or the server closing) may have come meanwhile.
        if (job.cancelRequested) {
          this.finish(job, 'cancelled');
          return;
        }
        const verdict = replayVerdict(this.chain, n, job.mode);
        if (verdict.ok) job.ok++;
        else job.failed++;
        job.push({ type: 'block', done: n - job.from + 1, total: job.total, verdict });
      }
      this.finish(job, 'done');
    } catch (e) {
      job.error = toTRPCError(e).message;
      this.finish(job, 'failed');
    }
  }

  private finish(job: Job, state: Exclude<JobState, 'running'>): void {
    job.state = state;
    job.endedAt = new Date().toISOString();
    job.push({ type: 'end', state, done: job.done, total: job.total, ok: job.ok, failed: job.failed, ...(job.error === undefined ? {} : { error: job.error }) });
  }

  private forgetOld(): void {
    const finished = [...this.jobs.values()].filter((j) => j.state !== 'running');
    for (const j of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.jobs.delete(j.id);
  }
}
