// Rows measured on child processes running the zkos CLI as a user would: the peak memory of
// `zkos replay` over the large database, and the wall time of `zkos statetest` over the visible
// GeneralStateTests suite.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dbLabel, type BigDbInfo } from './big-db.ts';
import { median } from './stats.ts';
import { fmt, row, type Row } from './table.ts';

const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const CLI = join(REPO, 'bin', 'zkos.js');
const MAX_RSS = fileURLToPath(new URL('./max-rss.mjs', import.meta.url));
/** Replaying the large database must stay under this peak RSS (issue 7: "under 1 GB"). */
export const MEMORY_TARGET_BYTES = 1e9;

interface ChildRun {
  code: number | null;
  seconds: number;
  stdout: string;
  /** stderr without the max-RSS marker. */
  stderr: string;
  maxRssKib: number | null;
}

/** Runs `node [--import max-rss.mjs] bin/zkos.js args…`, forwarding its progress lines to `log`. */
function runCli(args: string[], log: (s: string) => void, measureRss: boolean): Promise<ChildRun> {
  return new Promise((done, fail) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [...(measureRss ? ['--import', MAX_RSS] : []), CLI, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => {
      err += b.toString();
      for (const line of b.toString().split('\n')) if (/\d+\/\d+ \(\d+%\)/.test(line)) log(`  ${line.trim()}`);
    });
    child.on('error', fail);
    child.on('close', (code) => {
      const m = /zkos-bench-max-rss-kib (\d+)/.exec(err);
      done({
        code,
        seconds: (performance.now() - t0) / 1000,
        stdout: Buffer.concat(out).toString(),
        stderr: err.replace(/\n?zkos-bench-max-rss-kib \d+\n?/, ''),
        maxRssKib: m === null ? null : Number(m[1]),
      });
    });
  });
}

/** Peak RSS of `zkos replay --db <large db>` (forward mode, every block), one run. */
export async function memoryRows(path: string, info: BigDbInfo, log: (s: string) => void): Promise<Row[]> {
  log(`memory: zkos replay --db ${path} (${fmt(info.txs)} txs; several minutes)…`);
  const r = await runCli(['replay', '--db', path, '--mode', 'forward'], log, true);
  const summary = /replayed (\d+) blocks \((\d+)\.\.(\d+)\)(?: in \w+ mode)?: (\d+) identical, (\d+) divergent, (\d+) corrupt.* in ([\d.]+) s\n/.exec(r.stdout);
  const identical = summary !== null && Number(summary[4]) === info.head && r.code === 0;
  const rss = (r.maxRssKib ?? NaN) * 1024;
  const notes = [
    `one run of \`node bin/zkos.js replay --db ${relative(REPO, path)}\` (forward mode, blocks 1..${fmt(info.head)}, ${fmt(info.txs)} txs), ` +
      `peak RSS from getrusage in the child; target < 1 GB ${rss < MEMORY_TARGET_BYTES ? 'met' : 'NOT met'}`,
    `replay throughput at scale: ${summary === null ? '?' : fmt(info.txs / Number(summary[7]))} tx/s by the command's own clock ` +
      `(${summary === null ? '?' : fmt(Number(summary[7]))} s; ${fmt(r.seconds)} s with process start)`,
  ];
  if (!identical) notes.push(`✗ exit ${r.code}; ${summary === null ? 'no summary line' : summary[0]}; ${r.stderr.trim().split('\n').slice(-3).join(' / ')}`);
  return [row(`peak RSS replaying the ${dbLabel(info)} (zkos replay)`, 'MiB', rss / 2 ** 20, null, identical, notes)];
}

/** GeneralStateTests/ of $ZKOS_ETHEREUM_TESTS or ../shared/ethereum-tests; null when absent. */
export function stateTestsDir(): string | null {
  const root = process.env.ZKOS_ETHEREUM_TESTS ?? resolve(REPO, '..', 'shared', 'ethereum-tests');
  const dir = join(root, 'GeneralStateTests');
  return existsSync(dir) ? dir : null;
}

/** Wall time of `zkos statetest <GeneralStateTests>`, median of `runs`. */
export async function conformanceRows(dir: string, runs: number, log: (s: string) => void): Promise<Row[]> {
  const seconds: number[] = [];
  const counts: string[] = [];
  let ok = true;
  for (let i = 0; i < runs; i++) {
    log(`conformance run ${i + 1}: zkos statetest ${dir}…`);
    const r = await runCli(['statetest', dir], log, false);
    const m = /(\d+) passed, (\d+) failed, (\d+) skipped/.exec(r.stdout);
    ok &&= m !== null && Number(m[2]) === 0 && r.code === 0;
    seconds.push(r.seconds);
    counts.push(m === null ? `exit ${r.code}, no summary` : m[0]);
    log(`conformance run ${i + 1}: ${fmt(r.seconds)} s, ${counts[i]}`);
  }
  return [
    row('GeneralStateTests wall time (zkos statetest)', 's', median(seconds), null, ok, [
      `\`node bin/zkos.js statetest ${relative(REPO, dir)}\` (--jobs defaults to the ${cpus().length} cores), per run ${seconds.map((s) => fmt(s)).join(', ')} s; ${[...new Set(counts)].join(' / ')}`,
      'ethereumjs is not run on the suite here (shared/peers/README.md reports 1,359.5 s on one core for 20,969 Cancun entries: another set and another core count, not comparable)',
    ]),
  ];
}
