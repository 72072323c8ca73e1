// A multi-block chain of real signed transactions executed over SQLite: everything persisted and
// read back, time-travel reads at several blocks, the DB oracle serving as InMemoryOracle does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EthereumProfile } from '../../machine/bootloader/ethereum.ts';
import { runBlock } from '../../machine/bootloader/machine.ts';
import type { BlockOutput } from '../../machine/bootloader/types.ts';
import { bytesToBigInt } from '../../machine/common/bytes.ts';
import { InMemoryOracle } from '../../machine/oracle/memory.ts';
import { ACCOUNT_PROPERTIES_STORAGE_ADDRESS, ZERO_HASH } from '../../machine/system/account.ts';
import { openChain, type Chain } from '../../storage/chain.ts';
import { byAddressKey, canonicalOutput, canonicalDigest, outputDigest } from '../../storage/digest.ts';
import { ChainError } from '../../storage/errors.ts';
import { SENDER } from '../helpers/chain.ts';
import { BOB, DEPLOYED, genesisAccounts, OLD_STORE, REVERT_ARG, scenario, SENDER2, STORE_RUNTIME, TOPIC, tempDir, type TempDir } from './helpers.ts';

let tmp: TempDir;
let chain: Chain;
const outputs: BlockOutput[] = [];
const blocks = scenario();

beforeAll(() => {
  tmp = tempDir();
  chain = openChain(tmp.file('chain.db'));
  chain.genesis(genesisAccounts(), { chainId: 1n });
  for (const b of blocks) outputs.push(chain.executeBlock(b.meta, b.txs, new EthereumProfile()));
});
afterAll(() => {
  chain.close();
  tmp.cleanup();
});

function chainError(f: () => unknown): ChainError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ChainError);
    return e as ChainError;
  }
  throw new Error('expected a ChainError');
}

describe('a chain over SQLite', () => {
  it('ran the scenario: transfers, a deployment, storage writes, a revert, a rejection', () => {
    expect(chain.head()).toBe(4);
    const kinds = outputs.map((o) => o.results.map((r) => (r.kind === 'rejected' ? r.rejection.error : r.receipt.success ? 'ok' : 'reverted')));
    expect(kinds).toEqual([['ok', 'ok', 'ok'], ['ok', 'reverted', 'TX_NONCE_TOO_HIGH', 'ok'], ['ok', 'ok', 'ok'], []]);
    const deploy = outputs[0].results[2];
    expect(deploy.kind === 'executed' && deploy.receipt.created).toBe(DEPLOYED);
  });

  it('serves as InMemoryOracle: block 1 over genesis gives the same output either way', () => {
    const mem = runBlock(new InMemoryOracle(genesisAccounts(), blocks[0].meta, blocks[0].txs), new EthereumProfile());
    expect(outputDigest(mem)).toEqual(outputDigest(outputs[0]));
    expect(mem.storageWrites).toEqual(outputs[0].storageWrites);
  });

  it('stores each block: context, raw transactions, receipts and rejections, logs, diffs, digest', () => {
    for (let i = 0; i < blocks.length; i++) {
      const n = i + 1;
      const out = outputs[i];
      const b = chain.reader.block(n)!;
      expect(b).toMatchObject({ number: n, profile: 'ethereum', chainId: 1n, timestamp: blocks[i].meta.timestamp, gasUsed: out.gasUsed, txCount: blocks[i].txs.length });
      expect(b.outputDigest).toEqual(outputDigest(out));
      expect(chain.reader.blockContext(n)).toEqual(blocks[i].meta);
      const txs = chain.reader.transactions(n);
      expect(txs.map((t) => t.raw)).toEqual(blocks[i].txs);
      expect(txs.map((t) => t.result)).toEqual(out.results);
      expect(chain.reader.stateDiff(n)).toEqual(canonicalOutput(out).accounts);
      expect(chain.reader.storageWrites(n)).toEqual([...out.storageWrites].sort(byAddressKey));
      // The digest recomputed from the rows alone is the stored one.
      expect(canonicalDigest(chain.reader.output(n)!)).toEqual(b.outputDigest);
    }
  });

  it('keeps a rejection as its code and message, a revert as a receipt', () => {
    const [, reverted, rejected] = chain.reader.transactions(2);
    expect(rejected.result).toEqual({ kind: 'rejected', rejection: { index: 2, error: 'TX_NONCE_TOO_HIGH', message: expect.stringMatching(/nonce 9/) } });
    expect(reverted.result.kind === 'executed' && reverted.result.receipt.success).toBe(false);
    const hash = reverted.result.kind === 'executed' ? reverted.result.receipt.hash : new Uint8Array();
    expect(chain.reader.findTransaction(hash)).toEqual({ block: 2, index: 1 });
  });

  it('indexes logs by address, topic0 and block', () => {
    const byAddress = chain.reader.findLogs({ address: DEPLOYED });
    expect(byAddress.map((l) => [l.block, l.txIndex, bytesToBigInt(l.data)])).toEqual([
      [2, 0, 7n],
      [3, 0, 9n],
    ]);
    expect(byAddress[0].topics).toEqual([TOPIC]);
    const byTopic = chain.reader.findLogs({ topic0: TOPIC, fromBlock: 3 });
    expect(byTopic.map((l) => [l.block, l.logIndex, l.address])).toEqual([
      [3, 0, DEPLOYED],
      [3, 1, OLD_STORE],
    ]);
    expect(chain.reader.findLogs({ topic0: TOPIC, toBlock: 2 }).length).toBe(1);
    expect(chain.reader.findLogs({ address: BOB }).length).toBe(0);
  });

  it('reads state at any stored block (time travel)', () => {
    // slot0 of the deployed contract: unwritten, 7 (the revert with 0xdead left no trace), 9, 9.
    expect([1, 2, 3, 4].map((n) => chain.storageAt(DEPLOYED, 0n, n))).toEqual([0n, 7n, 9n, 9n]);
    expect(chain.state.slotAt(DEPLOYED, 0n, 1)).toEqual({ isNew: true, value: 0n });
    expect(chain.storageAt(DEPLOYED, 1n, 1)).toBe(42n);
    expect([0, 1, 2, 3].map((n) => chain.storageAt(OLD_STORE, 0n, n))).toEqual([5n, 5n, 5n, 3n]);
    expect(chain.storageAt(DEPLOYED, REVERT_ARG)).toBe(0n);

    expect(chain.accountAt(BOB, 0)).toBeNull();
    expect([1, 2, 3, 4].map((n) => chain.accountAt(BOB, n)!.balance)).toEqual([1005n, 1006n, 1008n, 1008n]);
    expect([0, 1, 2, 3].map((n) => chain.accountAt(SENDER, n)!.nonce)).toEqual([0n, 2n, 4n, 7n]);
    expect(chain.accountAt(SENDER2, 2)!.nonce).toBe(5n);

    expect(chain.accountAt(DEPLOYED, 0)).toBeNull();
    const c = chain.accountAt(DEPLOYED, 1)!;
    expect(c.code).toEqual(STORE_RUNTIME);
    expect(c.nonce).toBe(1n);
    expect(c.codeHash).toEqual(chain.accountAt(OLD_STORE, 0)!.codeHash);
    // An account that never had code reports the zero hash, as the state diff does.
    expect(chain.accountAt(BOB)!.codeHash).toEqual(ZERO_HASH);
    // The account hash itself, as stored at (0x8003, address).
    expect(chain.storageAt(ACCOUNT_PROPERTIES_STORAGE_ADDRESS, DEPLOYED, 2)).toBe(bytesToBigInt(chain.accountAt(DEPLOYED, 2)!.propertiesHash));
  });

  it('matches the balance the state diff reported for every block', () => {
    for (let i = 0; i < outputs.length; i++) {
      for (const d of outputs[i].stateDiff) {
        const a = chain.accountAt(d.address, i + 1);
        expect(a === null ? 0n : a.balance).toBe(d.balance);
        for (const [k, v] of d.storage) expect(chain.storageAt(d.address, k, i + 1)).toBe(v);
      }
    }
  });

  it('refuses reads beyond the head and blocks out of order', () => {
    expect(chainError(() => chain.accountAt(BOB, 5)).code).toBe('BLOCK_NOT_FOUND');
    expect(chainError(() => chain.storageAt(BOB, 0n, -1)).code).toBe('BLOCK_NOT_FOUND');
    const e = chainError(() => chain.executeBlock(scenario()[0].meta, [], new EthereumProfile()));
    expect(e.code).toBe('BLOCK_OUT_OF_ORDER');
    expect(e.message).toMatch(/block number 1 given, the next block is 5/);
    expect(chainError(() => chain.genesis(genesisAccounts())).code).toBe('GENESIS_EXISTS');
    expect(chain.head()).toBe(4);
  });

  it('refuses a block before genesis', () => {
    const t = tempDir();
    const c = openChain(t.file('empty.db'));
    try {
      expect(c.head()).toBe(-1);
      expect(chainError(() => c.executeBlock(blocks[0].meta, blocks[0].txs, new EthereumProfile())).code).toBe('NO_GENESIS');
    } finally {
      c.close();
      t.cleanup();
    }
  });
});
