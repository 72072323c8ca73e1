// A block that runs out of its memory arena is a failed block: the chain stores none of it, goes
// on with the next one, and a chain with a budget that holds the block runs and replays it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EthereumProfile } from '../../machine/bootloader/ethereum.ts';
import { hexToBytes } from '../../machine/common/bytes.ts';
import { ArenaExhausted } from '../../machine/system/arena.ts';
import { openChain } from '../../storage/chain.ts';
import { account, SENDER, tx } from '../helpers/chain.ts';
import { assemble } from '../zksync/asm.ts';
import { BOB, blockMeta, tempDir, type TempDir } from './helpers.ts';

const HOG = 0xb0001n; // MSTORE(calldata word, 1): a heap of that many bytes (+32)
const word = (v: bigint) => hexToBytes('0x' + v.toString(16).padStart(64, '0'));

let tmp: TempDir;
let path: string;

beforeEach(() => {
  tmp = tempDir();
  path = tmp.file('chain.db');
  const chain = openChain(path);
  chain.genesis(
    new Map([
      [SENDER, account({ balance: 10n ** 24n })],
      [HOG, account({ code: assemble(1, 0, 'CALLDATALOAD', 'MSTORE', 'STOP'), nonce: 1n })],
    ]),
  );
  chain.close();
});
afterEach(() => tmp.cleanup());

const hungry = (nonce: bigint) => [tx({ nonce, to: BOB, value: 1n }), tx({ nonce: nonce + 1n, to: HOG, data: word(64n * 1024n), gasLimit: 200_000n })];

describe('a block that exhausts the arena', () => {
  it('leaves nothing stored, and the chain goes on', () => {
    const small = openChain(path, { arenaBytes: 32 * 1024 });
    try {
      const rows = () => small.db.prepare('SELECT count(*) FROM transactions').pluck().get();
      const before = rows();
      expect(() => small.executeBlock(blockMeta(1), hungry(0n), new EthereumProfile())).toThrow(ArenaExhausted);
      expect(small.head()).toBe(0);
      expect(rows()).toBe(before);
      expect(small.accountAt(BOB)).toBeNull(); // the first transaction's transfer is not half-applied
      expect(small.db.inTransaction).toBe(false);
      // Another block 1 goes through on the same connection.
      small.executeBlock(blockMeta(1), [tx({ nonce: 0n, to: BOB, value: 1n })], new EthereumProfile());
      expect(small.head()).toBe(1);
    } finally {
      small.close();
    }
    // With the default budget the hungry block runs, and replays identically from its log.
    const roomy = openChain(path);
    try {
      const out = roomy.executeBlock(blockMeta(2), hungry(1n), new EthereumProfile());
      expect(out.results.map((r) => r.kind === 'executed' && r.receipt.success)).toEqual([true, true]);
      expect(roomy.replayBlock(2)).toMatchObject({ identical: true });
    } finally {
      roomy.close();
    }
    // Replaying it under the small budget fails the same clean way, not with a divergence.
    const small2 = openChain(path, { arenaBytes: 32 * 1024 });
    try {
      expect(() => small2.replayBlock(2)).toThrow(ArenaExhausted);
    } finally {
      small2.close();
    }
  });
});
