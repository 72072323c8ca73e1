// Oracle query 10 over the state database: whether an account had storage before a block
// (EIP-7610 creation collisions in the ethereum profile).
import { afterEach, describe, expect, it } from 'vitest';
import { openChain } from '../../storage/chain.ts';
import { DbOracle } from '../../storage/oracle.ts';
import { account, metadata } from '../helpers/chain.ts';
import { tempDir, type TempDir } from './helpers.ts';

let dir: TempDir | null = null;
afterEach(() => {
  dir?.cleanup();
  dir = null;
});

describe('DbOracle.accountHasStorage', () => {
  it('answers from the latest value of every slot as of the parent block', () => {
    dir = tempDir();
    const chain = openChain(dir.file('chain.db'));
    chain.genesis(
      new Map([
        [0xa1n, account({ storage: new Map([[5n, 1n]]) })],
        [0xa2n, account({ balance: 1n })],
      ]),
    );
    const oracle = new DbOracle(chain.state, 0, metadata(), []);
    expect(oracle.accountHasStorage(0xa1n)).toBe(true);
    expect(oracle.accountHasStorage(0xa2n)).toBe(false);
    expect(oracle.accountHasStorage(0xa3n)).toBe(false);
    chain.close();
  });
});
