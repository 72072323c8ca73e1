// The WAL checkpointer thread: while it runs the writer's automatic checkpoints are off and the
// WAL's pages still reach the database file; stopped (or closed), the writer checkpoints again;
// everything stored reads back and replays from a fresh connection.
import { statSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { EthereumProfile } from '../../machine/bootloader/ethereum.ts';
import { openChain } from '../../storage/chain.ts';
import { genesisAccounts, scenario, tempDir } from './helpers.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (cond()) return;
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('background checkpoints', () => {
  it('moves the WAL into the database file off the writer, and hands back on close', async () => {
    const path = tmp.file('cp.db');
    const chain = openChain(path, { backgroundCheckpoint: true });
    const auto = () => chain.db.pragma('wal_autocheckpoint', { simple: true }) as number;
    await until(() => auto() === 0, 'the checkpointer to take over');
    chain.genesis(genesisAccounts(), { chainId: 1n });
    const before = statSync(path).size;
    for (const b of scenario()) chain.executeBlock(b.meta, b.txs, new EthereumProfile());
    // The blocks were committed to the WAL only; the thread copies them into the file.
    await until(() => statSync(path).size > before, 'the database file to grow');
    const head = chain.head();
    chain.close();

    const again = openChain(path, { readonly: true });
    try {
      expect(again.head()).toBe(head);
      for (let n = 1; n <= head; n++) expect(again.replayBlock(n).identical).toBe(true);
    } finally {
      again.close();
    }
  });

  it('is not started for an in-memory database', () => {
    const mem = openChain(':memory:', { backgroundCheckpoint: true });
    try {
      expect(mem.db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    } finally {
      mem.close();
    }
  });
});
