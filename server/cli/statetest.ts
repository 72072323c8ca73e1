// `zkos statetest`: files are handed one at a time to worker processes (one per core).
import { fork } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runStateTestFile, type EntryResult } from '../statetest/runner.ts';

const BIN = fileURLToPath(new URL('../../bin/zkos.js', import.meta.url));

function collect(paths: string[]): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    const st = statSync(p);
    if (st.isDirectory()) for (const e of readdirSync(p).sort()) walk(join(p, e));
    else if (p.endsWith('.json')) out.push(p);
  };
  for (const p of paths) walk(resolve(p));
  return out;
}

interface Options {
  paths: string[];
  json: boolean;
  jobs: number;
  filter: string | null;
}

function parse(args: string[]): Options {
  const o: Options = { paths: [], json: false, jobs: Math.max(1, cpus().length), filter: null };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--json') o.json = true;
    else if (a === '--jobs') o.jobs = Math.max(1, Number(args[++i]));
    else if (a === '--filter') o.filter = args[++i];
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else o.paths.push(a);
  }
  if (o.paths.length === 0) throw new Error('statetest needs at least one file or directory');
  return o;
}

export async function statetestCommand(args: string[]): Promise<number> {
  let o: Options;
  try {
    o = parse(args);
  } catch (e) {
    process.stderr.write(`zkos statetest: ${(e as Error).message}\n`);
    return 2;
  }
  const files = collect(o.paths);
  const started = Date.now();
  const results = await runInWorkers(files, o);
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const cwd = process.cwd();
  for (const r of results) {
    if (r.skipped) skipped++;
    else if (r.ok) passed++;
    else {
      failed++;
      if (!o.json) process.stdout.write(`FAIL ${relative(cwd, r.file)} ${r.test} d${r.index.data} g${r.index.gas} v${r.index.value}: ${r.reason}\n`);
    }
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (o.json) process.stdout.write(JSON.stringify({ passed, failed, skipped, seconds: Number(seconds), results }, null, 1) + '\n');
  else process.stdout.write(`${files.length} files in ${seconds} s\n`);
  process.stdout.write(`${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  return failed > 0 ? 1 : 0;
}

function runInWorkers(files: string[], o: Options): Promise<EntryResult[]> {
  const results: EntryResult[] = [];
  let next = 0;
  const jobs = Math.min(o.jobs, files.length);
  if (jobs === 0) return Promise.resolve(results);
  return new Promise((resolveAll, rejectAll) => {
    let live = jobs;
    for (let w = 0; w < jobs; w++) {
      const child = fork(BIN, ['__statetest-worker'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: ['--max-old-space-size=4096'] });
      let current: string | null = null;
      const feed = () => {
        if (next < files.length) {
          current = files[next++];
          child.send({ file: current, filter: o.filter });
        } else {
          current = null;
          child.disconnect();
        }
      };
      child.on('message', (m: { results: EntryResult[] }) => {
        results.push(...m.results);
        feed();
      });
      child.on('exit', (code) => {
        if (current !== null) {
          results.push({ file: current, test: '(whole file)', index: { data: -1, gas: -1, value: -1 }, ok: false, reason: `worker exited with code ${code}` });
          if (next < files.length) {
            rejectAll(new Error(`statetest worker died on ${current}`));
            return;
          }
        }
        if (--live === 0) resolveAll(results);
      });
      feed();
    }
  });
}

export function statetestWorker(): Promise<number> {
  return new Promise((done) => {
    process.on('message', (m: { file: string; filter: string | null }) => {
      const filter = m.filter;
      const t0 = Date.now();
      const results = runStateTestFile(m.file, filter ? (n) => n.includes(filter) : undefined);
      if (process.env.ZKOS_STATETEST_TIMING) process.stderr.write(`${Date.now() - t0} ms ${m.file}\n`);
      process.send!({ results });
    });
    process.on('disconnect', () => done(0));
  });
}
