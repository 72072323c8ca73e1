// Fixtures for the storage tests: temporary database files, and a small chain of real signed
// transactions — transfers, a deployment, calls that write storage and log, a revert, a rejected
// transaction, an empty block.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hexToBytes } from '../../machine/common/bytes.ts';
import { privateKeyToAddress } from '../../machine/crypto/index.ts';
import { createAddress } from '../../machine/ee/evm/calls.ts';
import type { PreStateAccount } from '../../machine/oracle/memory.ts';
import type { BlockMetadata } from '../../machine/oracle/types.ts';
import { account, metadata, SENDER, tx } from '../helpers/chain.ts';

export interface TempDir {
  dir: string;
  file(name: string): string;
  cleanup(): void;
}

export function tempDir(): TempDir {
  const dir = mkdtempSync(join(tmpdir(), 'zkos-storage-'));
  return { dir, file: (name) => join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const KEY2 = hexToBytes('0x8da4ef21b864d2cc526dbdb2a120bd2874c36c9d0a1fb7f8c63d7f7a8b41de8f');
export const SENDER2 = privateKeyToAddress(KEY2);
export const BOB = 0xb0b0000000000000000000000000000000000b0bn;
export const TOPIC = 0x77n;
/** The value that makes STORE revert. */
export const REVERT_ARG = 0xdeadn;

/**
 * STORE: x = calldata[0:32]; if x == 0xdead revert; else slot0 = x and LOG1(topic 0x77, x).
 *   0 PUSH0 CALLDATALOAD DUP1 PUSH2 dead EQ PUSH1 22 JUMPI DUP1 PUSH0 SSTORE PUSH0 MSTORE
 *  15 PUSH1 77 PUSH1 20 PUSH0 LOG1 STOP 22 JUMPDEST PUSH0 PUSH0 REVERT
 */
export const STORE_RUNTIME = hexToBytes('5f358061dead1460165780' + '5f555f52' + '6077' + '60205fa1' + '00' + '5b5f5ffd');
/** Constructor: slot1 = 42, then returns STORE_RUNTIME. */
const RUNTIME_LEN = STORE_RUNTIME.length.toString(16).padStart(2, '0');
export const STORE_INIT = hexToBytes('602a600155' + '60' + RUNTIME_LEN + '600f5f39' + '60' + RUNTIME_LEN + '5ff3');
export const STORE_INIT_CODE = new Uint8Array([...STORE_INIT, ...STORE_RUNTIME]);

/** A STORE contract present from genesis, with slot0 = 5. */
export const OLD_STORE = 0x57023000000000000000000000000000000057a3n;

export function genesisAccounts(): Map<bigint, PreStateAccount> {
  return new Map<bigint, PreStateAccount>([
    [SENDER, account({ balance: 10n ** 24n })],
    [SENDER2, account({ balance: 10n ** 22n, nonce: 3n })],
    [OLD_STORE, account({ code: STORE_RUNTIME, nonce: 1n, storage: new Map([[0n, 5n]]) })],
  ]);
}

/** The contract block 1 deploys (SENDER's nonce 1). */
export const DEPLOYED = createAddress(SENDER, 1n);

const word = (v: bigint): Uint8Array => hexToBytes(v.toString(16).padStart(64, '0'));

export interface ScenarioBlock {
  meta: BlockMetadata;
  txs: Uint8Array[];
}

export function blockMeta(n: number): BlockMetadata {
  return metadata({ blockNumber: BigInt(n), timestamp: 1000n + BigInt(n) * 12n });
}

export function scenario(): ScenarioBlock[] {
  return [
    {
      meta: blockMeta(1),
      txs: [
        tx({ nonce: 0n, to: BOB, value: 1000n }),
        tx({ nonce: 3n, to: BOB, value: 5n }, KEY2),
        tx({ nonce: 1n, to: null, data: STORE_INIT_CODE }),
      ],
    },
    {
      meta: blockMeta(2),
      txs: [
        tx({ nonce: 2n, to: DEPLOYED, data: word(7n) }),
        tx({ nonce: 3n, to: DEPLOYED, data: word(REVERT_ARG) }), // reverts
        tx({ nonce: 9n, to: BOB, value: 1n }), // nonce too high: rejected
        tx({ nonce: 4n, to: BOB, value: 1n }, KEY2),
      ],
    },
    {
      meta: blockMeta(3),
      txs: [tx({ nonce: 4n, to: DEPLOYED, data: word(9n) }), tx({ nonce: 5n, to: OLD_STORE, data: word(3n) }), tx({ nonce: 6n, to: BOB, value: 2n })],
    },
    { meta: blockMeta(4), txs: [] },
  ];
}
