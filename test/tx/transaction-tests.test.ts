// ethereum/tests TransactionTests (Cancun results): a vendored subset always, the whole suite when
// it is present (ZKOS_ETHEREUM_TESTS, or /work/shared/ethereum-tests).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runTransactionTest, type TransactionTestCase } from '../../machine/tx/conformance.ts';

const here = dirname(fileURLToPath(import.meta.url));
const VENDORED = join(here, '..', 'fixtures', 'TransactionTests');
const FULL = join(process.env.ZKOS_ETHEREUM_TESTS ?? '/work/shared/ethereum-tests', 'TransactionTests');

function jsonFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) return jsonFiles(p);
      return name.endsWith('.json') ? [p] : [];
    });
}

function cases(root: string): Array<[string, TransactionTestCase]> {
  return jsonFiles(root).flatMap((file) => {
    const tests = JSON.parse(readFileSync(file, 'utf8')) as Record<string, TransactionTestCase>;
    return Object.entries(tests).map(([name, t]): [string, TransactionTestCase] => [`${relative(root, file)} ${name}`, t]);
  });
}

function suite(title: string, root: string): void {
  describe(title, () => {
    const all = cases(root);
    it.each(all)('%s', (_name, test) => {
      const o = runTransactionTest(test);
      expect(o.detail).toBe('');
      expect(o.pass, `expected ${o.expected} (${o.fork}), got ${o.actual}`).toBe(true);
    });
  });
}

describe('vendored TransactionTests subset', () => {
  it('covers every subfolder of the suite', () => {
    const dirs = readdirSync(VENDORED).filter((d) => statSync(join(VENDORED, d)).isDirectory());
    expect(dirs.sort()).toEqual([
      'ttAddress', 'ttData', 'ttEIP1559', 'ttEIP2028', 'ttEIP2930', 'ttEIP3860', 'ttGasLimit', 'ttGasPrice',
      'ttNonce', 'ttRSValue', 'ttSignature', 'ttVValue', 'ttValue', 'ttWrongRLP',
    ]);
  });
});

suite('TransactionTests (vendored)', VENDORED);
if (existsSync(FULL)) suite(`TransactionTests (full: ${FULL})`, FULL);
