// A transaction's call tree in the shape of geth's callTracer (with its withLog option), built
// from the IO events the block recorded: FrameStart (depth, kind, caller, code address, value,
// gas given, input) and FrameEnd (status, gas left, output).
//
// What the events give and what they do not:
// - gas and gasUsed per frame are exact: gas given at the frame's start, minus gas left at its end;
// - `from` is the address whose code made the call (the parent frame's context, as geth reports
//   it), `to` the code address (for delegatecall/callcode too, as geth);
// - the failure of a frame is only known as revert / exceptional halt / out of native: the
//   events do not say which exceptional halt (out of gas, invalid opcode, …), so `error` is
//   "execution reverted" or "exceptional halt", never geth's finer messages;
// - 'create' covers CREATE and CREATE2 (the events do not tell them apart): type "CREATE";
// - the native resource is recorded per transaction (the receipt), not per frame.
// The top-level frame follows geth: gas is the transaction's gas limit and gasUsed the receipt's;
// the frame's own figures are kept as frameGas / frameGasUsed.
import type { TxReceipt } from '../../../machine/bootloader/types.ts';
import { IoEventKind, type IoEvent } from '../../../machine/system/events.ts';
import { BOOTLOADER_FORMAL_ADDRESS } from '../../../machine/system/io.ts';
import { addr, data, qty, word } from '../rpc/encode.ts';

export interface CallLog {
  address: string;
  topics: string[];
  data: string;
  /** Index in the frame's calls at the time of the log (geth's withLog position). */
  position: string;
}

export interface CallFrame {
  type: 'CALL' | 'STATICCALL' | 'DELEGATECALL' | 'CALLCODE' | 'CREATE';
  from: string;
  to: string;
  value?: string;
  gas: string;
  gasUsed: string;
  input: string;
  output?: string;
  error?: string;
  revertReason?: string;
  calls?: CallFrame[];
  logs?: CallLog[];
}

export interface TxCallTrace extends CallFrame {
  /** The recorded gas given to this frame and used by it (the top frame's gas is the tx's). */
  frameGas: string;
  frameGasUsed: string;
  /** zksync: native resource the whole transaction used (not recorded per frame). */
  nativeUsed?: string;
  /**
   * Top-level frames of the transaction other than its execution (account validation, paymaster
   * calls), in order; empty for an externally owned account's transaction.
   */
  otherFrames: CallFrame[];
}

const TYPES: Record<string, CallFrame['type']> = { call: 'CALL', staticcall: 'STATICCALL', delegatecall: 'DELEGATECALL', callcode: 'CALLCODE', create: 'CREATE' };
const ERROR_SELECTOR = '08c379a0';
const PANIC_SELECTOR = '4e487b71';

interface Open {
  frame: CallFrame;
  /** The address whose storage the frame's code works on. */
  context: bigint;
  caller: bigint;
  callee: bigint;
  kind: string;
  gas: number;
}

/** The frames of one transaction's events, as trees (one per top-level frame). */
export function callTrees(events: readonly IoEvent[]): Array<{ frame: CallFrame; caller: bigint; callee: bigint; kind: string; gas: number; gasUsed: number }> {
  const roots: Array<{ frame: CallFrame; caller: bigint; callee: bigint; kind: string; gas: number; gasUsed: number }> = [];
  const stack: Open[] = [];
  const close = (status: number, gasLeft: number, output: Uint8Array | null): void => {
    const o = stack.pop()!;
    const f = o.frame;
    const used = o.gas - gasLeft;
    f.gasUsed = qty(used);
    if (output !== null && output.length > 0) f.output = data(output);
    if (status !== 1) {
      f.error = status === 2 ? 'execution reverted' : status === 4 || output === null ? 'out of native resource' : 'exceptional halt';
      const reason = output === null ? null : revertReason(output);
      if (reason !== null) f.revertReason = reason;
      // As geth: a failed frame's logs (and its children's) were rolled back.
      dropLogs(f);
    }
    if (stack.length === 0) roots.push({ frame: f, caller: o.caller, callee: o.callee, kind: o.kind, gas: o.gas, gasUsed: used });
  };
  for (const e of events) {
    if (e.kind === IoEventKind.FrameStart) {
      const parent = stack[stack.length - 1];
      const shares = e.callKind === 'delegatecall' || e.callKind === 'callcode';
      const frame: CallFrame = {
        type: TYPES[e.callKind] ?? 'CALL',
        from: addr(parent === undefined ? e.caller : parent.context),
        to: addr(e.callee),
        gas: qty(e.gas),
        gasUsed: '0x0',
        input: data(e.input),
      };
      if (e.callKind !== 'staticcall' && e.callKind !== 'delegatecall') frame.value = qty(e.value);
      if (parent !== undefined) (parent.frame.calls ??= []).push(frame);
      stack.push({ frame, context: shares ? (parent?.context ?? e.caller) : e.callee, caller: e.caller, callee: e.callee, kind: e.callKind, gas: e.gas });
    } else if (e.kind === IoEventKind.FrameEnd) {
      if (stack.length > 0) close(e.status, e.gasLeft, e.output);
    } else if (e.kind === IoEventKind.Log) {
      const top = stack[stack.length - 1];
      if (top !== undefined) {
        (top.frame.logs ??= []).push({ address: addr(e.address), topics: e.topics.map(word), data: data(e.data), position: qty(top.frame.calls?.length ?? 0) });
      }
    }
  }
  // Frames never closed: the transaction ran out of native and every frame was unwound at once.
  while (stack.length > 0) close(4, 0, null);
  return roots;
}

function dropLogs(f: CallFrame): void {
  delete f.logs;
  for (const c of f.calls ?? []) dropLogs(c);
}

/** Solidity's Error(string) message or Panic(uint256) code, if the output is one. */
export function revertReason(output: Uint8Array): string | null {
  const hex = Buffer.from(output).toString('hex');
  if (hex.startsWith(PANIC_SELECTOR) && hex.length === 8 + 64) return `panic: 0x${BigInt(`0x${hex.slice(8)}`).toString(16)}`;
  if (!hex.startsWith(ERROR_SELECTOR) || hex.length < 8 + 128) return null;
  const offset = Number(BigInt(`0x${hex.slice(8, 72)}`));
  const lenAt = 8 + offset * 2;
  if (offset !== 32 || hex.length < lenAt + 64) return null;
  const len = Number(BigInt(`0x${hex.slice(lenAt, lenAt + 64)}`));
  const body = hex.slice(lenAt + 64, lenAt + 64 + len * 2);
  if (body.length !== len * 2) return null;
  return Buffer.from(body, 'hex').toString('utf8');
}

/**
 * The transaction's trace: its execution frame (the top-level frame the sender's transaction
 * made — a call from the sender to `to`, its creation, or the bootloader's call into a contract
 * account) in geth's top-level form, the other top-level frames beside it.
 */
export function txCallTrace(events: readonly IoEvent[], receipt: TxReceipt, gasLimit: bigint): TxCallTrace {
  const roots = callTrees(events);
  const from = receipt.from;
  const isExecution = (r: (typeof roots)[number]): boolean =>
    (r.kind === 'create' && r.caller === from && receipt.to === null) ||
    (r.kind !== 'create' && r.caller === from && receipt.to !== null && r.callee === receipt.to) ||
    (r.caller === BOOTLOADER_FORMAL_ADDRESS && r.callee === from);
  let at = -1;
  for (let i = roots.length - 1; i >= 0; i--) if (isExecution(roots[i])) { at = i; break; }
  const top = at >= 0 ? roots[at] : null;
  const otherFrames = roots.filter((_, i) => i !== at).map((r) => r.frame);
  const frame: CallFrame = top?.frame ?? {
    // No frame ran for it (the transaction failed before its execution frame started).
    type: receipt.to === null ? 'CREATE' : 'CALL',
    from: addr(from),
    to: addr(receipt.to ?? receipt.created ?? 0n),
    gas: '0x0',
    gasUsed: '0x0',
    input: '0x',
    ...(receipt.success ? {} : { error: 'execution did not start' }),
  };
  // The frame succeeded but the transaction did not: zksync reverts it afterwards when the native
  // resource left cannot pay for its pubdata (machine/bootloader/zksync/common.ts settleExecution).
  const failedAfter = !receipt.success && frame.error === undefined ? { error: 'reverted after execution: the pubdata could not be paid for' } : {};
  return {
    ...frame,
    ...failedAfter,
    gas: qty(gasLimit),
    gasUsed: qty(receipt.gasUsed),
    frameGas: top === null ? '0x0' : qty(top.gas),
    frameGasUsed: top === null ? '0x0' : qty(top.gasUsed),
    ...(receipt.nativeUsed !== undefined ? { nativeUsed: qty(receipt.nativeUsed) } : {}),
    otherFrames,
  };
}
