// L2 transactions (types 0x00, 0x01, 0x02, 0x71): validation, fee payment and execution
// (reference §2.6, §2.7). Everything validation does is undone if it rejects (block.ts snapshot).
import { MAX_U256, MAX_U64 } from '../../common/bytes.ts';
import { SECP256K1_N } from '../../crypto/index.ts';
import { createAddress } from '../../ee/evm/calls.ts';
import { MAX_INITCODE_SIZE } from '../../ee/evm/gas.ts';
import { CallModifier, FrameStatus } from '../../ee/types.ts';
import { ECRECOVER_GAS, ECRECOVER_NATIVE } from '../../hooks/precompiles/ecrecover.ts';
import { keccakNative } from '../../hooks/system/l1-messenger.ts';
import { calldataGas } from '../../tx/intrinsic.ts';
import { recoverZkSigner, splitZkSignature, zkTxHashes } from '../../tx/zksync/index.ts';
import { isZkDeployment, ZK_TX_TYPE_EIP712, type ZkTransaction } from '../../tx/zksync/types.ts';
import type { TxEnv } from '../profile.ts';
import type { ExecutionOutcome } from '../runner.ts';
import { accountCalldata, accountMethod, checkPaymasterReturn, eoaPrepareForPaymaster, selectorOf } from './aa.ts';
import { absorb, failedOutcome, settleExecution, warmUp, type ZkPrepared } from './common.ts';
import {
  ACCESS_LIST_ADDRESS_GAS,
  ACCESS_LIST_STORAGE_KEY_GAS,
  BOOTLOADER_FORMAL_ADDRESS,
  DEPLOYMENT_TX_EXTRA_INTRINSIC_GAS,
  EXECUTE_TRANSACTION_SELECTOR,
  L2_TX_INTRINSIC_GAS,
  L2_TX_INTRINSIC_NATIVE,
  L2_TX_INTRINSIC_PUBDATA,
  MAX_BLOCK_GAS_LIMIT,
  PAY_FOR_TRANSACTION_SELECTOR,
  PREPARE_FOR_PAYMASTER_SELECTOR,
  VALIDATE_AND_PAY_FOR_PAYMASTER_SELECTOR,
  VALIDATE_TRANSACTION_SELECTOR,
} from './constants.ts';
import { ceilDiv, reject, TxMeter } from './meter.ts';
import { txPubdata } from './pubdata.ts';

const HALF_N = SECP256K1_N / 2n;
const ZERO32 = new Uint8Array(32);

export function validateL2(env: TxEnv, tx: ZkTransaction, body: Uint8Array): ZkPrepared {
  const block = env.block;
  const io = env.sys.io;
  if (block.gasLimit > MAX_BLOCK_GAS_LIMIT) reject('BlockGasLimitTooHigh', `block gas limit ${block.gasLimit} exceeds ${MAX_BLOCK_GAS_LIMIT}`);
  if (tx.gasLimit > block.gasLimit) reject('CallerGasLimitMoreThanBlock', `gas limit ${tx.gasLimit} exceeds the block's ${block.gasLimit}`);
  if (tx.maxPriorityFeePerGas > tx.maxFeePerGas) reject('PriorityFeeGreaterThanMaxFee', `priority fee ${tx.maxPriorityFeePerGas} > max fee ${tx.maxFeePerGas}`);
  const baseFee = block.eip1559BaseFee;
  if (baseFee > tx.maxFeePerGas) reject('BaseFeeGreaterThanMaxFee', `base fee ${baseFee} > max fee ${tx.maxFeePerGas}`);
  const tip = tx.maxFeePerGas - baseFee;
  const gasPrice = baseFee + (tx.maxPriorityFeePerGas < tip ? tx.maxPriorityFeePerGas : tip);
  if (block.nativePrice === 0n) throw new Error('zksync block with native price 0');
  const nativePerGas = ceilDiv(gasPrice, block.nativePrice);
  const nativePerPubdata = block.gasPerPubdata * nativePerGas;

  const sender = io.account(tx.from);
  const hasCode = sender.props.bytecodeLen > 0 || sender.props.artifactsLen > 0;
  const model = tx.txType === ZK_TX_TYPE_EIP712 && hasCode ? 'contract' : 'eoa';
  let intrinsicGas = L2_TX_INTRINSIC_GAS + calldataGas(tx.data);
  if (isZkDeployment(tx)) {
    if (tx.data.length > MAX_INITCODE_SIZE) reject('CreateInitCodeSizeLimit', `initcode of ${tx.data.length} bytes exceeds ${MAX_INITCODE_SIZE}`);
    intrinsicGas += 2n * BigInt(Math.ceil(tx.data.length / 32));
  }
  const meter = TxMeter.derive({
    gasLimit: tx.gasLimit,
    nativePerGas,
    nativePerPubdata,
    intrinsicGas,
    intrinsicNative: L2_TX_INTRINSIC_NATIVE + BigInt(tx.data.length),
    intrinsicPubdata: L2_TX_INTRINSIC_PUBDATA,
  });
  if (typeof meter === 'string') reject(meter, `gas limit ${tx.gasLimit} cannot cover the intrinsic cost`);

  env.sys.tx = { origin: tx.from, gasPrice, blobHashes: [] };
  warmUp(env, tx.from, isZkDeployment(tx) ? null : tx.to);
  for (const item of tx.accessList ?? []) {
    const a = io.account(item.address);
    io.warmAccount(a);
    if (!meter.chargeGas(ACCESS_LIST_ADDRESS_GAS)) reject('OutOfGasDuringValidation', 'out of gas on the access list');
    for (const key of item.storageKeys) {
      io.warmSlot(io.slot(a, key));
      if (!meter.chargeGas(ACCESS_LIST_STORAGE_KEY_GAS)) reject('OutOfGasDuringValidation', 'out of gas on the access list');
    }
  }
  const { txHash, signedHash } = zkTxHashes(tx, block.chainId, body);
  if (!meter.chargeNative(2 * keccakNative(body.length))) reject('OutOfNativeResourcesDuringValidation', 'out of native hashing the transaction');

  const p: ZkPrepared = {
    tx, body, txHash, signedHash: signedHash ?? ZERO32, model, gasPrice, meter,
    payer: tx.paymaster !== 0n ? tx.paymaster : tx.from,
    nonceBefore: sender.props.nonce, pubdataAtValidation: 0, l2LogsStart: io.l2ToL1Logs.length, outcome: null,
  };
  // Only 0x71 carries a user limit. The reference applies an implied limit of 1 to types 0/1/2 and
  // so rejects them all once the block's price exceeds 1 (§11 item 17); zkos does not copy that:
  // an Ethereum transaction pays the block's price, bounded by its gas limit.
  if (tx.txType === ZK_TX_TYPE_EIP712 && tx.gasPerPubdataLimit < block.gasPerPubdata) {
    reject('GasPerPubdataTooHigh', `gas per pubdata limit ${tx.gasPerPubdataLimit} < block's ${block.gasPerPubdata}`);
  }
  if (tx.nonce > MAX_U64) reject('NonceOverflowInTransaction', `nonce ${tx.nonce} does not fit u64`);
  if (model === 'eoa') validateEoa(env, p);
  else validateContract(env, p);
  pay(env, p);
  const pubdata = txPubdata(io);
  if (!meter.chargeNative(nativePerPubdata * BigInt(pubdata))) reject('OutOfNativeResourcesDuringValidation', `out of native paying ${pubdata} bytes of pubdata`);
  p.pubdataAtValidation = pubdata;
  return p;
}

/** The EOA account model (`account_models/eoa.rs`): nonce, EIP-3607, funds, signature. */
function validateEoa(env: TxEnv, p: ZkPrepared): void {
  const { tx, meter } = p;
  const io = env.sys.io;
  const sender = io.account(tx.from);
  const nonce = sender.props.nonce;
  if (tx.nonce > nonce) reject('NonceTooHigh', `nonce ${tx.nonce} is above the account's ${nonce}`);
  if (tx.nonce < nonce) reject('NonceTooLow', `nonce ${tx.nonce} is below the account's ${nonce}`);
  if (nonce === MAX_U64) reject('NonceOverflowInTransaction', 'the account nonce cannot be incremented');
  if (sender.props.bytecodeLen > 0) reject('RejectCallerWithCode', 'the sender has code (EIP-3607)');
  const fee = tx.maxFeePerGas * tx.gasLimit;
  const need = tx.paymaster !== 0n ? tx.value : tx.value + fee;
  if (need > MAX_U256) reject('OverflowPaymentInTransaction', 'value + max fee overflows 256 bits');
  if (sender.props.balance < need) reject('LackOfFundForMaxFee', `balance ${sender.props.balance} < ${need} (fee ${fee}, value ${tx.value})`);
  if (splitZkSignature(tx.signature).s > HALF_N) reject('MalleableSignature', 'signature s is above n/2');
  if (!meter.chargeGas(ECRECOVER_GAS)) reject('OutOfGasDuringValidation', 'out of gas verifying the signature');
  if (!meter.chargeNative(ECRECOVER_NATIVE)) reject('OutOfNativeResourcesDuringValidation', 'out of native verifying the signature');
  const r = recoverZkSigner(tx, env.block.chainId, p.signedHash);
  if (!r.ok || r.signer !== tx.from) reject('IncorrectFrom', r.ok ? `signed by 0x${r.signer.toString(16)}` : `no signer recovers (${r.code})`);
  io.setNonce(sender, nonce + 1n);
}

/**
 * The contract account model: validateTransaction must return its own selector. The reference's
 * nonce holder is disabled, so here the bootloader bumps the nonce to tx.nonce + 1 after a
 * successful validation (tx.nonce below the account's nonce is NonceUsedAlready).
 */
function validateContract(env: TxEnv, p: ZkPrepared): void {
  const { tx } = p;
  const io = env.sys.io;
  const sender = io.account(tx.from);
  if (tx.nonce < sender.props.nonce) reject('NonceUsedAlready', `nonce ${tx.nonce} is below the account's ${sender.props.nonce}`);
  const out = accountMethod(env, p, tx.from, VALIDATE_TRANSACTION_SELECTOR, 'validateTransaction');
  if (out.length !== 32 || selectorOf(out) !== VALIDATE_TRANSACTION_SELECTOR) {
    reject('InvalidMagic', `validateTransaction returned ${out.length} bytes without the magic`);
  }
  if (sender.props.nonce <= tx.nonce) io.setNonce(sender, tx.nonce + 1n);
}

/**
 * ensure_payment: the payer moves at least gas_price × gas_limit to 0x8001 (the EOA pays it
 * directly; a contract in payForTransaction; a paymaster in validateAndPayForPaymasterTransaction);
 * anything beyond goes back.
 */
function pay(env: TxEnv, p: ZkPrepared): void {
  const { tx } = p;
  const io = env.sys.io;
  const boot = io.account(BOOTLOADER_FORMAL_ADDRESS);
  const before = boot.props.balance;
  const required = p.gasPrice * tx.gasLimit;
  if (tx.paymaster !== 0n) {
    if (p.model === 'contract') accountMethod(env, p, tx.from, PREPARE_FOR_PAYMASTER_SELECTOR, 'prepareForPaymaster');
    else eoaPrepareForPaymaster(env, p);
    checkPaymasterReturn(accountMethod(env, p, tx.paymaster, VALIDATE_AND_PAY_FOR_PAYMASTER_SELECTOR, 'validateAndPayForPaymasterTransaction'));
  } else if (p.model === 'contract') {
    accountMethod(env, p, tx.from, PAY_FOR_TRANSACTION_SELECTOR, 'payForTransaction');
  } else {
    io.transfer(io.account(tx.from), boot, required);
  }
  const received = boot.props.balance - before;
  if (received < required) reject('ReceivedInsufficientFees', `received ${received}, required ${required}`);
  if (received > required) io.transfer(boot, io.account(p.payer), received - required);
}

export function executeL2(env: TxEnv, p: ZkPrepared): ExecutionOutcome {
  const { tx, meter } = p;
  const io = env.sys.io;
  const snapshot = io.snapshot();
  let o: ExecutionOutcome;
  if (p.model === 'contract') {
    o = env.runner.call(
      {
        caller: BOOTLOADER_FORMAL_ADDRESS, codeAddress: tx.from, contextAddress: tx.from, value: 0n, transfersValue: true,
        input: accountCalldata(EXECUTE_TRANSACTION_SELECTOR, p), ergs: meter.ergs, reserve: meter.reserve, modifier: CallModifier.None, isStatic: false,
      },
      meter.native,
    );
  } else if (isZkDeployment(tx)) {
    if (!meter.chargeGas(DEPLOYMENT_TX_EXTRA_INTRINSIC_GAS)) return settleExecution(env, p, failedOutcome(FrameStatus.Error), snapshot);
    const address = createAddress(tx.from, p.nonceBefore);
    o = env.runner.deploy(
      { deployer: tx.from, address, initcode: tx.data, value: tx.value, ergs: meter.ergs, reserve: meter.reserve, incrementNonce: false },
      meter.native,
    );
  } else {
    o = env.runner.call(
      {
        caller: tx.from, codeAddress: tx.to, contextAddress: tx.to, value: tx.value, transfersValue: true,
        input: tx.data, ergs: meter.ergs, reserve: meter.reserve, modifier: CallModifier.None, isStatic: false,
      },
      meter.native,
    );
  }
  absorb(meter, o);
  return settleExecution(env, p, o, snapshot);
}
