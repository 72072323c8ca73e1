// Building zksync blocks for tests and tools: every transaction becomes the ABI-encoded body the
// oracle serves (reference §2.3), through the conversions of machine/tx/zksync.
import { encodeZkTransaction } from '../../tx/zksync/codec.ts';
import { fromL1Transaction, fromUpgradeTransaction, fromUserEnvelope, type L1TransactionInput } from '../../tx/zksync/convert.ts';
import type { ZkTransaction } from '../../tx/zksync/types.ts';

export type ZkBlockTx =
  /** A signed user envelope: legacy, EIP-2930, EIP-1559 or EIP-712 (0x71). */
  | { envelope: Uint8Array }
  /** An L1→L2 priority transaction. */
  | { l1: L1TransactionInput }
  | { upgrade: L1TransactionInput }
  /** A transaction object (encoded as is, after the structural checks). */
  | { zk: ZkTransaction }
  /** Raw body bytes (served as given, e.g. to test malformed encodings). */
  | { body: Uint8Array };

export function zkTxBody(item: ZkBlockTx, chainId: bigint): Uint8Array {
  if ('envelope' in item) return encodeZkTransaction(fromUserEnvelope(item.envelope, chainId));
  if ('l1' in item) return encodeZkTransaction(fromL1Transaction(item.l1));
  if ('upgrade' in item) return encodeZkTransaction(fromUpgradeTransaction(item.upgrade));
  if ('zk' in item) return encodeZkTransaction(item.zk);
  return item.body;
}

export function zkBlockBodies(items: readonly ZkBlockTx[], chainId: bigint): Uint8Array[] {
  return items.map((i) => zkTxBody(i, chainId));
}
