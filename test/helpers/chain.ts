// Building blocks for machine tests: a pre-state, signed transactions, one block through the
// bootloader in the ethereum profile.
import { hexToBytes } from '../../machine/common/bytes.ts';
import { privateKeyToAddress } from '../../machine/crypto/index.ts';
import { EthereumProfile } from '../../machine/bootloader/ethereum.ts';
import { runBlock, runBlockWithActor } from '../../machine/bootloader/machine.ts';
import type { BlockOutput } from '../../machine/bootloader/types.ts';
import { InMemoryOracle, type PreStateAccount } from '../../machine/oracle/memory.ts';
import type { BlockMetadata } from '../../machine/oracle/types.ts';
import type { IoEventSink } from '../../machine/system/events.ts';
import { signTransaction, type TransactionRequest } from '../../machine/tx/encode.ts';

export const CHAIN_ID = 1n;
export const KEY = hexToBytes('0x45a915e4d060149eb4365960e6a7a45f334393093061116b197e3240065ff2d8');
export const SENDER = privateKeyToAddress(KEY);
export const COINBASE = 0xc0ffeen;

export function metadata(over: Partial<BlockMetadata> = {}): BlockMetadata {
  return {
    chainId: CHAIN_ID,
    blockNumber: 1n,
    timestamp: 1000n,
    blockHashes: new Array(256).fill(0n),
    eip1559BaseFee: 10n,
    gasPerPubdata: 0n,
    nativePrice: 1n,
    coinbase: COINBASE,
    gasLimit: 30_000_000n,
    mixHash: 0n,
    blobBaseFee: 1n,
    ...over,
  };
}

export function account(over: Partial<PreStateAccount> = {}): PreStateAccount {
  return { balance: 0n, nonce: 0n, code: new Uint8Array(0), storage: new Map(), ...over };
}

export function tx(req: Partial<TransactionRequest> & { nonce: bigint; to: bigint | null }, key = KEY): Uint8Array {
  return signTransaction({ type: 2, chainId: CHAIN_ID, gasLimit: 1_000_000n, maxFeePerGas: 20n, maxPriorityFeePerGas: 2n, ...req }, key);
}

export function run(
  pre: Map<bigint, PreStateAccount>,
  txs: Uint8Array[],
  opts: { actor?: boolean; trace?: boolean; meta?: Partial<BlockMetadata>; events?: IoEventSink; arenaBytes?: number } = {},
): BlockOutput {
  const oracle = new InMemoryOracle(pre, metadata(opts.meta), txs);
  return opts.actor
    ? runBlockWithActor(oracle, new EthereumProfile(), { events: opts.events, arenaBytes: opts.arenaBytes })
    : runBlock(oracle, new EthereumProfile(), { trace: opts.trace, events: opts.events, arenaBytes: opts.arenaBytes });
}

/** Assembles EVM code from hex fragments and numbers (pushed with the smallest PUSH). */
export function asm(...parts: Array<string | bigint>): Uint8Array {
  let hex = '';
  for (const p of parts) {
    if (typeof p === 'string') hex += p.replace(/^0x/, '');
    else {
      let h = p.toString(16);
      if (h.length % 2) h = '0' + h;
      if (p === 0n) hex += '5f';
      else hex += (0x5f + h.length / 2).toString(16) + h;
    }
  }
  return hexToBytes(hex);
}
