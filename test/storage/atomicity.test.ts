// A block is wholly stored or not at all: a failure at any step of persisting leaves no row of the
// block anywhere, and the chain goes on. One writer at a time; readers are never blocked.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EthereumProfile } from '../../machine/bootloader/ethereum.ts';
import { openChain, type Chain } from '../../storage/chain.ts';
import type { PersistStep } from '../../storage/store.ts';
import { genesisAccounts, scenario, tempDir, type TempDir } from './helpers.ts';

let tmp: TempDir;
let chain: Chain;
let path: string;

beforeEach(() => {
  tmp = tempDir();
  path = tmp.file('chain.db');
  chain = openChain(path);
  chain.genesis(genesisAccounts());
});
afterEach(() => {
  chain.close();
  tmp.cleanup();
});

const STEPS: PersistStep[] = ['block', 'block_logs', 'transactions', 'logs', 'l2_to_l1', 'state_diff', 'slot_history', 'preimages'];
const BY_BLOCK: Array<[table: string, column: string]> = [
  ['blocks', 'number'],
  ['block_logs', 'block'],
  ['transactions', 'block'],
  ['logs', 'block'],
  ['l2_to_l1_logs', 'block'],
  ['l2_to_l1_messages', 'block'],
  ['account_diffs', 'block'],
  ['slot_diffs', 'block'],
  ['slot_history', 'block'],
  ['preimages', 'block'],
];

function rowsOf(n: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [t, c] of BY_BLOCK) out[t] = chain.db.prepare(`SELECT count(*) FROM ${t} WHERE ${c} = ?`).pluck().get(n) as number;
  return out;
}

const none = Object.fromEntries(BY_BLOCK.map(([t]) => [t, 0]));

describe('atomic blocks', () => {
  it('leaves no partial block when persisting fails at any step', () => {
    const [b1, b2] = scenario();
    chain.executeBlock(b1.meta, b1.txs, new EthereumProfile());
    const before = chain.db.prepare('SELECT count(*) FROM slot_history').pluck().get();
    for (const failAt of STEPS) {
      const seen: PersistStep[] = [];
      chain.store.onPersistStep = (step) => {
        seen.push(step);
        if (step === failAt) throw new Error(`simulated failure after ${step}`);
      };
      expect(() => chain.executeBlock(b2.meta, b2.txs, new EthereumProfile())).toThrow(`simulated failure after ${failAt}`);
      expect(seen[seen.length - 1]).toBe(failAt);
      expect(chain.head()).toBe(1);
      expect(rowsOf(2)).toEqual(none);
      expect(chain.db.prepare('SELECT count(*) FROM slot_history').pluck().get()).toBe(before);
      expect(chain.db.inTransaction).toBe(false);
    }
    // Nothing stuck: the same block goes through once the failure is gone, and replays.
    chain.store.onPersistStep = null;
    chain.executeBlock(b2.meta, b2.txs, new EthereumProfile());
    expect(chain.head()).toBe(2);
    expect(rowsOf(2).transactions).toBe(b2.txs.length);
    expect(chain.replayBlock(2)).toMatchObject({ identical: true });
  });

  it('walks every step, in order, for a stored block', () => {
    const seen: PersistStep[] = [];
    chain.store.onPersistStep = (step) => seen.push(step);
    const [b1] = scenario();
    chain.executeBlock(b1.meta, b1.txs, new EthereumProfile());
    expect(seen).toEqual(STEPS);
  });

  it('stores nothing of a block whose execution throws', () => {
    const [b1] = scenario();
    const broken = new EthereumProfile();
    broken.execute = () => {
      throw new Error('machine failure');
    };
    expect(() => chain.executeBlock(b1.meta, b1.txs, broken)).toThrow('machine failure');
    expect(chain.head()).toBe(0);
    expect(rowsOf(1)).toEqual(none);
  });
});

describe('one writer', () => {
  it('makes a second writer wait, then fail with SQLITE_BUSY, while readers go on', () => {
    const [b1] = scenario();
    const other = openChain(path, { busyTimeoutMs: 50 });
    const reader = openChain(path, { readonly: true });
    try {
      chain.db.exec('BEGIN IMMEDIATE');
      const t0 = Date.now();
      expect(() => other.executeBlock(b1.meta, b1.txs, new EthereumProfile())).toThrow(/database is locked/);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(40);
      expect(reader.head()).toBe(0);
      expect(reader.accountAt(genesisAccounts().keys().next().value!, 0)).not.toBeNull();
      chain.db.exec('COMMIT');
      other.executeBlock(b1.meta, b1.txs, new EthereumProfile());
      expect(chain.head()).toBe(1);
      expect(reader.head()).toBe(1);
      // The first connection now sees a head it did not write: it builds on it, never beside it.
      const b2 = scenario()[1];
      chain.executeBlock(b2.meta, b2.txs, new EthereumProfile());
      expect(other.replayBlock(2)).toMatchObject({ identical: true });
    } finally {
      other.close();
      reader.close();
    }
  });
});
