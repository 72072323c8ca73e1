// Transactions, receipts and logs in the shapes of Ethereum JSON-RPC (eth_getTransactionByHash,
// eth_getTransactionReceipt, eth_getLogs), with the field names and encodings existing tooling
// reads, plus the zksync fields under their ZKsync Era names (l2ToL1Logs, …) where they exist.
import type { TxReceipt } from '../../../machine/bootloader/types.ts';
import { decodeEthereumTransaction } from '../../../machine/tx/ethereum.ts';
import { decodeZkTransaction } from '../../../machine/tx/zksync/codec.ts';
import { splitZkSignature } from '../../../machine/tx/zksync/hash.ts';
import { isL1OrUpgradeType, ZK_TX_TYPE_EIP712, ZK_TX_TYPE_LEGACY } from '../../../machine/tx/zksync/types.ts';
import type { StoredLog, StoredTransaction } from '../../../storage/records.ts';
import { logsBloom } from './bloom.ts';
import { addr, data, qty, word } from './encode.ts';

/** Where a transaction sits: its block's number and hash. */
export interface BlockPlace {
  number: number;
  hash: string | null;
}

export interface RpcLog {
  address: string;
  topics: string[];
  data: string;
  blockNumber: string;
  blockHash: string | null;
  transactionHash: string | null;
  transactionIndex: string;
  logIndex: string;
  removed: false;
}

export function rpcLog(l: StoredLog, place: BlockPlace, txHash: string | null): RpcLog {
  return {
    address: addr(l.address),
    topics: l.topics.map(word),
    data: data(l.data),
    blockNumber: qty(place.number),
    blockHash: place.hash,
    transactionHash: txHash,
    transactionIndex: qty(l.txIndex),
    logIndex: qty(l.logIndex),
    removed: false,
  };
}

export interface RpcL2ToL1Log {
  txNumberInBlock: string;
  sender: string;
  key: string;
  value: string;
}

export interface RpcReceipt {
  transactionHash: string;
  transactionIndex: string;
  blockHash: string | null;
  blockNumber: string;
  from: string;
  to: string | null;
  cumulativeGasUsed: string;
  gasUsed: string;
  effectiveGasPrice: string;
  contractAddress: string | null;
  logs: RpcLog[];
  logsBloom: string;
  type: string;
  /** 0x1 success, 0x0 reverted. */
  status: string;
  /** The return data (a revert's reason bytes), which Ethereum receipts do not carry. */
  output: string;
  /** zksync: the transaction ran out of the native resource (it reverted whatever its gas). */
  outOfNative: boolean;
  /** zksync only (absent in the ethereum profile). */
  nativeUsed?: string;
  pubdataUsed?: string;
  l2ToL1Logs?: RpcL2ToL1Log[];
}

export function rpcReceipt(r: TxReceipt, place: BlockPlace, blockLogs: readonly StoredLog[]): RpcReceipt {
  const hash = data(r.hash);
  const own = blockLogs.filter((l) => l.txIndex === r.index);
  const out: RpcReceipt = {
    transactionHash: hash,
    transactionIndex: qty(r.index),
    blockHash: place.hash,
    blockNumber: qty(place.number),
    from: addr(r.from),
    to: r.to === null ? null : addr(r.to),
    cumulativeGasUsed: qty(r.cumulativeGasUsed),
    gasUsed: qty(r.gasUsed),
    effectiveGasPrice: qty(r.effectiveGasPrice),
    contractAddress: r.created === null ? null : addr(r.created),
    logs: own.map((l) => rpcLog(l, place, hash)),
    logsBloom: data(logsBloom(r.logs)),
    type: qty(r.type),
    status: r.success ? '0x1' : '0x0',
    output: data(r.output),
    outOfNative: r.outOfNative,
  };
  if (r.nativeUsed !== undefined) out.nativeUsed = qty(r.nativeUsed);
  if (r.pubdataUsed !== undefined) out.pubdataUsed = qty(r.pubdataUsed);
  if (r.l2ToL1Logs !== undefined) {
    out.l2ToL1Logs = r.l2ToL1Logs.map((l) => ({ txNumberInBlock: qty(l.txNumber), sender: addr(l.sender), key: data(l.key), value: data(l.value) }));
  }
  return out;
}

export interface RpcTransaction {
  /** null for a rejected transaction (it has no receipt and was never given a hash). */
  hash: string | null;
  blockHash: string | null;
  blockNumber: string;
  transactionIndex: string;
  type: string;
  from: string | null;
  to: string | null;
  nonce: string | null;
  gas: string | null;
  gasPrice: string | null;
  maxFeePerGas: string | null;
  maxPriorityFeePerGas: string | null;
  value: string | null;
  input: string | null;
  chainId: string | null;
  v: string | null;
  r: string | null;
  s: string | null;
  /** zksync: the transaction body the machine read (ABI-encoded), or the envelope (ethereum). */
  raw: string;
  /** 'success' | 'reverted' | 'rejected' */
  status: 'success' | 'reverted' | 'rejected';
  /** For a rejected transaction: its named validation error and message. */
  rejection?: { error: string; message: string };
  /** zksync fields the Ethereum shape has no place for. */
  gasPerPubdataLimit?: string;
  paymaster?: string;
  paymasterInput?: string;
  factoryDeps?: string[];
  /** L1→L2 / upgrade: the total deposit minted to the sender and where the refund goes. */
  toMint?: string;
  refundRecipient?: string;
}

/** A stored transaction in the eth_getTransactionByHash shape, decoded as its block's profile reads it. */
export function rpcTransaction(t: StoredTransaction, place: BlockPlace, profile: string, chainId: bigint): RpcTransaction {
  const base = {
    blockHash: place.hash,
    blockNumber: qty(place.number),
    transactionIndex: qty(t.index),
    raw: data(t.raw),
    status: t.result.kind === 'rejected' ? ('rejected' as const) : t.result.receipt.success ? ('success' as const) : ('reverted' as const),
    ...(t.result.kind === 'rejected' ? { rejection: { error: t.result.rejection.error, message: t.result.rejection.message } } : {}),
  };
  const hash = t.result.kind === 'executed' ? data(t.result.receipt.hash) : null;
  const unknown = { hash, type: t.result.kind === 'executed' ? qty(t.result.receipt.type) : '0x0', from: null, to: null, nonce: null, gas: null, gasPrice: null, maxFeePerGas: null, maxPriorityFeePerGas: null, value: null, input: null, chainId: null, v: null, r: null, s: null };
  try {
    if (profile === 'ethereum') {
      const tx = decodeEthereumTransaction(t.raw);
      return {
        ...base,
        hash: data(tx.hash),
        type: qty(tx.type),
        from: addr(tx.from),
        to: tx.to === null ? null : addr(tx.to),
        nonce: qty(tx.nonce),
        gas: qty(tx.gasLimit),
        gasPrice: qty(t.result.kind === 'executed' ? t.result.receipt.effectiveGasPrice : tx.maxFeePerGas),
        maxFeePerGas: tx.type >= 2 ? qty(tx.maxFeePerGas) : null,
        maxPriorityFeePerGas: tx.type >= 2 ? qty(tx.maxPriorityFeePerGas) : null,
        value: qty(tx.value),
        input: data(tx.data),
        chainId: tx.chainId === null ? null : qty(tx.chainId),
        v: qty(tx.v),
        r: qty(tx.r),
        s: qty(tx.s),
      };
    }
    const tx = decodeZkTransaction(t.raw);
    const l1 = isL1OrUpgradeType(tx.txType);
    const sig = splitZkSignature(tx.signature);
    const creates = !l1 && tx.reserved[1] !== 0n;
    return {
      ...base,
      hash,
      type: qty(tx.txType),
      from: addr(tx.from),
      to: creates ? null : addr(tx.to),
      nonce: qty(tx.nonce),
      gas: qty(tx.gasLimit),
      gasPrice: qty(t.result.kind === 'executed' ? t.result.receipt.effectiveGasPrice : tx.maxFeePerGas),
      maxFeePerGas: qty(tx.maxFeePerGas),
      maxPriorityFeePerGas: qty(tx.maxPriorityFeePerGas),
      value: qty(tx.value),
      input: data(tx.data),
      chainId: tx.txType === ZK_TX_TYPE_LEGACY && tx.reserved[0] === 0n ? null : qty(chainId),
      v: l1 ? null : qty(sig.v),
      r: l1 ? null : qty(sig.r),
      s: l1 ? null : qty(sig.s),
      gasPerPubdataLimit: qty(tx.gasPerPubdataLimit),
      ...(tx.txType === ZK_TX_TYPE_EIP712 ? { paymaster: addr(tx.paymaster), paymasterInput: data(tx.paymasterInput) } : {}),
      ...(tx.factoryDeps.length > 0 ? { factoryDeps: tx.factoryDeps.map(data) } : {}),
      ...(l1 ? { toMint: qty(tx.reserved[0]), refundRecipient: addr(tx.reserved[1]) } : {}),
    };
  } catch {
    // A body the machine could not decode was rejected: only what the store knows is shown.
    return { ...base, ...unknown };
  }
}
