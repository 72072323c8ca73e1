// What every profile settles the same way: gas used after the EIP-3529 refund, and the receipt.
import { FrameStatus } from '../ee/types.ts';
import { REFUND_QUOTIENT } from '../ee/evm/gas.ts';
import { ERGS_PER_GAS } from '../system/resources.ts';
import type { TxEnv } from './profile.ts';
import type { ExecutionOutcome } from './runner.ts';
import type { TxReceipt } from './types.ts';

/** Gas used: the limit less what is left, less the refund counter capped at a fifth (EIP-3529). */
export function gasUsedAfterRefund(gasLimit: bigint, ergsLeft: number, reserveLeft: bigint, refundCounter: number): bigint {
  let used = gasLimit - BigInt(Math.floor(ergsLeft / ERGS_PER_GAS)) - reserveLeft;
  const cap = used / BigInt(REFUND_QUOTIENT);
  const counter = BigInt(Math.max(refundCounter, 0));
  used -= counter < cap ? counter : cap;
  return used;
}

export interface ReceiptBasis {
  hash: Uint8Array;
  type: number;
  from: bigint;
  to: bigint | null;
  effectiveGasPrice: bigint;
}

export function executedReceipt(env: TxEnv, tx: ReceiptBasis, o: ExecutionOutcome, gasUsed: bigint): TxReceipt {
  const success = o.status === FrameStatus.Success;
  return {
    index: env.index,
    hash: tx.hash,
    type: tx.type,
    from: tx.from,
    to: tx.to,
    success,
    gasUsed,
    cumulativeGasUsed: env.blockGasUsed + gasUsed,
    effectiveGasPrice: tx.effectiveGasPrice,
    logs: env.sys.io.logs,
    output: o.output,
    created: success ? o.created : null,
    outOfNative: o.status === FrameStatus.OutOfNative,
  };
}
