// From what users (and L1) send to ZKsync transactions.
//
// - Ethereum envelopes (legacy with and without EIP-155, EIP-2930, EIP-1559): authenticated by the
//   Ethereum decoder, then mapped field by field so that zkTxHash(result, chainId) equals
//   keccak(raw) — the canonical Ethereum hash. Mapping: reserved[0] = 1 for EIP-155 legacy;
//   `to` null → to = 0, reserved[1] = 1; signature = r ‖ s ‖ (27 + recovery id); access list kept
//   as is (typed: always present, possibly empty, as the rig writes it; legacy: none);
//   gas_per_pubdata_limit = ETHEREUM_TX_GAS_PER_PUBDATA_FIELD (0): the field is unsigned and
//   validation uses the implied limit 1 for these types (§2.6 step 13), so 0 only says "not given".
// - The ZKsync Era EIP-712 envelope (type 0x71): eip712.ts.
// - L1→L2 priority (0xFF) and upgrade (0xFE) transactions given as objects.
import { decodeEthereumTransaction } from '../ethereum.ts';
import { TX_TYPE_EIP4844, TX_TYPE_LEGACY } from '../types.ts';
import { fromEip712Envelope } from './eip712.ts';
import { packZkSignature } from './signature.ts';
import { validateZkTransaction } from './structure.ts';
import {
  ETHEREUM_TX_GAS_PER_PUBDATA_FIELD,
  ZK_TX_TYPE_EIP712,
  ZK_TX_TYPE_L1,
  ZK_TX_TYPE_UPGRADE,
  ZkTxConvertError,
  type ZkTransaction,
} from './types.ts';

/**
 * A signed Ethereum envelope → ZkTransaction, for a chain with id `chainId`. Throws TxDecodeError
 * (bad envelope or signature), ZkTxConvertError (blob tx, wrong chain) or ZkTxDecodeError (a value
 * the body cannot carry, e.g. a fee over u128).
 */
export function fromEthereumEnvelope(raw: Uint8Array, chainId: bigint): ZkTransaction {
  if (raw.length > 0 && raw[0] === TX_TYPE_EIP4844) {
    throw new ZkTxConvertError('BLOB_TX_UNSUPPORTED', 'EIP-4844 blob transactions are not supported on ZKsync');
  }
  const eth = decodeEthereumTransaction(raw);
  if (eth.chainId !== null && eth.chainId !== chainId) {
    throw new ZkTxConvertError('WRONG_CHAIN_ID', `signed for chain ${eth.chainId}, this chain is ${chainId}`, { field: 'chainId' });
  }
  let recid: number;
  if (eth.type !== TX_TYPE_LEGACY) recid = Number(eth.v);
  else recid = eth.chainId === null ? Number(eth.v - 27n) : Number((eth.v - 35n) & 1n);
  const tx: ZkTransaction = {
    txType: eth.type,
    from: eth.from,
    to: eth.to ?? 0n,
    gasLimit: eth.gasLimit,
    gasPerPubdataLimit: ETHEREUM_TX_GAS_PER_PUBDATA_FIELD,
    maxFeePerGas: eth.maxFeePerGas,
    maxPriorityFeePerGas: eth.maxPriorityFeePerGas,
    paymaster: 0n,
    nonce: eth.nonce,
    value: eth.value,
    reserved: [eth.type === TX_TYPE_LEGACY && eth.chainId !== null ? 1n : 0n, eth.to === null ? 1n : 0n, 0n, 0n],
    data: eth.data,
    signature: packZkSignature(eth.r, eth.s, recid),
    factoryDeps: [],
    paymasterInput: new Uint8Array(0),
    accessList: eth.type === TX_TYPE_LEGACY ? null : eth.accessList,
  };
  validateZkTransaction(tx);
  return tx;
}

/** Any user envelope: 0x71 → fromEip712Envelope, everything else → fromEthereumEnvelope. */
export function fromUserEnvelope(raw: Uint8Array, chainId: bigint): ZkTransaction {
  return raw.length > 0 && raw[0] === ZK_TX_TYPE_EIP712 ? fromEip712Envelope(raw, chainId) : fromEthereumEnvelope(raw, chainId);
}

/** An L1→L2 priority or upgrade transaction as L1 describes it. */
export interface L1TransactionInput {
  /** The L2 sender (already aliased by L1 where applicable). */
  from: bigint;
  to: bigint;
  gasLimit: bigint;
  gasPerPubdataByteLimit: bigint;
  maxFeePerGas: bigint;
  /** Default 0. */
  maxPriorityFeePerGas?: bigint;
  /** Priority ops: the serial id; upgrades: by convention the protocol version. Default 0. */
  nonce?: bigint;
  /** Minted to `from` and sent with the call. Default 0. */
  value?: bigint;
  data?: Uint8Array;
  /** reserved[0]: the total deposit, which must cover value + maxFeePerGas × gasLimit. */
  toMint: bigint;
  /** reserved[1]: who receives the unspent deposit. */
  refundRecipient: bigint;
  /** Bytecode hashes, 32 bytes each (carried, ignored by execution). */
  factoryDeps?: Uint8Array[];
}

function fromL1Input(txType: number, input: L1TransactionInput): ZkTransaction {
  const value = input.value ?? 0n;
  const needed = value + input.maxFeePerGas * input.gasLimit;
  if (input.toMint < needed) {
    throw new ZkTxConvertError('DEPOSIT_TOO_SMALL', `toMint ${input.toMint} < value + maxFeePerGas × gasLimit = ${needed}`, { field: 'toMint' });
  }
  const tx: ZkTransaction = {
    txType,
    from: input.from,
    to: input.to,
    gasLimit: input.gasLimit,
    gasPerPubdataLimit: input.gasPerPubdataByteLimit,
    maxFeePerGas: input.maxFeePerGas,
    maxPriorityFeePerGas: input.maxPriorityFeePerGas ?? 0n,
    paymaster: 0n,
    nonce: input.nonce ?? 0n,
    value,
    reserved: [input.toMint, input.refundRecipient, 0n, 0n],
    data: input.data ?? new Uint8Array(0),
    signature: new Uint8Array(0),
    factoryDeps: input.factoryDeps ?? [],
    paymasterInput: new Uint8Array(0),
    accessList: null,
  };
  validateZkTransaction(tx);
  return tx;
}

/** An L1→L2 priority transaction (type 0xFF). Its hash is abiTupleHash(encodeZkTransaction(tx)). */
export function fromL1Transaction(input: L1TransactionInput): ZkTransaction {
  return fromL1Input(ZK_TX_TYPE_L1, input);
}

/** A protocol upgrade transaction (type 0xFE); hashed like 0xFF. */
export function fromUpgradeTransaction(input: L1TransactionInput): ZkTransaction {
  return fromL1Input(ZK_TX_TYPE_UPGRADE, input);
}
