// The `zkos` command line.
import { initCrypto } from '../../machine/crypto/index.ts';
import { demoCommand, DEMO_USAGE } from './demo.ts';
import { ingestCommand, INGEST_USAGE } from './ingest.ts';
import { replayCommand, REPLAY_USAGE } from './replay.ts';
import { serveCommand, SERVE_USAGE, startCommand } from './serve.ts';
import { statetestCommand, statetestWorker } from './statetest.ts';
import { proveCommand, witnessCommand, WITNESS_USAGE } from './witness.ts';

const USAGE = `usage: zkos <command> [options]

commands:
  statetest <file|dir>... [--json] [--jobs N] [--filter SUBSTRING]
      Runs Ethereum GeneralStateTests (Cancun entries) through the bootloader in the
      ethereum profile; prints each failure and "N passed, M failed, K skipped".
${DEMO_USAGE}${INGEST_USAGE}${REPLAY_USAGE}${WITNESS_USAGE}${SERVE_USAGE}`;

async function main(argv: string[]): Promise<number> {
  await initCrypto();
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'statetest':
      return statetestCommand(rest);
    case 'demo':
      return demoCommand(rest);
    case 'ingest':
      return ingestCommand(rest);
    case 'replay':
      return replayCommand(rest);
    case 'serve':
      return serveCommand(rest);
    case 'start':
      return startCommand(rest);
    case 'witness':
      return witnessCommand(rest);
    case 'prove':
      return proveCommand(rest);
    case '__statetest-worker':
      return statetestWorker();
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return cmd === undefined ? 2 : 0;
    default:
      process.stderr.write(`zkos: unknown command '${cmd}'\n${USAGE}`);
      return 2;
  }
}

process.exitCode = await main(process.argv.slice(2));
