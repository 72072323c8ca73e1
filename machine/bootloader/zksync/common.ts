// What L2 and L1 transaction processing share: the prepared transaction, warming, runner calls
// charged to the transaction's meter, the post-execution pubdata check (§2.6 step 14).
import { EMPTY_BYTES } from '../../common/bytes.ts';
import { CallModifier, FrameStatus } from '../../ee/types.ts';
import { PRECOMPILE_ADDRESSES } from '../../hooks/table.ts';
import type { ZkTransaction } from '../../tx/zksync/types.ts';
import type { TxEnv } from '../profile.ts';
import type { ExecutionOutcome } from '../runner.ts';
import type { TxMeter } from './meter.ts';
import { txPubdata } from './pubdata.ts';

export type AccountModel = 'eoa' | 'contract' | 'l1' | 'upgrade';

/** A transaction that passed validation: PreparedTx.data in the zksync profile. */
export interface ZkPrepared {
  tx: ZkTransaction;
  body: Uint8Array;
  txHash: Uint8Array;
  /** What the sender signed (zero for L1 and upgrade transactions). */
  signedHash: Uint8Array;
  model: AccountModel;
  gasPrice: bigint;
  meter: TxMeter;
  /** Who gets the unused fee back: the sender, or the paymaster. */
  payer: bigint;
  /** The sender's nonce before validation (the CREATE nonce of a deployment). */
  nonceBefore: bigint;
  /** Pubdata already paid for during validation. */
  pubdataAtValidation: number;
  /** Where this transaction's L2→L1 logs start in the block's list. */
  l2LogsStart: number;
  /** Set when the outcome is already known (upgrade transactions run during validation). */
  outcome: ExecutionOutcome | null;
}

export function failedOutcome(status: FrameStatus): ExecutionOutcome {
  return { status, output: EMPTY_BYTES, ergsLeft: 0, reserveLeft: 0n, native: 0, created: null };
}

/** EIP-2929 warm set at the start: sender, recipient, coinbase (EIP-3651), precompiles. */
export function warmUp(env: TxEnv, from: bigint, to: bigint | null): void {
  const io = env.sys.io;
  io.warmAccount(io.account(from));
  if (to !== null) io.warmAccount(io.account(to));
  io.warmAccount(io.account(env.block.coinbase));
  for (const p of PRECOMPILE_ADDRESSES) io.warmAccount(io.account(p));
}

/** Records what a runner call left in the meter. */
export function absorb(meter: TxMeter, o: ExecutionOutcome): void {
  if (o.status === FrameStatus.OutOfNative) {
    meter.ergs = 0;
    meter.reserve = 0n;
    meter.native = 0;
  } else {
    meter.ergs = o.ergsLeft;
    meter.reserve = o.reserveLeft;
    meter.native = o.native;
  }
}

/** A plain call paid from the meter (NoModifier, all ergs and native passed). */
export function meteredCall(env: TxEnv, meter: TxMeter, caller: bigint, target: bigint, input: Uint8Array, value = 0n, isStatic = false): ExecutionOutcome {
  const o = env.runner.call(
    {
      caller,
      codeAddress: target,
      contextAddress: target,
      value,
      transfersValue: !isStatic,
      input,
      ergs: meter.ergs,
      reserve: meter.reserve,
      modifier: isStatic ? CallModifier.Static : CallModifier.None,
      isStatic,
    },
    meter.native,
  );
  absorb(meter, o);
  return o;
}

/**
 * After the execution frame: a failure is rolled back to `snapshot`; running out of native
 * consumes everything; a success whose pubdata the remaining native cannot cover becomes a revert.
 */
export function settleExecution(env: TxEnv, p: ZkPrepared, o: ExecutionOutcome, snapshot: number): ExecutionOutcome {
  const io = env.sys.io;
  const m = p.meter;
  if (o.status === FrameStatus.OutOfNative) {
    io.rollback(snapshot);
    m.exhaust();
    return failedOutcome(FrameStatus.OutOfNative);
  }
  if (o.status !== FrameStatus.Success) {
    io.rollback(snapshot);
    return o;
  }
  const pubdata = Math.max(txPubdata(io) - p.pubdataAtValidation, 0);
  if (!m.covers(m.nativePerPubdata * BigInt(pubdata))) {
    io.rollback(snapshot);
    return { status: FrameStatus.Revert, output: EMPTY_BYTES, ergsLeft: m.ergs, reserveLeft: m.reserve, native: m.native, created: null };
  }
  return o;
}
