// Forward and proving modes share the memory arena's behaviour: a memory-heavy block proves to the
// forward results, and a budget too small fails both runs with the same ArenaExhausted.
import { describe, expect, it } from 'vitest';
import { bigIntToBytes, bytesToHex } from '../../machine/common/bytes.ts';
import { blake2s } from '../../machine/crypto/index.ts';
import { runBlock } from '../../machine/bootloader/machine.ts';
import { ZksyncProfile } from '../../machine/bootloader/zksync/profile.ts';
import { zkBlockBodies } from '../../machine/bootloader/zksync/build.ts';
import type { BlockOutput } from '../../machine/bootloader/types.ts';
import { InMemoryOracle, type PreStateAccount } from '../../machine/oracle/memory.ts';
import type { Oracle } from '../../machine/oracle/types.ts';
import { withProofs } from '../../machine/oracle/proving.ts';
import { RecordingOracle } from '../../machine/oracle/recording.ts';
import { TapeOracle, tapeFromLog } from '../../machine/oracle/tape.ts';
import { ACCOUNT_PROPERTIES_STORAGE_ADDRESS, defaultProperties, encodeProperties, evmCodeProperties } from '../../machine/system/account.ts';
import { ArenaExhausted } from '../../machine/system/arena.ts';
import { FlatTree } from '../../machine/tree/flat/tree.ts';
import { treeProofSource } from '../../machine/tree/flat/source.ts';
import { flatKey } from '../../machine/tree/flat/keys.ts';
import { compareStorageKeys } from '../../machine/tree/flat/order.ts';
import { ALICE, acct, eip1559, zkMeta } from '../zksync/helpers.ts';
import { A, deepChain, DEEP, DEPTH, DRIVER, HOG, HOG_CODE, KiB, returnDataScript, word } from '../helpers/arena.ts';

function preState(): Map<bigint, PreStateAccount> {
  return new Map([[ALICE, acct({ balance: 10n ** 22n })], ...deepChain(), ...returnDataScript(), [HOG, acct({ code: HOG_CODE })]]);
}

function treeOf(pre: Map<bigint, PreStateAccount>): FlatTree {
  const writes: Array<{ address: bigint; key: bigint; value: bigint }> = [];
  for (const [address, a] of pre) {
    let props = { ...defaultProperties(), nonce: a.nonce, balance: a.balance };
    if (a.code.length > 0) props = evmCodeProperties(props, a.code);
    writes.push({ address: ACCOUNT_PROPERTIES_STORAGE_ADDRESS, key: address, value: BigInt(bytesToHex(blake2s(encodeProperties(props)))) });
  }
  writes.sort((x, y) => compareStorageKeys(x.address, x.key, y.address, y.key));
  const tree = new FlatTree();
  tree.applyBatch(writes.map((w) => ({ key: flatKey(w.address, w.key), value: bigIntToBytes(w.value, 32) })));
  return tree;
}

// The deep chain, the return-data script, then 1 MiB of heap (payable: ~2.2M gas).
const TXS = [
  eip1559({ nonce: 0n, to: DRIVER, gasLimit: 10_000_000n }),
  eip1559({ nonce: 1n, to: A, gasLimit: 3_000_000n }),
  eip1559({ nonce: 2n, to: HOG, data: word(1n << 20n), gasLimit: 5_000_000n }),
];

function forwardOracle(): RecordingOracle {
  const pre = preState();
  const tree = treeOf(pre);
  const meta = zkMeta();
  return new RecordingOracle(withProofs(new InMemoryOracle(pre, meta, zkBlockBodies(TXS, meta.chainId)), tree.commitment(), treeProofSource(tree)));
}

function prove(tape: Uint32Array, arenaBytes?: number): BlockOutput {
  const oracle = new TapeOracle(tape, { blobBaseFee: zkMeta().blobBaseFee });
  const out = runBlock(oracle, new ZksyncProfile(), { arenaBytes });
  oracle.finish();
  return out;
}

function failure(oracle: Oracle, arenaBytes: number): ArenaExhausted {
  try {
    runBlock(oracle, new ZksyncProfile(), { arenaBytes });
  } catch (e) {
    if (e instanceof ArenaExhausted) return e;
    throw e;
  }
  throw new Error('the block ran to the end');
}

const ser = (x: unknown) => JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? `n${v}` : v instanceof Uint8Array ? bytesToHex(v) : v));

describe('the arena in both modes', () => {
  const rec = forwardOracle();
  const forward = runBlock(rec, new ZksyncProfile());
  const tape = tapeFromLog(rec.log);

  it('proves a memory-heavy block to the forward results', () => {
    expect(forward.results.every((r) => r.kind === 'executed' && r.receipt.success)).toBe(true);
    const deep = forward.stateDiff.find((d) => d.address === DEEP)!.storage;
    expect(deep).toEqual(Array.from({ length: DEPTH + 1 }, (_, n) => [BigInt(n), 1n]));
    const proved = prove(tape);
    expect(bytesToHex(proved.publicInput!.hash)).toBe(bytesToHex(forward.publicInput!.hash));
    expect(ser(proved.results)).toBe(ser(forward.results));
    expect(ser(proved.stateDiff)).toBe(ser(forward.stateDiff));
  });

  it('fails both runs the same way when the budget is too small', () => {
    // 512 KiB holds the deep chain (~170 KB) and the script (~33 KB), not the 1 MiB heap.
    const inForward = failure(forwardOracle(), 512 * KiB);
    const inProving = failure(new TapeOracle(tape, { blobBaseFee: zkMeta().blobBaseFee }), 512 * KiB);
    expect(inForward).toMatchObject({ block: zkMeta().blockNumber, txIndex: 2, region: 'heap', requested: (1 << 20) + 32 });
    expect(inProving.message).toBe(inForward.message);
  });
});
