// L1→L2 priority transactions (0xFF) and upgrade transactions (0xFE) (reference §2.9): no
// signature and no nonce; the deposit (reserved[0]) pays for everything: `value` is minted to the
// sender inside the execution frame, the fee is minted to 0x8001, the rest to the refund
// recipient (reserved[1]); an L2→L1 log records (tx hash, success). An upgrade transaction must
// come first and must succeed: it runs during validation so that a failure rejects it.
import { CallModifier, FrameStatus } from '../../ee/types.ts';
import { keccakNative } from '../../hooks/system/l1-messenger.ts';
import { calldataGas } from '../../tx/intrinsic.ts';
import { abiTupleHash } from '../../tx/zksync/hash.ts';
import { ZK_TX_TYPE_UPGRADE, type ZkTransaction } from '../../tx/zksync/types.ts';
import type { TxEnv } from '../profile.ts';
import type { ExecutionOutcome } from '../runner.ts';
import { absorb, failedOutcome, settleExecution, warmUp, type ZkPrepared } from './common.ts';
import {
  L1_TX_INTRINSIC_GAS,
  L1_TX_INTRINSIC_NATIVE,
  L1_TX_INTRINSIC_PUBDATA,
  L1_TX_NATIVE_PRICE,
  UPGRADE_TX_NATIVE_PER_GAS,
} from './constants.ts';
import { ceilDiv, reject, TxMeter, type MeterParams } from './meter.ts';

const ZERO32 = new Uint8Array(32);

/** The deposit does not cover value + fee: L1 cannot send this, so the block is not valid. */
export class L1DepositError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'L1DepositError';
  }
}

export function validateL1(env: TxEnv, tx: ZkTransaction, body: Uint8Array): ZkPrepared {
  const upgrade = tx.txType === ZK_TX_TYPE_UPGRADE;
  if (upgrade && env.index !== 0) reject('UpgradeTxNotFirst', `upgrade transaction at index ${env.index}`);
  const gasPrice = tx.maxFeePerGas;
  const deposit = tx.reserved[0];
  if (deposit < tx.value + gasPrice * tx.gasLimit) {
    throw new L1DepositError(`deposit ${deposit} < value ${tx.value} + fee ${gasPrice * tx.gasLimit}`);
  }
  const nativePerGas = upgrade ? UPGRADE_TX_NATIVE_PER_GAS : ceilDiv(gasPrice, L1_TX_NATIVE_PRICE);
  const params: MeterParams = {
    gasLimit: tx.gasLimit,
    nativePerGas,
    nativePerPubdata: tx.gasPerPubdataLimit * nativePerGas,
    intrinsicGas: L1_TX_INTRINSIC_GAS + calldataGas(tx.data),
    intrinsicNative: L1_TX_INTRINSIC_NATIVE + BigInt(tx.data.length),
    intrinsicPubdata: L1_TX_INTRINSIC_PUBDATA,
  };
  const derived = TxMeter.derive(params);
  // A priority transaction is always processed: one that cannot pay its intrinsic cost fails.
  const meter = typeof derived === 'string' ? TxMeter.exhausted(params) : derived;
  const io = env.sys.io;
  const p: ZkPrepared = {
    tx, body, txHash: abiTupleHash(body), signedHash: ZERO32, model: upgrade ? 'upgrade' : 'l1', gasPrice, meter,
    payer: tx.reserved[1], nonceBefore: io.account(tx.from).props.nonce, pubdataAtValidation: 0,
    l2LogsStart: io.l2ToL1Logs.length, outcome: null,
  };
  if (typeof derived === 'string' || !meter.chargeNative(keccakNative(body.length))) {
    meter.exhaust();
    p.outcome = failedOutcome(FrameStatus.Revert);
  }
  env.sys.tx = { origin: tx.from, gasPrice, blobHashes: [] };
  warmUp(env, tx.from, tx.to);
  if (upgrade) {
    p.outcome ??= run(env, p);
    if (p.outcome.status !== FrameStatus.Success) reject('UpgradeTxFailed', `the upgrade transaction failed (status ${p.outcome.status})`);
  }
  return p;
}

export function executeL1(env: TxEnv, p: ZkPrepared): ExecutionOutcome {
  return p.outcome ?? run(env, p);
}

/** Inner frame: mint `value` to the sender, call `to` from it; rolled back on failure. */
function run(env: TxEnv, p: ZkPrepared): ExecutionOutcome {
  const { tx, meter } = p;
  const io = env.sys.io;
  const snapshot = io.snapshot();
  const sender = io.account(tx.from);
  io.setBalance(sender, sender.props.balance + tx.value);
  const o = env.runner.call(
    {
      caller: tx.from, codeAddress: tx.to, contextAddress: tx.to, value: tx.value, transfersValue: true,
      input: tx.data, ergs: meter.ergs, reserve: meter.reserve, modifier: CallModifier.None, isStatic: false,
    },
    meter.native,
  );
  absorb(meter, o);
  return settleExecution(env, p, o, snapshot);
}
