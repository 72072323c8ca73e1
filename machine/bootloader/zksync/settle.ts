// The refund phase (reference §2.8, §2.9): pay the pubdata still owed, compute gas used, return
// the unused fee, and move everything 0x8001 holds to the operator (the block's coinbase).
import { executedReceipt } from '../receipt.ts';
import { FrameStatus } from '../../ee/types.ts';
import { isZkDeployment } from '../../tx/zksync/types.ts';
import type { TxEnv } from '../profile.ts';
import type { ExecutionOutcome } from '../runner.ts';
import type { TxReceipt } from '../types.ts';
import type { ZkPrepared } from './common.ts';
import { BOOTLOADER_FORMAL_ADDRESS } from './constants.ts';
import { txPubdata } from './pubdata.ts';

function chargeOutstandingPubdata(env: TxEnv, p: ZkPrepared): number {
  const m = p.meter;
  m.reclaimWithheld();
  const pubdata = txPubdata(env.sys.io);
  m.chargeNative(m.nativePerPubdata * BigInt(Math.max(pubdata - p.pubdataAtValidation, 0)));
  return pubdata;
}

/** Sweeps 0x8001 into the coinbase: the operator collects the fees (base fee included). */
function payOperator(env: TxEnv): void {
  const io = env.sys.io;
  const boot = io.account(BOOTLOADER_FORMAL_ADDRESS);
  if (boot.props.balance > 0n) io.transfer(boot, io.account(env.block.coinbase), boot.props.balance);
}

function receipt(env: TxEnv, p: ZkPrepared, o: ExecutionOutcome, gasUsed: bigint, pubdata: number): TxReceipt {
  const basis = { hash: p.txHash, type: p.tx.txType, from: p.tx.from, to: isZkDeployment(p.tx) ? null : p.tx.to, effectiveGasPrice: p.gasPrice };
  return {
    ...executedReceipt(env, basis, o, gasUsed),
    l2ToL1Logs: env.sys.io.l2ToL1Logs.slice(p.l2LogsStart),
    nativeUsed: p.meter.nativeUsed(),
    pubdataUsed: pubdata,
  };
}

export function refundL2(env: TxEnv, p: ZkPrepared, o: ExecutionOutcome): TxReceipt {
  const io = env.sys.io;
  const pubdata = chargeOutstandingPubdata(env, p);
  const gasUsed = p.meter.gasUsed(io.refund);
  const refund = (p.tx.gasLimit - gasUsed) * p.gasPrice;
  if (refund > 0n) io.transfer(io.account(BOOTLOADER_FORMAL_ADDRESS), io.account(p.payer), refund);
  payOperator(env);
  return receipt(env, p, o, gasUsed, pubdata);
}

export function refundL1(env: TxEnv, p: ZkPrepared, o: ExecutionOutcome): TxReceipt {
  const io = env.sys.io;
  const tx = p.tx;
  const pubdata = chargeOutstandingPubdata(env, p);
  const gasUsed = p.meter.gasUsed(io.refund);
  const success = o.status === FrameStatus.Success;
  const fee = gasUsed * p.gasPrice;
  const boot = io.account(BOOTLOADER_FORMAL_ADDRESS);
  io.setBalance(boot, boot.props.balance + fee);
  const back = tx.reserved[0] - fee - (success ? tx.value : 0n);
  if (back > 0n) {
    const r = io.account(p.payer);
    io.setBalance(r, r.props.balance + back);
  }
  io.logL1TxResult(p.txHash, success);
  payOperator(env);
  return receipt(env, p, o, gasUsed, pubdata);
}
