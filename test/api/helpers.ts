// A small demo chain for the API tests: the demo workload run programmatically into a
// temporary database, and the services and callers over it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TxReceipt } from '../../machine/bootloader/types.ts';
import { openChain, type Chain } from '../../storage/chain.ts';
import { runDemo, type DemoRun } from '../../server/demo/run.ts';
import { createCaller } from '../../server/api/router.ts';
import { openServices, type ApiLimits, type ApiServices } from '../../server/api/services.ts';

export const TEST_TOKEN = 'test-token-0123456789';

export interface DemoDb {
  dir: string;
  path: string;
  run: DemoRun;
  cleanup(): void;
}

/** A demo chain of `blocks` blocks of `perBlock` transactions in a new temporary file. */
export function demoDb(blocks = 3, perBlock = 24): DemoDb {
  const dir = mkdtempSync(join(tmpdir(), 'zkos-api-'));
  const path = join(dir, 'chain.db');
  const chain = openChain(path);
  let run: DemoRun;
  try {
    run = runDemo(chain, { blocks, perBlock });
  } finally {
    chain.close();
  }
  return { dir, path, run, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function services(path: string, opts: { token?: string | null; limits?: Partial<ApiLimits> } = {}): ApiServices {
  return openServices(path, { token: opts.token === undefined ? TEST_TOKEN : opts.token, limits: opts.limits });
}

/** A caller presenting `credential` (default: the test token). */
export function caller(s: ApiServices, credential: string | null = TEST_TOKEN) {
  return createCaller({ services: s, credential });
}

/** A second connection to read expected values from the store directly. */
export function storeOf(path: string): Chain {
  return openChain(path, { readonly: true });
}

/** A demo chain with the API services, a caller and a second read connection over it. */
export interface ApiFixture {
  db: DemoDb;
  s: ApiServices;
  store: Chain;
  c: ReturnType<typeof caller>;
  close(): void;
}

export function apiFixture(blocks: number, perBlock: number, opts: { limits?: Partial<ApiLimits> } = {}): ApiFixture {
  const db = demoDb(blocks, perBlock);
  const s = services(db.path, opts);
  const store = storeOf(db.path);
  return {
    db,
    s,
    store,
    c: caller(s),
    close() {
      s.close();
      store.close();
      db.cleanup();
    },
  };
}

export const hex = (v: bigint): string => `0x${v.toString(16)}`;
export const addrHex = (a: bigint): string => `0x${a.toString(16).padStart(40, '0')}`;

/** The executed receipts of block n, read from the store. */
export function storedReceipts(store: Chain, n: number): TxReceipt[] {
  return store.reader.transactions(n).flatMap((t) => (t.result.kind === 'executed' ? [t.result.receipt] : []));
}
