// Building and running zksync blocks in tests: keys, block metadata, signed transactions, the
// ERC-20 fixture.
import { readFileSync } from 'node:fs';
import { bigIntToBytes, bytesToHex, concatBytes, hexToBytes } from '../../machine/common/bytes.ts';
import { keccak256, privateKeyToAddress } from '../../machine/crypto/index.ts';
import { runBlock } from '../../machine/bootloader/machine.ts';
import type { BlockOutput, TxReceipt, TxRejection } from '../../machine/bootloader/types.ts';
import { ZksyncProfile } from '../../machine/bootloader/zksync/profile.ts';
import { zkBlockBodies, type ZkBlockTx } from '../../machine/bootloader/zksync/build.ts';
import { InMemoryOracle, type PreStateAccount } from '../../machine/oracle/memory.ts';
import type { BlockMetadata } from '../../machine/oracle/types.ts';
import { signTransaction, type TransactionRequest } from '../../machine/tx/encode.ts';
import { signEip712Transaction, type Eip712TxFields } from '../../machine/tx/zksync/eip712.ts';

export const CHAIN_ID = 270n;
export const OPERATOR = 0x0beef0000000000000000000000000000000c0den;
export const BASE_FEE = 1000n;

export const keyOf = (n: number): Uint8Array => bigIntToBytes(BigInt(n), 32);
export const ALICE_KEY = keyOf(0xa11ce);
export const BOB_KEY = keyOf(0xb0b);
export const ALICE = privateKeyToAddress(ALICE_KEY);
export const BOB = privateKeyToAddress(BOB_KEY);

export const PARENT_HASH = 0x1111111111111111111111111111111111111111111111111111111111111111n;

export function zkMeta(over: Partial<BlockMetadata> = {}): BlockMetadata {
  const blockHashes = new Array<bigint>(256).fill(0n);
  blockHashes[0] = PARENT_HASH;
  return {
    chainId: CHAIN_ID,
    blockNumber: 7n,
    timestamp: 1_700_000_000n,
    blockHashes,
    eip1559BaseFee: BASE_FEE,
    gasPerPubdata: 1n,
    nativePrice: 10n,
    coinbase: OPERATOR,
    gasLimit: 100_000_000n,
    mixHash: 0x42n,
    blobBaseFee: 1n,
    ...over,
  };
}

export function acct(over: Partial<PreStateAccount> = {}): PreStateAccount {
  return { balance: 0n, nonce: 0n, code: new Uint8Array(0), storage: new Map(), ...over };
}

export function runZk(pre: Map<bigint, PreStateAccount>, txs: ZkBlockTx[], meta: Partial<BlockMetadata> = {}): BlockOutput {
  const m = zkMeta(meta);
  return runBlock(new InMemoryOracle(pre, m, zkBlockBodies(txs, m.chainId)), new ZksyncProfile());
}

/** A signed EIP-1559 envelope (max fee 2000, tip 100 by default: gas price 1100). */
export function eip1559(req: Partial<TransactionRequest> & { nonce: bigint; to: bigint | null }, key = ALICE_KEY): ZkBlockTx {
  return { envelope: signTransaction({ type: 2, chainId: CHAIN_ID, gasLimit: 1_000_000n, maxFeePerGas: 2000n, maxPriorityFeePerGas: 100n, ...req }, key) };
}

/** A signed EIP-155 legacy envelope (gas price 1500 by default). */
export function legacy(req: Partial<TransactionRequest> & { nonce: bigint; to: bigint | null }, key = ALICE_KEY): ZkBlockTx {
  return { envelope: signTransaction({ type: 0, chainId: CHAIN_ID, gasLimit: 1_000_000n, maxFeePerGas: 1500n, ...req }, key) };
}

/** A signed 0x71 envelope. */
export function eip712(fields: Partial<Eip712TxFields> & { nonce: bigint; to: bigint }, key = ALICE_KEY): ZkBlockTx {
  const f: Eip712TxFields = { gasLimit: 2_000_000n, maxFeePerGas: 2000n, maxPriorityFeePerGas: 100n, gasPerPubdata: 50_000n, ...fields };
  return { envelope: signEip712Transaction(f, key, CHAIN_ID) };
}

export function receipt(out: BlockOutput, i: number): TxReceipt {
  const r = out.results[i];
  if (r.kind !== 'executed') throw new Error(`tx ${i} was rejected: ${r.rejection.error} ${r.rejection.message}`);
  return r.receipt;
}

export function rejection(out: BlockOutput, i: number): TxRejection {
  const r = out.results[i];
  if (r.kind !== 'rejected') throw new Error(`tx ${i} was executed`);
  return r.rejection;
}

/** Balance of `address` after the block (its pre-state balance when untouched). */
export function balanceAfter(out: BlockOutput, pre: Map<bigint, PreStateAccount>, address: bigint): bigint {
  return out.stateDiff.find((d) => d.address === address)?.balance ?? pre.get(address)?.balance ?? 0n;
}

export function nonceAfter(out: BlockOutput, pre: Map<bigint, PreStateAccount>, address: bigint): bigint {
  return out.stateDiff.find((d) => d.address === address)?.nonce ?? pre.get(address)?.nonce ?? 0n;
}

export function slotAfter(out: BlockOutput, pre: Map<bigint, PreStateAccount>, address: bigint, key: bigint): bigint {
  const d = out.stateDiff.find((x) => x.address === address)?.storage.find(([k]) => k === key);
  return d !== undefined ? d[1] : pre.get(address)?.storage.get(key) ?? 0n;
}

export const word = (v: bigint): Uint8Array => bigIntToBytes(v, 32);
export const selector = (sig: string): Uint8Array => keccak256(new TextEncoder().encode(sig)).slice(0, 4);
export const calldata = (sig: string, ...args: bigint[]): Uint8Array => concatBytes(selector(sig), ...args.map(word));
export const hex = bytesToHex;

interface Erc20Fixture {
  bytecode: string;
  deployedBytecode: string;
  methodIdentifiers: Record<string, string>;
}

export const ERC20 = JSON.parse(readFileSync(new URL('../fixtures/zksync/erc20.json', import.meta.url), 'utf8')) as Erc20Fixture;
export const ERC20_INITCODE = (supply: bigint): Uint8Array => concatBytes(hexToBytes(ERC20.bytecode), word(supply));
export const TRANSFER_TOPIC = BigInt(bytesToHex(keccak256(new TextEncoder().encode('Transfer(address,address,uint256)'))));
