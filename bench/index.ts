// zkos vs ethereumjs (issue 7): one table, every row measured in this run — for both engines where
// ethereumjs has a counterpart, '—' where it has none — on the workloads shared with the peer
// baselines (../shared/peers or $ZKOS_PEERS). Timed rows are the median of --runs (default 3).
// Prints the machine and the table; writes bench/RESULTS.md after a full run, and with --json FILE
// the table as JSON.
//
// Usage: npm run bench [-- --runs N] [-- --json FILE] [-- --only erc20,compute,proving,queries,memory,conformance]
//        [-- --big-txs N] [-- --samples N]
//   --big-txs  size of the query / replay-memory database (default 1,000,000; cached in bench/.cache)
//   --samples  lookups per query row (default 10,000)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initCrypto } from '../machine/crypto/index.ts';
import { bigDbPath, ensureBigDb } from './lib/big-db.ts';
import { peersDir } from './lib/common.ts';
import { computeRows } from './lib/compute.ts';
import { erc20Rows } from './lib/erc20-rows.ts';
import { conformanceRows, memoryRows, stateTestsDir } from './lib/process-rows.ts';
import { provingRows } from './lib/proving-rows.ts';
import { queryRows } from './lib/query-rows.ts';
import { METHOD_NOTES } from './lib/notes.ts';
import { consoleTable, markdownTable, reportJson, type Machine, type Report, type Row } from './lib/table.ts';

const GROUPS = ['erc20', 'compute', 'proving', 'queries', 'memory', 'conformance'] as const;
type Group = (typeof GROUPS)[number];
const HERE = fileURLToPath(new URL('.', import.meta.url));

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

function positiveInt(name: string, def: number): number {
  const v = Number(arg(name) ?? def);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer`);
  return v;
}

const jsonFile = arg('--json');
const runs = positiveInt('--runs', 3);
const bigTxs = positiveInt('--big-txs', 1_000_000);
const samples = positiveInt('--samples', 10_000);
const only = arg('--only')?.split(',').map((s) => s.trim()) ?? [...GROUPS];
for (const g of only) if (!(GROUPS as readonly string[]).includes(g)) throw new Error(`--only: unknown group '${g}' (groups: ${GROUPS.join(', ')})`);
const wanted = (g: Group) => only.includes(g);

const peers = peersDir();
if (peers === null) {
  console.log('bench: the shared peer workloads (../shared/peers/{erc20,compute}.json, or $ZKOS_PEERS) are not here; nothing to run.');
  process.exit(0);
}

await initCrypto();
const machine: Machine = {
  cores: cpus().length,
  cpu: cpus()[0]?.model.trim() ?? 'unknown',
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
  ethereumjs: packageVersion('@ethereumjs/vm'),
  heapFlags: [...(process.env.NODE_OPTIONS ?? '').split(/\s+/), ...process.execArgv].filter((f) => f.startsWith('--max-')).join(' ') || 'V8 defaults',
  load: { start: loadavg()[0], after: {} },
};
const log = (s: string) => process.stderr.write(s + '\n');
console.log(`machine: ${machine.cores} cores (${machine.cpu}), Node ${machine.node}, ${machine.platform}, heap ${machine.heapFlags}`);
console.log(`engines: zkos (this tree) vs @ethereumjs/vm ${machine.ethereumjs} (default in-memory state); timed rows: median of ${runs} run${runs === 1 ? '' : 's'}`);

const rows: Row[] = [];
const skipped: string[] = [];
/** Runs a wanted group, then notes the load average (how shared the machine was meanwhile). */
async function group(g: Group, measure: () => Row[] | Promise<Row[]>): Promise<void> {
  if (!wanted(g)) return;
  rows.push(...(await measure()));
  machine.load.after[g] = loadavg()[0];
}

await group('erc20', () => erc20Rows(peers, runs, log));
await group('compute', () => computeRows(peers, runs, log));
await group('proving', () => provingRows(peers, runs, log));
if (wanted('queries') || wanted('memory')) {
  const path = bigDbPath(join(HERE, '.cache'), bigTxs);
  const { info, built } = ensureBigDb(path, bigTxs, peers, log);
  await group('queries', () => queryRows(path, info, built, samples, log));
  await group('memory', () => memoryRows(path, info, log));
}
const tests = stateTestsDir();
if (tests !== null) await group('conformance', () => conformanceRows(tests, runs, log));
else if (wanted('conformance')) skipped.push('conformance: no GeneralStateTests (set ZKOS_ETHEREUM_TESTS or put ethereum-tests in ../shared): row skipped');

console.log();
console.log(consoleTable(rows));
for (const s of skipped) console.log(s);
console.log("\n✓ = the row's checks passed in every run (results equal the expected ones, replays identical, proofs valid); blank = nothing to check.");

const loadLine =
  `1-minute load average ${machine.load.start.toFixed(2)} at the start, then after ` +
  Object.entries(machine.load.after).map(([g, l]) => `${g} ${l.toFixed(2)}`).join(', ') +
  ` (${machine.cores} cores)`;
console.log(loadLine);
const report: Report = { date: new Date().toISOString(), machine, runs, rows };
if (jsonFile !== undefined) {
  writeFileSync(jsonFile, reportJson(report));
  console.log(`wrote ${jsonFile}`);
}

// RESULTS.md keeps the last full run only: a subset or a smaller database would replace it with less.
if (only.length === GROUPS.length && bigTxs === 1_000_000) {
  const md = [
    '# Benchmark results',
    '',
    `Written by \`npm run bench\` on ${report.date} (overwritten by each full run).`,
    '',
    `Machine: ${machine.cores} cores (${machine.cpu}), Node ${machine.node}, ${machine.platform}, heap ${machine.heapFlags}; shared with other engineers running tests, so expect noise ` +
      `(${loadLine}). ` +
      `Peer: @ethereumjs/vm ${machine.ethereumjs}, default in-memory state. Timed rows: median of ${runs} run${runs === 1 ? '' : 's'}; both engines measured in the same run.`,
    '',
    markdownTable(rows),
    ...skipped.map((s) => `- ${s}`),
    '',
    '## How each row is measured',
    '',
    ...METHOD_NOTES,
    '',
  ].join('\n');
  writeFileSync(join(HERE, 'RESULTS.md'), md);
  console.log('wrote bench/RESULTS.md');
} else {
  console.log('bench/RESULTS.md not written (it keeps the last full run: no --only, default --big-txs)');
}
