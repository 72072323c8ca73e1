// The EVM execution environment: frames are pooled per call depth so a call allocates no stack.
import { hashKey, type AccountEntry } from '../../system/io.ts';
import { analyze, analyzeCached, type CodeAnalysis } from './analysis.ts';
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

export function deployedCodeAnalysis(account: AccountEntry, code: Uint8Array): CodeAnalysis {
  return analyzeCached(hashKey(account.props.bytecodeHash), code);
}

export function initcodeAnalysis(initcode: Uint8Array): CodeAnalysis {
  return analyze(initcode);
}
