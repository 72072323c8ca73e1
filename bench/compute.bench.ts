// Compute workloads shared with the peer baselines (../shared/peers/compute.json): mix and fib,
// run in the ethereum profile from an in-memory pre-state with the contracts already deployed.
// Usage: npx tsx bench/compute.bench.ts [path/to/compute.json] [--runs N]
import { readFileSync } from 'node:fs';
import { bytesToHex, hexToBigInt, hexToBytes } from '../machine/common/bytes.ts';
import { initCrypto, privateKeyToAddress } from '../machine/crypto/index.ts';
import { EthereumProfile } from '../machine/bootloader/ethereum.ts';
import { runBlock } from '../machine/bootloader/machine.ts';
import { InMemoryOracle, type PreStateAccount } from '../machine/oracle/memory.ts';
import { signTransaction } from '../machine/tx/encode.ts';
import { bigIntToBytes } from '../machine/common/bytes.ts';

await initCrypto();
const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 3;
const file = args.find((a, i) => !a.startsWith('--') && i !== runsAt + 1) ?? '../shared/peers/compute.json';
const spec = JSON.parse(readFileSync(file, 'utf8'));
const key = bigIntToBytes(1n, 32);
const sender = privateKeyToAddress(key);

/** Deployed code = what the creation bytecode returns; run the constructor once to get it. */
function deployed(creation: string): Uint8Array {
  const pre = new Map<bigint, PreStateAccount>([[sender, { balance: 10n ** 24n, nonce: 0n, code: new Uint8Array(), storage: new Map() }]]);
  const tx = signTransaction({ type: 2, chainId: 1n, nonce: 0n, gasLimit: 10_000_000n, maxFeePerGas: 10n ** 9n, maxPriorityFeePerGas: 10n ** 8n, to: null, data: hexToBytes(creation) }, key);
  const out = runBlock(new InMemoryOracle(pre, meta(), [tx]), new EthereumProfile());
  const d = out.stateDiff.find((a) => a.code !== null);
  if (!d?.code) throw new Error('deployment failed');
  return d.code;
}

function meta() {
  return {
    chainId: 1n, blockNumber: 1n, timestamp: 1700000012n, blockHashes: new Array(256).fill(0n), eip1559BaseFee: 7n, gasPerPubdata: 0n,
    nativePrice: 1n, coinbase: 0xc0c0n, gasLimit: 1_000_000_000n, mixHash: 0n, blobBaseFee: 1n,
  };
}

console.log(`machine: Node ${process.version}; median of ${runs} runs`);
for (const w of spec.workloads) {
  const code = deployed(spec.contracts[w.contract].bytecode);
  const address = hexToBigInt(w.address);
  const pre = new Map<bigint, PreStateAccount>([
    [sender, { balance: 10n ** 24n, nonce: 2n, code: new Uint8Array(), storage: new Map() }],
    [address, { balance: 0n, nonce: 1n, code, storage: new Map() }],
  ]);
  const tx = signTransaction({ type: 2, chainId: 1n, nonce: 2n, gasLimit: 900_000_000n, maxFeePerGas: 10n ** 9n, maxPriorityFeePerGas: 10n ** 8n, to: address, data: hexToBytes(w.calldata) }, key);
  const times: number[] = [];
  let gas = 0n;
  let ret = '';
  for (let i = 0; i < runs + 1; i++) {
    const t0 = performance.now();
    const out = runBlock(new InMemoryOracle(pre, meta(), [tx]), new EthereumProfile());
    const dt = performance.now() - t0;
    const r = out.results[0];
    if (r.kind !== 'executed') throw new Error(`${w.name}: ${r.rejection.error}`);
    gas = r.receipt.gasUsed;
    ret = bytesToHex(r.receipt.output);
    if (i > 0) times.push(dt); // the first run warms the JIT
  }
  times.sort((a, b) => a - b);
  const med = times[Math.floor(times.length / 2)];
  const ok = gas === BigInt(w.txGasUsed) && ret === w.returnData;
  console.log(`${w.name.padEnd(6)} ${(Number(gas) / med / 1000).toFixed(1).padStart(7)} Mgas/s  ${med.toFixed(0)} ms  gas ${gas} ${ok ? 'matches' : `MISMATCH (expected ${w.txGasUsed}, ${w.returnData})`}`);
}
