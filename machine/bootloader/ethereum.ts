// The `ethereum` profile: Ethereum L1 (Cancun) transaction rules — intrinsic gas, up-front
// purchase of gas, EIP-3529 refunds, base fee burnt, priority fee to the coinbase, blob gas.
import { decodeEthereumTransaction } from '../tx/ethereum.ts';
import { intrinsicGas } from '../tx/intrinsic.ts';
import { TxDecodeError, TX_TYPE_EIP4844, type Transaction } from '../tx/types.ts';
import { staticValidityError } from '../tx/validity.ts';
import { bytesToBigInt } from '../common/bytes.ts';
import { CallModifier } from '../ee/types.ts';
import { createAddress } from '../ee/evm/calls.ts';
import { precompileHooks, PRECOMPILE_ADDRESSES, type HookTable } from '../hooks/table.ts';
import { splitGas, UNLIMITED_NATIVE } from '../system/resources.ts';
import type { PreparedTx, Profile, TxEnv } from './profile.ts';
import type { ExecutionOutcome } from './runner.ts';
import { InvalidTransaction, type TxReceipt } from './types.ts';
import { executedReceipt, gasUsedAfterRefund } from './receipt.ts';

export const GAS_PER_BLOB = 131072n;

interface EthTx {
  tx: Transaction;
  intrinsic: bigint;
  blobGas: bigint;
}

function reject(code: string, message: string): never {
  throw new InvalidTransaction(code, message);
}

export class EthereumProfile implements Profile {
  readonly name = 'ethereum' as const;
  readonly clearEmptyAccounts = true;
  readonly storageCollisions = true;
  private readonly hookTable = precompileHooks();

  hooks(): HookTable {
    return this.hookTable;
  }

  validate(env: TxEnv, raw: Uint8Array): PreparedTx {
    let tx: Transaction;
    try {
      tx = decodeEthereumTransaction(raw, env.rawHash);
    } catch (e) {
      if (e instanceof TxDecodeError) reject(e.code, e.message);
      throw e;
    }
    const block = env.block;
    const rule = staticValidityError(tx, block.chainId);
    if (rule !== null) reject(rule, `transaction breaks ${rule}`);
    if (tx.gasLimit > block.gasLimit - env.blockGasUsed) {
      reject('TX_GAS_LIMIT_EXCEEDS_BLOCK', `gas limit ${tx.gasLimit} exceeds the block's remaining ${block.gasLimit - env.blockGasUsed}`);
    }
    if (tx.maxFeePerGas < block.eip1559BaseFee) {
      reject('TX_FEE_CAP_BELOW_BASE_FEE', `max fee ${tx.maxFeePerGas} is below the base fee ${block.eip1559BaseFee}`);
    }
    const blobGas = tx.type === TX_TYPE_EIP4844 ? GAS_PER_BLOB * BigInt(tx.blobVersionedHashes.length) : 0n;
    if (tx.type === TX_TYPE_EIP4844 && tx.maxFeePerBlobGas < block.blobBaseFee) {
      reject('TX_BLOB_FEE_CAP_TOO_LOW', `max fee per blob gas ${tx.maxFeePerBlobGas} is below ${block.blobBaseFee}`);
    }
    const sender = env.sys.io.account(tx.from);
    const nonce = sender.props.nonce;
    if (tx.nonce < nonce) reject('TX_NONCE_TOO_LOW', `nonce ${tx.nonce} is below the account's ${nonce}`);
    if (tx.nonce > nonce) reject('TX_NONCE_TOO_HIGH', `nonce ${tx.nonce} is above the account's ${nonce}`);
    if (sender.props.bytecodeLen !== 0) reject('TX_SENDER_NOT_EOA', 'the sender has code (EIP-3607)');
    const maxCost = tx.gasLimit * tx.maxFeePerGas + tx.value + blobGas * tx.maxFeePerBlobGas;
    if (sender.props.balance < maxCost) reject('TX_INSUFFICIENT_FUNDS', `balance ${sender.props.balance} is below the maximum cost ${maxCost}`);
    const tip = tx.maxFeePerGas - block.eip1559BaseFee;
    const priority = tx.maxPriorityFeePerGas < tip ? tx.maxPriorityFeePerGas : tip;
    const data: EthTx = { tx, intrinsic: intrinsicGas(tx), blobGas };
    return { type: tx.type, hash: tx.hash, from: tx.from, to: tx.to, gasLimit: tx.gasLimit, effectiveGasPrice: block.eip1559BaseFee + priority, data };
  }

  execute(env: TxEnv, prepared: PreparedTx): ExecutionOutcome {
    const { tx, intrinsic, blobGas } = prepared.data as EthTx;
    const io = env.sys.io;
    const sender = io.account(tx.from);
    io.setBalance(sender, sender.props.balance - tx.gasLimit * prepared.effectiveGasPrice - blobGas * env.block.blobBaseFee);
    io.setNonce(sender, sender.props.nonce + 1n);
    // Everything warm from the start (EIP-2929, EIP-2930, EIP-3651); no frame has run yet.
    io.warmForTx(sender);
    io.warmForTx(io.account(env.block.coinbase));
    for (const p of PRECOMPILE_ADDRESSES) io.warmForTx(io.account(p));
    if (tx.to !== null) io.warmForTx(io.account(tx.to));
    for (const item of tx.accessList) {
      const a = io.account(item.address);
      io.warmForTx(a);
      for (const key of item.storageKeys) io.warmSlotForTx(io.slot(a, key));
    }
    env.sys.tx = { origin: tx.from, gasPrice: prepared.effectiveGasPrice, blobHashes: tx.blobVersionedHashes.map((h) => bytesToBigInt(h)) };
    const [ergs, reserve] = splitGas(tx.gasLimit - intrinsic);
    if (tx.to === null) {
      const address = createAddress(tx.from, tx.nonce);
      return env.runner.deploy({ deployer: tx.from, address, initcode: tx.data, value: tx.value, ergs, reserve, incrementNonce: false }, UNLIMITED_NATIVE);
    }
    return env.runner.call(
      {
        caller: tx.from,
        codeAddress: tx.to,
        contextAddress: tx.to,
        value: tx.value,
        transfersValue: true,
        input: tx.data,
        ergs,
        reserve,
        modifier: CallModifier.None,
        isStatic: false,
      },
      UNLIMITED_NATIVE,
    );
  }

  refund(env: TxEnv, prepared: PreparedTx, outcome: ExecutionOutcome): TxReceipt {
    const { tx } = prepared.data as EthTx;
    const io = env.sys.io;
    const gasUsed = gasUsedAfterRefund(tx.gasLimit, outcome.ergsLeft, outcome.reserveLeft, io.refund);
    const sender = io.account(tx.from);
    io.setBalance(sender, sender.props.balance + (tx.gasLimit - gasUsed) * prepared.effectiveGasPrice);
    const coinbase = io.account(env.block.coinbase);
    io.setBalance(coinbase, coinbase.props.balance + gasUsed * (prepared.effectiveGasPrice - env.block.eip1559BaseFee));
    io.touch(coinbase);
    return executedReceipt(env, prepared, outcome, gasUsed);
  }
}
