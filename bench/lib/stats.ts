// The suite's statistics: medians of runs, percentiles of latency samples, and a timer that also
// takes the process's CPU time (on a shared machine, wall time counts other people's work too).

export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new RangeError('median of no values');
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * The p-th percentile (0 < p <= 100) by the nearest-rank method: the smallest sample with at
 * least p % of the samples at or below it. It is always one of the samples.
 */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) throw new RangeError('percentile of no values');
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile ${p} is not in (0, 100]`);
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.ceil((p / 100) * s.length) - 1];
}

export interface Timing {
  /** Wall-clock seconds. */
  seconds: number;
  /** CPU seconds of this process (user + system) over the same span. */
  cpuSeconds: number;
}

/** The timing of median wall time, with its own CPU time (an odd count gives the middle one). */
export function medianTiming(ts: readonly Timing[]): Timing {
  if (ts.length === 0) throw new RangeError('median of no timings');
  return [...ts].sort((a, b) => a.seconds - b.seconds)[ts.length >> 1];
}

export function measure<T>(f: () => T): Timing & { value: T } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = f();
  const seconds = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { value, seconds, cpuSeconds: (c.user + c.system) / 1e6 };
}

// The workloads' deterministic generator is the demo's (one mulberry32 in the tree).
export { rng } from '../../server/demo/workload.ts';
