#!/usr/bin/env node
// Builds the batch secp256k1 recovery addon (machine/crypto/native) with node-gyp; run by
// `npm install`. A failed build does not fail the install: recovery then runs on @noble/curves,
// the same answers ~50x slower, and `cryptoBackends()` (checked by the tests) reports 'js'.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'machine', 'crypto', 'native');
// npm tells its scripts where its own node-gyp is; run by hand, look beside npm.
const candidates = [process.env.npm_config_node_gyp, join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js')];
const gyp = candidates.find((p) => p !== undefined && existsSync(p));
const args = gyp === undefined ? ['node-gyp', ['rebuild']] : [process.execPath, [gyp, 'rebuild']];
// Quiet when it works; the whole log when it does not.
const run = spawnSync(args[0], args[1], { cwd: dir, encoding: 'utf8' });
if (run.status === 0) {
  console.log('zkos: built the secp256k1 batch-recovery addon (machine/crypto/native)');
} else {
  process.stderr.write(`${run.stdout ?? ''}${run.stderr ?? ''}${run.error ? `${run.error}\n` : ''}`);
  console.warn('zkos: the secp256k1 batch-recovery addon did not build; signatures will be recovered in pure JS (much slower).');
}
