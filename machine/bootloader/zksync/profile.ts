// The `zksync` profile (design.md "Two chain profiles"): ZKsync OS transaction rules on the same
// machine. The oracle hands the bootloader ABI-encoded ZkTransaction bodies (reference §2.3).
//   validate  decode, then L2 (§2.6: fees, signature or account abstraction, paymasters) or
//             L1/upgrade (§2.9); a rejection leaves no trace (block.ts rolls validation back)
//   execute   the transaction's frame with its ergs and native (§7)
//   refund    pubdata, gas used (§2.8), unused fee back, fees to the operator, receipts
import { blockPubdata } from './pubdata.ts';
import { zksyncHooks } from '../../hooks/system/index.ts';
import type { HookTable } from '../../hooks/table.ts';
import { decodeZkTransaction } from '../../tx/zksync/codec.ts';
import { isL1OrUpgradeType, isZkDeployment, ZkTxDecodeError, type ZkTransaction } from '../../tx/zksync/types.ts';
import type { BlockFinalization, PreparedTx, Profile, TxEnv } from '../profile.ts';
import type { ExecutionOutcome } from '../runner.ts';
import type { BlockOutput, TxReceipt } from '../types.ts';
import type { ZkPrepared } from './common.ts';
import { zksyncBlockOutputs } from './header.ts';
import { executeL1, validateL1 } from './l1.ts';
import { executeL2, validateL2 } from './l2.ts';
import { reject } from './meter.ts';
import { refundL1, refundL2 } from './settle.ts';

export class ZksyncProfile implements Profile {
  readonly name = 'zksync' as const;
  /** ZKsync OS does not delete touched empty accounts. */
  readonly clearEmptyAccounts = false;
  readonly storageCollisions = false;
  private readonly hookTable = zksyncHooks();

  hooks(): HookTable {
    return this.hookTable;
  }

  validate(env: TxEnv, raw: Uint8Array): PreparedTx {
    let tx: ZkTransaction;
    try {
      tx = decodeZkTransaction(raw);
    } catch (e) {
      if (e instanceof ZkTxDecodeError) reject('InvalidEncoding', e.message);
      throw e;
    }
    const p = isL1OrUpgradeType(tx.txType) ? validateL1(env, tx, raw) : validateL2(env, tx, raw);
    return {
      type: tx.txType,
      hash: p.txHash,
      from: tx.from,
      to: isZkDeployment(tx) ? null : tx.to,
      gasLimit: tx.gasLimit,
      effectiveGasPrice: p.gasPrice,
      data: p,
    };
  }

  execute(env: TxEnv, prepared: PreparedTx): ExecutionOutcome {
    const p = prepared.data as ZkPrepared;
    return isL1OrUpgradeType(p.tx.txType) ? executeL1(env, p) : executeL2(env, p);
  }

  refund(env: TxEnv, prepared: PreparedTx, outcome: ExecutionOutcome): TxReceipt {
    const p = prepared.data as ZkPrepared;
    return isL1OrUpgradeType(p.tx.txType) ? refundL1(env, p, outcome) : refundL2(env, p, outcome);
  }

  finalize(f: BlockFinalization): Partial<BlockOutput> {
    const out = zksyncBlockOutputs(f);
    out.pubdata = blockPubdata(f.io, out.blockHash!, out.l2ToL1Logs ?? [], out.l2ToL1Messages ?? []);
    return out;
  }
}
