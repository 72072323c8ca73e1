// System hooks: code that runs natively at special addresses (reference §6) — the precompiles
// always, and in the zksync profile the system contracts.
import type { CallRequest } from '../ee/types.ts';
import { FrameStatus } from '../ee/types.ts';
import type { System } from '../system/system.ts';
import { PRECOMPILES, PRECOMPILE_COUNT } from './precompiles/index.ts';

export interface HookResult {
  status: FrameStatus;
  /** Gas consumed out of what the call passed (ignored on Error: everything is consumed). */
  gasUsed: number;
  native: number;
  output: Uint8Array;
}

/** `input` may be a view of the caller's heap in the arena: a hook copies what it keeps. */
export type Hook = (input: Uint8Array, gasAvailable: number, req: CallRequest, sys: System) => HookResult;

export class HookTable {
  private readonly hooks = new Map<bigint, Hook>();

  register(address: bigint, hook: Hook): void {
    this.hooks.set(address, hook);
  }

  get(address: bigint): Hook | undefined {
    // Every hook lives below 0x10000; most calls skip the map entirely.
    return address < 0x10000n ? this.hooks.get(address) : undefined;
  }

  has(address: bigint): boolean {
    return this.hooks.has(address);
  }
}

/** The Ethereum precompiles 0x01–0x0a as hooks: failure consumes everything passed. */
export function precompileHooks(): HookTable {
  const t = new HookTable();
  for (let i = 1; i <= PRECOMPILE_COUNT; i++) {
    const fn = PRECOMPILES[i];
    if (fn === undefined) continue;
    t.register(BigInt(i), (input, gas) => {
      const r = fn(input, gas);
      return { status: r.ok ? FrameStatus.Success : FrameStatus.Error, gasUsed: r.gasUsed, native: r.native, output: r.output };
    });
  }
  return t;
}

export const PRECOMPILE_ADDRESSES: readonly bigint[] = Array.from({ length: PRECOMPILE_COUNT }, (_, i) => BigInt(i + 1));
