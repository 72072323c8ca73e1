// zkos vs ethereumjs on the workloads shared with the peer baselines (../shared/peers or $ZKOS_PEERS).
// Every row is measured in this run for both engines (median of --runs, default 3) and checked
// against the expected results in the JSON (✓/✗). Prints one table, writes bench/RESULTS.md, and
// with --json FILE the table as JSON.
// Usage: npm run bench [-- --runs N] [-- --json FILE]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initCrypto } from '../machine/crypto/index.ts';
import { median, peersDir } from './lib/common.ts';
import { buildErc20, runErc20Ethereumjs, runErc20Zkos, type Erc20Run } from './lib/erc20.ts';
import { ethereumjsComputeRunner, zkosComputeRunner, type ComputeSpec } from './lib/compute.ts';

interface Row {
  name: string;
  unit: string;
  zkos: number;
  ethereumjs: number;
  /** zkos / ethereumjs: above 1, zkos is faster. */
  ratio: number;
  /** Both engines' results equal the expected ones in every run. */
  verified: boolean;
  notes: string[];
}

/** The installed version of a package whose exports hide its package.json. */
function packageVersion(name: string): string {
  let dir = dirname(createRequire(import.meta.url).resolve(name));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === name && pkg.version) return pkg.version;
    }
    if (dirname(dir) === dir) return 'unknown';
    dir = dirname(dir);
  }
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  if (i < 0) return undefined;
  const v = process.argv[i + 1];
  if (v === undefined || v.startsWith('--')) throw new Error(`${name} needs a value`);
  return v;
}

const jsonFile = arg('--json');
const runs = Number(arg('--runs') ?? 3);
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive integer');

const peers = peersDir();
if (peers === null) {
  console.log('bench: the shared peer workloads (../shared/peers/{erc20,compute}.json, or $ZKOS_PEERS) are not here; nothing to run.');
  process.exit(0);
}

await initCrypto();
const ejsVersion = packageVersion('@ethereumjs/vm');
const machine = { cores: cpus().length, cpu: cpus()[0]?.model.trim() ?? 'unknown', node: process.version, platform: `${process.platform}-${process.arch}` };
const log = (s: string) => process.stderr.write(s + '\n');
console.log(`machine: ${machine.cores} cores (${machine.cpu}), Node ${machine.node}, ${machine.platform}`);
console.log(`engines: zkos (this tree) vs @ethereumjs/vm ${ejsVersion} (default in-memory state); median of ${runs} run${runs === 1 ? '' : 's'}`);

const rows: Row[] = [];

// Row 1: ERC-20 transfers.
{
  const spec = JSON.parse(readFileSync(join(peers, 'erc20.json'), 'utf8'));
  log('erc20: signing the transactions…');
  const w = buildErc20(spec);
  const exp = spec.expected;
  const notes: string[] = [];
  const verify = (engine: string, r: Erc20Run): boolean => {
    const bad: string[] = [];
    if (r.failures !== 0) bad.push(`${r.failures} failed txs`);
    if (r.timedGas !== BigInt(exp.timedGasUsed)) bad.push(`timed gas ${r.timedGas} ≠ ${exp.timedGasUsed}`);
    if (r.rootAfterSetup !== null && r.rootAfterSetup !== exp.stateRootAfterSetup) bad.push(`root after setup ${r.rootAfterSetup}`);
    if (r.rootAfterTimed !== null && r.rootAfterTimed !== exp.stateRootAfterTimed) bad.push(`root after timed ${r.rootAfterTimed}`);
    if (bad.length) notes.push(`${engine}: ${bad.join('; ')}`);
    return bad.length === 0;
  };
  const z: number[] = [];
  const e: number[] = [];
  let ok = true;
  for (let i = 0; i < runs; i++) {
    const rz = runErc20Zkos(w, true);
    ok = verify('zkos', rz) && ok;
    z.push(rz.txs / rz.seconds);
    log(`erc20 run ${i + 1}: zkos ${(rz.txs / rz.seconds).toFixed(0)} tx/s`);
    const re = await runErc20Ethereumjs(w);
    ok = verify('ethereumjs', re) && ok;
    e.push(re.txs / re.seconds);
    log(`erc20 run ${i + 1}: ethereumjs ${(re.txs / re.seconds).toFixed(1)} tx/s`);
  }
  const mz = median(z);
  const me = median(e);
  rows.push({ name: `ERC-20 transfers (${spec.scenario.txs} txs, blocks of ${spec.scenario.txsPerBlock})`, unit: 'tx/s', zkos: mz, ethereumjs: me, ratio: mz / me, verified: ok, notes });
}

// Rows 2..: compute workloads.
{
  const spec = JSON.parse(readFileSync(join(peers, 'compute.json'), 'utf8')) as ComputeSpec;
  for (const w of spec.workloads) {
    const rz = zkosComputeRunner(spec, w);
    const re = ethereumjsComputeRunner(spec, w);
    const z: number[] = [];
    const e: number[] = [];
    const notes: string[] = [];
    let ok = true;
    for (let i = 0; i < runs; i++) {
      const a = rz();
      z.push(Number(a.gas) / a.seconds / 1e6);
      if (!a.ok) notes.push(`zkos: gas ${a.gas}, return ${a.ret} (expected ${w.txGasUsed}, ${w.returnData})`);
      ok &&= a.ok;
      log(`${w.name} run ${i + 1}: zkos ${z[i].toFixed(2)} Mgas/s`);
      const b = await re();
      e.push(Number(b.gas) / b.seconds / 1e6);
      if (!b.ok) notes.push(`ethereumjs: gas ${b.gas}, return ${b.ret} (expected ${w.txGasUsed}, ${w.returnData})`);
      ok &&= b.ok;
      log(`${w.name} run ${i + 1}: ethereumjs ${e[i].toFixed(2)} Mgas/s`);
    }
    const mz = median(z);
    const me = median(e);
    rows.push({ name: `compute ${w.name} (${(Number(w.txGasUsed) / 1e6).toFixed(1)} Mgas)`, unit: 'Mgas/s', zkos: mz, ethereumjs: me, ratio: mz / me, verified: ok, notes: [...new Set(notes)] });
  }
}

// The table.
const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const header = ['', 'workload', 'unit', 'zkos', 'ethereumjs', 'zkos/ethereumjs'];
const body = rows.map((r) => [r.verified ? '✓' : '✗', r.name, r.unit, fmt(r.zkos), fmt(r.ethereumjs), `${r.ratio.toFixed(2)}×`]);
const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
const line = (cells: string[]) => cells.map((c, i) => (i >= 3 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
console.log();
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const b of body) console.log(line(b));
for (const r of rows) for (const n of r.notes) console.log(`✗ ${r.name}: ${n}`);
console.log('\n✓ = both engines\' gas, return values / state roots equal the expected ones in every run.');

const date = new Date().toISOString();
const json = {
  date,
  machine: { ...machine, ethereumjs: ejsVersion },
  runs,
  rows: rows.map((r) => ({ name: r.name, unit: r.unit, zkos: r.zkos, ethereumjs: r.ethereumjs, ratio: r.ratio, verified: r.verified })),
};
if (jsonFile !== undefined) {
  writeFileSync(jsonFile, JSON.stringify(json, null, 2) + '\n');
  console.log(`wrote ${jsonFile}`);
}

const md = [
  '# Benchmark results',
  '',
  `Written by \`npm run bench\` on ${date} (overwritten by each run).`,
  '',
  `Machine: ${machine.cores} cores (${machine.cpu}), Node ${machine.node}, ${machine.platform}. ` +
    `Peer: @ethereumjs/vm ${ejsVersion}, default in-memory state. Median of ${runs} run${runs === 1 ? '' : 's'}; both engines measured in the same run.`,
  '',
  '| ok | workload | unit | zkos | ethereumjs | zkos/ethereumjs |',
  '|---|---|---|---:|---:|---:|',
  ...rows.map((r) => `| ${r.verified ? '✓' : '✗'} | ${r.name} | ${r.unit} | ${fmt(r.zkos)} | ${fmt(r.ethereumjs)} | ${r.ratio.toFixed(2)}× |`),
  '',
  ...rows.flatMap((r) => r.notes.map((n) => `- ✗ ${r.name}: ${n}`)),
  '- ERC-20: the scenario of `shared/peers/erc20.json`; block 1 (deployment and setup) untimed, then the timed blocks of pre-signed',
  '  EIP-1559 transfers. zkos: `storage/chain.ts` `executeBlock` over a temporary SQLite file in the ethereum profile (decoding,',
  '  sender recovery, execution and per-block persistence timed). ethereumjs: `runTx` per transaction from the same bytes',
  '  (decoding and sender recovery timed) and the MPT state root after each block. Checked: every tx succeeds, the timed gas',
  '  equals `expected.timedGasUsed`, and both state roots (zkos: computed from its block diffs, untimed) equal the expected ones.',
  '- compute: `shared/peers/compute.json`; one transaction per run (zkos: `runBlock` over an in-memory pre-state as in',
  '  `bench/compute.bench.ts`; ethereumjs: fresh VM, both contracts deployed untimed, then `runTx`). Checked: gas used and return',
  '  data equal the JSON\'s.',
  '- compute.json places Fib at sender 1\'s CREATE address for nonce 4 (its note says nonce 1); ethereumjs deploys each',
  '  contract at the nonce that gives the JSON\'s address, then the shared workload tx (nonce 2) runs.',
  '- zkos computes no MPT root while timed (the ERC-20 roots are checked from its diffs afterwards); ethereumjs computes',
  '  one per block, as in the peer baseline.',
  '- The machine is shared; expect noise between runs.',
  '',
].join('\n');
writeFileSync(join(fileURLToPath(new URL('.', import.meta.url)), 'RESULTS.md'), md);
console.log('wrote bench/RESULTS.md');
