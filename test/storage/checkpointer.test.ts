// The WAL checkpointer thread: while it runs the writer's automatic checkpoints are off and the
// WAL's pages still reach the database file; stopped (or closed), the writer checkpoints again;
// everything stored reads back and replays from a fresh connection, and after close the database
// file alone holds it all.
import { copyFileSync, statSync } from 'node:fs';
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
    await until(() => chain.checkpointingInBackground, 'the checkpointer to take over');
    expect(auto()).toBe(0);
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

  it('leaves the whole chain in the database file on close: a copy of the file alone is complete', async () => {
    const path = tmp.file('copy.db');
    const chain = openChain(path, { backgroundCheckpoint: true });
    await until(() => chain.checkpointingInBackground, 'the checkpointer to take over');
    chain.genesis(genesisAccounts(), { chainId: 1n });
    const blocks = scenario();
    const before = statSync(path).size;
    for (const b of blocks.slice(0, -1)) chain.executeBlock(b.meta, b.txs, new EthereumProfile());
    // The thread has its connection on the file in use...
    await until(() => statSync(path).size > before, 'the thread to checkpoint');
    // ...and the last block is in the WAL only when the writer closes.
    const last = blocks[blocks.length - 1]!;
    chain.executeBlock(last.meta, last.txs, new EthereumProfile());
    const head = chain.head();
    chain.close();
    // At once, before the thread has closed its own connection: only the file, no WAL beside it.
    const alone = tmp.file('alone.db');
    copyFileSync(path, alone);
    const copy = openChain(alone, { readonly: true });
    try {
      expect(copy.head()).toBe(head);
      expect(copy.replayBlock(head).identical).toBe(true);
    } finally {
      copy.close();
    }
  });

  it('takes over while the writer runs a synchronous loop (no event loop turn needed)', () => {
    const path = tmp.file('sync.db');
    const chain = openChain(path, { backgroundCheckpoint: true });
    try {
      const nap = new Int32Array(new SharedArrayBuffer(4));
      const t0 = Date.now();
      while (!chain.checkpointingInBackground && Date.now() - t0 < 10_000) Atomics.wait(nap, 0, 0, 10);
      expect(chain.checkpointingInBackground).toBe(true);
      expect(chain.db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    } finally {
      chain.close();
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
