// `zkos serve`: the replay server over a chain database (server/api), and `zkos start`: the demo
// into a database (when it has no chain yet) and then the server over it (what `npm start` runs).
import { existsSync, readFileSync } from 'node:fs';
import type { ApiLimits } from '../api/services.ts';
import { openChain } from '../../storage/chain.ts';
import { demoOptions, runDemoCommand } from './demo.ts';
import { intOption, parseArgs, UsageError, type ParsedArgs } from './common.ts';

export const DEFAULT_PORT = 8545;
const MIN_TOKEN_LENGTH = 16;

export const SERVE_USAGE = `  serve --db FILE [--port P] [--host H] [--token-file FILE] [--max-runs N]
      Serves the chain in FILE over HTTP as a tRPC API at http://H:P/trpc (default
      127.0.0.1:${DEFAULT_PORT}; port 0 picks a free one) and prints the URL. Reads run on a
      read-only connection. Ingest, replay ranges, proving replay and witnesses need the token
      from --token-file or ZKOS_API_TOKEN (at least ${MIN_TOKEN_LENGTH} characters); without one they
      are disabled. --max-runs caps replays and re-executions running at once (default 2).
  start [--db FILE] [--blocks N] [--txs-per-block M] [--port P] [--host H] [--token-file FILE]
      Runs the demo into FILE (default data/zkos.db) when it holds no chain yet, then serves it.
`;

interface ServeOptions {
  db: string;
  host: string;
  port: number;
  token: string | null;
  limits: Partial<ApiLimits>;
}

const SERVE_FLAGS = ['port', 'host', 'token-file', 'max-runs'] as const;

function serveOptions(p: ParsedArgs, db: string): ServeOptions {
  const file = p.options.get('token-file');
  let token: string | null = null;
  if (file !== undefined) {
    if (!existsSync(file)) throw new UsageError(`--token-file ${file} does not exist`);
    token = readFileSync(file, 'utf8').trim();
  } else if (process.env.ZKOS_API_TOKEN !== undefined && process.env.ZKOS_API_TOKEN !== '') {
    token = process.env.ZKOS_API_TOKEN.trim();
  }
  if (token !== null && (token.length < MIN_TOKEN_LENGTH || /\s/.test(token))) {
    throw new UsageError(`the API token must be at least ${MIN_TOKEN_LENGTH} characters without spaces`);
  }
  const maxRuns = intOption(p, 'max-runs', undefined, 1, 64);
  return {
    db,
    host: p.options.get('host') ?? '127.0.0.1',
    port: intOption(p, 'port', DEFAULT_PORT, 0, 65535)!,
    token,
    limits: maxRuns === undefined ? {} : { maxConcurrentRuns: maxRuns },
  };
}

function usageError(cmd: string, e: unknown): number {
  if (!(e instanceof UsageError)) throw e;
  process.stderr.write(`zkos ${cmd}: ${e.message}\n${SERVE_USAGE}`);
  return 2;
}

export function serveCommand(args: string[]): Promise<number> | number {
  let o: ServeOptions;
  try {
    const p = parseArgs(args, ['db', ...SERVE_FLAGS]);
    if (p.positional.length > 0) throw new UsageError(`unexpected argument '${p.positional[0]}'`);
    const db = p.options.get('db');
    if (db === undefined) throw new UsageError('--db FILE is required');
    o = serveOptions(p, db);
  } catch (e) {
    return usageError('serve', e);
  }
  if (!existsSync(o.db)) {
    process.stderr.write(`zkos serve: ${o.db} does not exist: create a chain with "zkos demo --db ${o.db}" or "zkos ingest --db ${o.db} BLOCKS.json"\n`);
    return 2;
  }
  return serve(o);
}

export function startCommand(args: string[]): Promise<number> | number {
  let demo: ReturnType<typeof demoOptions>['demo'];
  let o: ServeOptions;
  try {
    const parsed = demoOptions(args, SERVE_FLAGS);
    demo = parsed.demo;
    o = serveOptions({ options: parsed.options, positional: [] }, demo.db);
  } catch (e) {
    return usageError('start', e);
  }
  let head = -1;
  if (existsSync(demo.db)) {
    const chain = openChain(demo.db, { recoverSenders: true, backgroundCheckpoint: true });
    try {
      head = chain.head();
    } finally {
      chain.close();
    }
  }
  if (head < 1) {
    const code = runDemoCommand(demo);
    if (code !== 0) return code;
  } else {
    process.stderr.write(`start: ${demo.db} holds a chain up to block ${head}; serving it as it is ("zkos demo --db ${demo.db}" adds blocks, also while it is served)\n`);
  }
  return serve(o);
}

/** Serves until SIGINT or SIGTERM; the exit status. */
async function serve(o: ServeOptions): Promise<number> {
  // Loaded here, not at the top: every other command would pay for loading tRPC and the router.
  const { startServer } = await import('../api/http.ts');
  const { openServices } = await import('../api/services.ts');
  const services = openServices(o.db, { token: o.token, limits: o.limits });
  for (const w of services.warnings) process.stderr.write(`zkos serve: warning: ${w}\n`);
  let running;
  try {
    running = await startServer(services, { host: o.host, port: o.port });
  } catch (e) {
    services.close();
    process.stderr.write(`zkos serve: cannot listen on ${o.host}:${o.port}: ${(e as Error).message}\n`);
    return 1;
  }
  const head = services.chain.head();
  process.stdout.write(`zkos API for ${o.db} (head block ${head}) at ${running.url}\n`);
  process.stderr.write(
    o.token === null
      ? 'serve: no API token (ZKOS_API_TOKEN or --token-file): ingest, replay ranges, proving replay and witnesses are disabled\n'
      : 'serve: ingest, replay ranges, proving replay and witnesses need "Authorization: Bearer <token>"\n',
  );
  if (o.host !== '127.0.0.1' && o.host !== 'localhost' && o.host !== '::1') process.stderr.write(`serve: listening on ${o.host}, not only on this machine\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  process.stderr.write('serve: stopping\n');
  await running.close();
  services.close();
  return 0;
}
