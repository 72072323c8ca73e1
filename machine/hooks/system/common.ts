// What every system-contract hook shares (reference §6, "common rules"): delegate and callcode
// calls revert; static calls revert on state-changing methods; an unknown selector or malformed
// calldata reverts keeping the remaining gas; running out of gas reverts consuming everything.
import { bytesToBigInt } from '../../common/bytes.ts';
import { CallModifier, FrameStatus, type CallRequest } from '../../ee/types.ts';
import type { HookResult } from '../table.ts';

/** Gas (EVM units) and native a hook spends out of what the call passed. */
export class HookMeter {
  gasUsed = 0;
  native = 0;
  constructor(readonly gasAvailable: number) {}

  /** Charges gas; false when the call cannot afford it (then everything passed is consumed). */
  gas(g: number): boolean {
    if (this.gasUsed + g > this.gasAvailable) {
      this.gasUsed = this.gasAvailable;
      return false;
    }
    this.gasUsed += g;
    return true;
  }

  ok(output: Uint8Array): HookResult {
    return { status: FrameStatus.Success, gasUsed: this.gasUsed, native: this.native, output };
  }

  revert(): HookResult {
    return { status: FrameStatus.Revert, gasUsed: this.gasUsed, native: this.native, output: new Uint8Array(0) };
  }
}

/** DELEGATECALL and CALLCODE into a system contract always revert. */
export function isDelegated(req: CallRequest): boolean {
  const m = req.modifier;
  return m === CallModifier.Delegate || m === CallModifier.DelegateStatic || m === CallModifier.Callcode || m === CallModifier.CallcodeStatic;
}

/** The 4-byte selector, or -1 when the input is shorter. */
export function selectorOf(input: Uint8Array): number {
  if (input.length < 4) return -1;
  return ((input[0] << 24) | (input[1] << 16) | (input[2] << 8) | input[3]) >>> 0;
}

/** The 32-byte word at `offset` (the caller checked the length). */
export function word(input: Uint8Array, offset: number): bigint {
  return bytesToBigInt(input, offset, offset + 32);
}

/** Whether the 12 bytes above a 20-byte address in the word at `offset` are zero. */
export function addressPaddingClean(input: Uint8Array, offset: number): boolean {
  for (let i = offset; i < offset + 12; i++) if (input[i] !== 0) return false;
  return true;
}

/** Words needed for `len` bytes. */
export function words(len: number): number {
  return Math.ceil(len / 32);
}
