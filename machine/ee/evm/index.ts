// The EVM execution environment: frames are pooled per call depth so a call allocates no stack.
import { hashKey, type AccountEntry } from '../../system/io.ts';
import { analyze, analyzeCached, setBlockCharging as setAnalysisBlocks, type CodeAnalysis } from './analysis.ts';
import { EvmFrame } from './frame.ts';

export { EvmFrame } from './frame.ts';
export type { FrameInit } from './frame.ts';

export class EvmFramePool {
  private readonly frames: EvmFrame[] = [];

  at(depth: number): EvmFrame {
    let f = this.frames[depth];
    if (f === undefined) {
      f = new EvmFrame();
      this.frames[depth] = f;
    }
    return f;
  }
}

// The same code object comes back for every call into an account within a block: look it up by
// identity first, and only then by hash (which costs a bigint-to-hex conversion).
let byObject = new WeakMap<Uint8Array, CodeAnalysis>();

/** Test seam: per-block (on, the default) or per-instruction charging; see analysis.ts. */
export function setBlockCharging(on: boolean): void {
  setAnalysisBlocks(on);
  byObject = new WeakMap();
}

export function deployedCodeAnalysis(account: AccountEntry, code: Uint8Array): CodeAnalysis {
  let a = byObject.get(code);
  if (a === undefined) {
    a = analyzeCached(hashKey(account.props.bytecodeHash), code);
    byObject.set(code, a);
  }
  return a;
}

export function initcodeAnalysis(initcode: Uint8Array): CodeAnalysis {
  // A copy: the analysis (CODECOPY reads it) must not depend on the deployer's heap.
  return analyze(initcode.slice());
}
