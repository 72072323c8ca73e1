// Compute workloads (../shared/peers/compute.json): `mix` and `fib`, one transaction each.
// zkos: as bench/compute.bench.ts — ethereum profile, in-memory pre-state with the contract's
// deployed code (obtained by running its constructor). ethereumjs: fresh VM, both contracts deployed
// by transactions at the JSON's addresses (see deploymentNonce), then the workload tx timed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Common, Hardfork, Mainnet } from '@ethereumjs/common';
import { createBlock } from '@ethereumjs/block';
import { createTxFromRLP } from '@ethereumjs/tx';
import { Address, createAccount, createContractAddress } from '@ethereumjs/util';
import { createVM, runTx } from '@ethereumjs/vm';
import { bigIntToBytes, hexToBigInt, hexToBytes } from '../../machine/common/bytes.ts';
import { privateKeyToAddress } from '../../machine/crypto/index.ts';
import { EthereumProfile } from '../../machine/bootloader/ethereum.ts';
import { runBlock } from '../../machine/bootloader/machine.ts';
import { InMemoryOracle, type PreStateAccount } from '../../machine/oracle/memory.ts';
import { signTransaction } from '../../machine/tx/encode.ts';
import { BASE_FEE, BLOCK_GAS_LIMIT, COINBASE, hex, keyOf, MAX_FEE, TIP, zkosMeta } from './common.ts';
import { median } from './stats.ts';
import { row, type Row } from './table.ts';

export interface ComputeSpec {
  contracts: Record<string, { bytecode: string }>;
  workloads: Array<{ name: string; contract: string; address: string; calldata: string; txGasUsed: string; returnData: string }>;
}

export interface ComputeRun {
  seconds: number;
  gas: bigint;
  ret: string;
  ok: boolean;
}

const key = keyOf(1n);
const DEPLOY_ORDER = ['Compute', 'Fib'];

function sign(nonce: bigint, to: bigint | null, data: Uint8Array, gasLimit: bigint): Uint8Array {
  return signTransaction({ type: 2, chainId: 1n, nonce, gasLimit, maxFeePerGas: MAX_FEE, maxPriorityFeePerGas: TIP, to, data }, key);
}

/** The workload's transaction (nonce 2, after the two deployments), pre-signed for both engines. */
export function workloadTx(w: ComputeSpec['workloads'][number]): Uint8Array {
  return sign(2n, hexToBigInt(w.address), hexToBytes(w.calldata), 900_000_000n);
}

export function check(w: ComputeSpec['workloads'][number], gas: bigint, ret: string): boolean {
  return gas === BigInt(w.txGasUsed) && ret.toLowerCase() === w.returnData.toLowerCase();
}

/** Deployed code = what the creation bytecode returns; run the constructor once to get it. */
function deployedCode(creation: string): Uint8Array {
  const sender = privateKeyToAddress(key);
  const pre = new Map<bigint, PreStateAccount>([[sender, { balance: 10n ** 24n, nonce: 0n, code: new Uint8Array(), storage: new Map() }]]);
  const out = runBlock(new InMemoryOracle(pre, zkosMeta(1n), [sign(0n, null, hexToBytes(creation), 10_000_000n)]), new EthereumProfile());
  const d = out.stateDiff.find((a) => a.code !== null);
  if (!d?.code) throw new Error('deployment failed');
  return d.code;
}

export function zkosComputeRunner(spec: ComputeSpec, w: ComputeSpec['workloads'][number]): () => ComputeRun {
  const sender = privateKeyToAddress(key);
  const code = deployedCode(spec.contracts[w.contract].bytecode);
  const pre = new Map<bigint, PreStateAccount>([
    [sender, { balance: 10n ** 24n, nonce: 2n, code: new Uint8Array(), storage: new Map() }],
    [hexToBigInt(w.address), { balance: 0n, nonce: 1n, code, storage: new Map() }],
  ]);
  const tx = workloadTx(w);
  return () => {
    const t0 = performance.now();
    const out = runBlock(new InMemoryOracle(pre, zkosMeta(1n), [tx]), new EthereumProfile());
    const seconds = (performance.now() - t0) / 1000;
    const r = out.results[0];
    if (r.kind !== 'executed') return { seconds, gas: 0n, ret: r.rejection.error, ok: false };
    const ret = hex(r.receipt.output);
    return { seconds, gas: r.receipt.gasUsed, ret, ok: r.receipt.success && check(w, r.receipt.gasUsed, ret) };
  };
}

/**
 * The JSON's addresses are sender 1's CREATE addresses, but not all at the nonces its note gives
 * (Fib's is nonce 4, not 1): each contract is deployed by a transaction at the nonce that puts it
 * where the JSON says, and the sender's nonce is then set to 2 for the shared workload transaction.
 */
function deploymentNonce(sender: Address, address: string): bigint {
  for (let n = 0n; n < 256n; n++) if (createContractAddress(sender, n).toString() === address.toLowerCase()) return n;
  throw new Error(`${address} is not a CREATE address of the sender at nonces 0..255`);
}

export function ethereumjsComputeRunner(spec: ComputeSpec, w: ComputeSpec['workloads'][number]): () => Promise<ComputeRun> {
  const common = new Common({ chain: Mainnet, hardfork: Hardfork.Cancun });
  const sender = new Address(bigIntToBytes(privateKeyToAddress(key), 20));
  const targets = new Map<string, string>(spec.workloads.map((x) => [x.contract, x.address]));
  const deploys = DEPLOY_ORDER.filter((name) => targets.has(name)).map((name) => {
    const nonce = deploymentNonce(sender, targets.get(name)!);
    return { nonce, raw: sign(nonce, null, hexToBytes(spec.contracts[name].bytecode), 10_000_000n), address: targets.get(name)!.toLowerCase() };
  });
  const tx = workloadTx(w);
  return async () => {
    const vm = await createVM({ common });
    const block = createBlock(
      { header: { number: 1n, timestamp: 1_700_000_012n, gasLimit: BLOCK_GAS_LIMIT, baseFeePerGas: BASE_FEE, coinbase: bigIntToBytes(COINBASE, 20), excessBlobGas: 0n, blobGasUsed: 0n } },
      { common },
    );
    const setNonce = async (nonce: bigint) => {
      const a = (await vm.stateManager.getAccount(sender)) ?? createAccount({ nonce: 0n, balance: 10n ** 24n });
      a.nonce = nonce;
      await vm.stateManager.putAccount(sender, a);
    };
    await vm.stateManager.putAccount(sender, createAccount({ nonce: 0n, balance: 10n ** 24n }));
    let deployedOk = true;
    for (const d of deploys) {
      await setNonce(d.nonce);
      const r = await runTx(vm, { tx: createTxFromRLP(d.raw, { common }), block });
      if (r.execResult.exceptionError !== undefined || r.createdAddress?.toString() !== d.address) deployedOk = false;
    }
    await setNonce(2n);
    const t0 = performance.now();
    const r = await runTx(vm, { tx: createTxFromRLP(tx, { common }), block });
    const seconds = (performance.now() - t0) / 1000;
    const ret = hex(r.execResult.returnValue);
    const ok = deployedOk && r.execResult.exceptionError === undefined && check(w, r.totalGasSpent, ret);
    return { seconds, gas: r.totalGasSpent, ret, ok };
  };
}

/** The compute group: one row per workload of compute.json, Mgas/s for both engines. */
export async function computeRows(peers: string, runs: number, log: (s: string) => void): Promise<Row[]> {
  const spec = JSON.parse(readFileSync(join(peers, 'compute.json'), 'utf8')) as ComputeSpec;
  const rows: Row[] = [];
  for (const w of spec.workloads) {
    const rz = zkosComputeRunner(spec, w);
    const re = ethereumjsComputeRunner(spec, w);
    const z: number[] = [];
    const e: number[] = [];
    const notes = new Set<string>();
    let ok = true;
    // One untimed run per engine first: the timed runs measure code the JIT has seen, as a
    // long-running sequencer runs it (the first zkos run was 5-15 % slower than the next ones).
    // zkos's runs, then ethereumjs's (as in the ERC-20 group): interleaved, each zkos run was timed
    // while V8 collected what the ethereumjs run before it had allocated.
    const warmZkos = rz();
    for (let i = 0; i < runs; i++) {
      const a = rz();
      z.push(Number(a.gas) / a.seconds / 1e6);
      if (!a.ok) notes.add(`✗ zkos: gas ${a.gas}, return ${a.ret} (expected ${w.txGasUsed}, ${w.returnData})`);
      ok &&= a.ok;
      log(`${w.name} run ${i + 1}: zkos ${z[i].toFixed(2)} Mgas/s`);
    }
    const warm = [warmZkos, await re()];
    if (!warm.every((r) => r.ok)) notes.add('✗ a warm-up run gave an unexpected result');
    ok &&= warm.every((r) => r.ok);
    for (let i = 0; i < runs; i++) {
      const b = await re();
      e.push(Number(b.gas) / b.seconds / 1e6);
      if (!b.ok) notes.add(`✗ ethereumjs: gas ${b.gas}, return ${b.ret} (expected ${w.txGasUsed}, ${w.returnData})`);
      ok &&= b.ok;
      log(`${w.name} run ${i + 1}: ethereumjs ${e[i].toFixed(2)} Mgas/s`);
    }
    notes.add(`after one untimed warm-up run per engine; timed runs ${z.map((x) => x.toFixed(1)).join(', ')} (zkos)`);
    rows.push(row(`compute ${w.name} (${(Number(w.txGasUsed) / 1e6).toFixed(1)} Mgas)`, 'Mgas/s', median(z), median(e), ok, [...notes]));
  }
  return rows;
}
