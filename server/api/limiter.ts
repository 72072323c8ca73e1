// A cap on costly work running at once. The machine runs synchronously on the server's one
// thread, so this does not add parallelism: it bounds how many long runs can be interleaved (and
// so how long any request may wait behind them); past the cap a request is refused, not queued.
import { ApiError } from './errors.ts';

export class Limiter {
  private running = 0;

  constructor(readonly capacity: number) {}

  get active(): number {
    return this.running;
  }

  /** Takes a slot or throws TOO_MANY_REQUESTS; the caller must release it. */
  acquire(what: string): () => void {
    if (this.running >= this.capacity) {
      throw new ApiError('TOO_MANY_REQUESTS', 'TOO_MANY_RUNS', `${what}: ${this.running} replays or re-executions are running (the cap is ${this.capacity}); try again when one ends`);
    }
    this.running++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
    };
  }

  /** Runs `f` holding a slot. */
  run<T>(what: string, f: () => T): T {
    const release = this.acquire(what);
    try {
      return f();
    } finally {
      release();
    }
  }
}
