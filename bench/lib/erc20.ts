// ERC-20 transfers (../shared/peers/erc20.json): deploy + setup in block 1, then 5,000 signed
// EIP-1559 transfers from 100 senders to distinct recipients in blocks of 500, timed.
// zkos: forward mode over SQLite (storage/chain.ts), sender recovery and per-block persistence.
// ethereumjs: runTx over its default in-memory MerkleStateManager, state root after each block.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Common, Hardfork, Mainnet } from '@ethereumjs/common';
import { createBlock } from '@ethereumjs/block';
import { createTxFromRLP } from '@ethereumjs/tx';
import { Address, createAccount } from '@ethereumjs/util';
import { createVM, runTx } from '@ethereumjs/vm';
import { bigIntToBytes, concatBytes, hexToBigInt, hexToBytes } from '../../machine/common/bytes.ts';
import { privateKeyToAddress } from '../../machine/crypto/index.ts';
import { EthereumProfile } from '../../machine/bootloader/ethereum.ts';
import type { PreStateAccount } from '../../machine/oracle/memory.ts';
import { signTransaction } from '../../machine/tx/encode.ts';
import { openChain, type Chain } from '../../storage/chain.ts';
import { BASE_FEE, BLOCK_GAS_LIMIT, COINBASE, hex, keyOf, MAX_FEE, MptTracker, TIP, zkosMeta } from './common.ts';
import { measure } from './stats.ts';

export interface Erc20Spec {
  bytecode: string;
  methodIdentifiers: Record<string, string>;
  scenario: { txs: number; senders: number; txsPerBlock: number; tokenAddress: string };
  expected: { timedGasUsed: string; stateRootAfterSetup: string; stateRootAfterTimed: string };
}

export interface Erc20Workload {
  spec: Erc20Spec;
  prefund: Array<[bigint, { nonce: bigint; balance: bigint }]>;
  /** Block 1: deployment then one setup transfer per sender. */
  setup: Uint8Array[];
  /** Blocks 2..: the timed transfers, pre-signed. */
  timed: Uint8Array[][];
  token: bigint;
}

/** What one run of one engine measured and found. */
export interface Erc20Run {
  seconds: number;
  /** CPU seconds of this process over the timed part (zkos only; ethereumjs: null). */
  cpuSeconds: number | null;
  txs: number;
  timedGas: bigint;
  failures: number;
  rootAfterSetup: string | null;
  rootAfterTimed: string | null;
}

function word(v: bigint): Uint8Array {
  return bigIntToBytes(v, 32);
}

export function buildErc20(spec: Erc20Spec): Erc20Workload {
  const { txs, senders, txsPerBlock } = spec.scenario;
  const deployerKey = keyOf(1n);
  const deployer = privateKeyToAddress(deployerKey);
  const senderKeys = Array.from({ length: senders }, (_, i) => keyOf(0x1000n + BigInt(i)));
  const senderAddrs = senderKeys.map(privateKeyToAddress);
  const token = hexToBigInt(spec.scenario.tokenAddress);
  const transfer = hexToBytes('0x' + spec.methodIdentifiers['transfer(address,uint256)']);
  const tx = (key: Uint8Array, nonce: bigint, to: bigint | null, data: Uint8Array, gasLimit: bigint) =>
    signTransaction({ type: 2, chainId: 1n, nonce, gasLimit, maxFeePerGas: MAX_FEE, maxPriorityFeePerGas: TIP, to, data }, key);

  const setup = [tx(deployerKey, 0n, null, concatBytes(hexToBytes(spec.bytecode), word(10n ** 27n)), 10_000_000n)];
  senderAddrs.forEach((a, i) => setup.push(tx(deployerKey, BigInt(i + 1), token, concatBytes(transfer, word(a), word(10n ** 24n)), 100_000n)));
  const timed: Uint8Array[][] = [];
  for (let k = 0; k < txs; k++) {
    if (k % txsPerBlock === 0) timed.push([]);
    const raw = tx(senderKeys[k % senders], BigInt(Math.floor(k / senders)), token, concatBytes(transfer, word(0x100000n + BigInt(k)), word(1n)), 100_000n);
    timed[timed.length - 1].push(raw);
  }
  const prefund: Erc20Workload['prefund'] = [deployer, ...senderAddrs].map((a) => [a, { nonce: 0n, balance: 10n ** 24n }]);
  return { spec, prefund, setup, timed, token };
}

/**
 * One zkos run over a fresh database. `recoverSenders` opens the chain with the sender-recovery
 * worker (the second core), `backgroundCheckpoint` with the WAL checkpointer thread. `inspect` sees the chain (timed blocks 2..head stored) and its file
 * before they are closed and deleted: the replay and byte rows measure that database.
 */
export async function runErc20Zkos(w: Erc20Workload, checkRoots: boolean, opts: { recoverSenders?: boolean; backgroundCheckpoint?: boolean; inspect?: (chain: Chain, path: string) => void } = {}): Promise<Erc20Run> {
  const dir = mkdtempSync(join(tmpdir(), 'zkos-bench-'));
  const path = join(dir, 'chain.db');
  const chain = openChain(path, { recoverSenders: opts.recoverSenders === true, backgroundCheckpoint: opts.backgroundCheckpoint === true });
  try {
    const pre = new Map<bigint, PreStateAccount>(w.prefund.map(([a, v]) => [a, { ...v, code: new Uint8Array(), storage: new Map() }]));
    chain.genesis(pre, { chainId: 1n, gasLimit: BLOCK_GAS_LIMIT, coinbase: COINBASE });
    const tracker = checkRoots ? new MptTracker(w.prefund) : null;
    // The worker loads while block 1 runs; the timed blocks start with it ready (a sequencer's
    // worker is up before its first block; loading it is start-up, not per-transaction work).
    const first = chain.executeBlock(zkosMeta(1n), w.setup, new EthereumProfile());
    await chain.sendersReady();
    let failures = first.results.filter((r) => r.kind !== 'executed' || !r.receipt.success).length;
    const created = first.results[0].kind === 'executed' ? first.results[0].receipt.created : null;
    if (created !== w.token) failures++;
    tracker?.apply(first);
    const rootAfterSetup = tracker?.root() ?? null;

    // Each block is announced before the one ahead of it runs, as a sequencer's mempool knows the
    // next block's transactions: with the worker, their signers are recovered meanwhile.
    const { value: outputs, seconds, cpuSeconds } = measure(() =>
      w.timed.map((txs, b) => {
        if (b === 0) chain.prepare(txs, 'ethereum', 1n);
        if (b + 1 < w.timed.length) chain.prepare(w.timed[b + 1], 'ethereum', 1n);
        return chain.executeBlock(zkosMeta(BigInt(b + 2)), txs, new EthereumProfile());
      }),
    );

    let timedGas = 0n;
    let txs = 0;
    for (const out of outputs) {
      for (const r of out.results) {
        txs++;
        if (r.kind !== 'executed' || !r.receipt.success) failures++;
        else timedGas += r.receipt.gasUsed;
      }
      tracker?.apply(out);
    }
    opts.inspect?.(chain, path);
    return { seconds, cpuSeconds, txs, timedGas, failures, rootAfterSetup, rootAfterTimed: tracker?.root() ?? null };
  } finally {
    chain.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runErc20Ethereumjs(w: Erc20Workload): Promise<Erc20Run> {
  const common = new Common({ chain: Mainnet, hardfork: Hardfork.Cancun });
  const vm = await createVM({ common });
  for (const [a, v] of w.prefund) await vm.stateManager.putAccount(new Address(bigIntToBytes(a, 20)), createAccount(v));
  const block = (n: number) =>
    createBlock(
      { header: { number: BigInt(n), timestamp: 1_700_000_000n + 12n * BigInt(n), gasLimit: BLOCK_GAS_LIMIT, baseFeePerGas: BASE_FEE, coinbase: bigIntToBytes(COINBASE, 20), excessBlobGas: 0n, blobGasUsed: 0n } },
      { common },
    );

  let failures = 0;
  const b1 = block(1);
  for (let i = 0; i < w.setup.length; i++) {
    const r = await runTx(vm, { tx: createTxFromRLP(w.setup[i], { common }), block: b1 });
    if (r.execResult.exceptionError !== undefined) failures++;
    if (i === 0 && (r.createdAddress === undefined || BigInt(r.createdAddress.toString()) !== w.token)) failures++;
  }
  const rootAfterSetup = hex(await vm.stateManager.getStateRoot());

  let timedGas = 0n;
  let txs = 0;
  let root: Uint8Array = new Uint8Array();
  const t0 = performance.now();
  for (let b = 0; b < w.timed.length; b++) {
    const blk = block(b + 2);
    for (const raw of w.timed[b]) {
      // Decoding and sender recovery (runTx recovers the sender from the signature) are timed.
      const r = await runTx(vm, { tx: createTxFromRLP(raw, { common }), block: blk });
      txs++;
      if (r.execResult.exceptionError !== undefined) failures++;
      else timedGas += r.totalGasSpent;
    }
    root = await vm.stateManager.getStateRoot();
  }
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, cpuSeconds: null, txs, timedGas, failures, rootAfterSetup, rootAfterTimed: hex(root) };
}
