// A vendored subset of the Ethereum GeneralStateTests (Cancun entries) runs in every `npm test`;
// CI runs the whole suite through `zkos statetest`.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runStateTestFile } from '../../server/statetest/runner.ts';

const ROOT = fileURLToPath(new URL('../fixtures/GeneralStateTests', import.meta.url));

/**
 * Entries known to fail, with the cause. A fix must remove its line: the test asserts exactly
 * these fail.
 */
const KNOWN_FAILURES: Record<string, string> = {};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.json') ? [p] : [];
  });
}

describe('GeneralStateTests (vendored subset)', () => {
  const all = files(ROOT).sort();
  it('has a broad subset', () => {
    expect(all.length).toBeGreaterThan(200);
  });
  it.each(all.map((f) => [f.slice(ROOT.length + 1), f]))('%s', (_name, file) => {
    const results = runStateTestFile(file);
    expect(results.length).toBeGreaterThan(0);
    const key = (r: (typeof results)[number]) => `${r.test} d${r.index.data} g${r.index.gas} v${r.index.value}`;
    const unexpected = results.filter((r) => !r.ok && !(key(r) in KNOWN_FAILURES)).map((r) => `${key(r)}: ${r.reason}`);
    const fixed = results.filter((r) => r.ok && key(r) in KNOWN_FAILURES).map(key);
    expect(unexpected).toEqual([]);
    expect(fixed).toEqual([]);
  });
});
