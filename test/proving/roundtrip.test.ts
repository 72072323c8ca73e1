// Forward run answering the proving queries from a tree → its tape → a proving run over that tape
// alone: same public input, receipts and state diff. Then tamper with the tapes word by word.
import { describe, expect, it } from 'vitest';
import { bigIntToBytes, bytesToHex, concatBytes, hexToBytes } from '../../machine/common/bytes.ts';
import { blake2s } from '../../machine/crypto/index.ts';
import { runBlock } from '../../machine/bootloader/machine.ts';
import { ZksyncProfile } from '../../machine/bootloader/zksync/profile.ts';
import { zkBlockBodies, type ZkBlockTx } from '../../machine/bootloader/zksync/build.ts';
import type { BlockOutput } from '../../machine/bootloader/types.ts';
import { InMemoryOracle, type PreStateAccount } from '../../machine/oracle/memory.ts';
import { withProofs } from '../../machine/oracle/proving.ts';
import { RecordingOracle } from '../../machine/oracle/recording.ts';
import { TapeOracle, tapeFromLog } from '../../machine/oracle/tape.ts';
import { ACCOUNT_PROPERTIES_STORAGE_ADDRESS, defaultProperties, encodeProperties, evmCodeProperties } from '../../machine/system/account.ts';
import { FlatTree } from '../../machine/tree/flat/tree.ts';
import { treeProofSource } from '../../machine/tree/flat/source.ts';
import { flatKey } from '../../machine/tree/flat/keys.ts';
import { compareStorageKeys } from '../../machine/tree/flat/order.ts';
import { ALICE, BOB, acct, calldata, eip1559, ERC20_INITCODE, zkMeta } from '../zksync/helpers.ts';
import { createAddress } from '../../machine/ee/evm/calls.ts';
import { asm } from '../helpers/chain.ts';

const L1_MESSENGER = 0x8008n;
const CAROL = 0xca201n;
const STORE = 0x5707en; // slot[calldata word 0] = calldata word 1
const DESTRUCT = 0xdeadn; // SELFDESTRUCT(caller)

function preState(): Map<bigint, PreStateAccount> {
  return new Map([
    [ALICE, acct({ balance: 10n ** 22n })],
    [BOB, acct({ balance: 10n ** 20n, nonce: 3n })],
    [STORE, acct({ code: asm('60203560003555'), storage: new Map([[1n, 11n], [2n, 22n]]) })],
    [DESTRUCT, acct({ code: asm('33ff'), balance: 5n })],
  ]);
}

/** The state tree holding a pre-state, built as the forward system would have left it. */
function treeOf(pre: Map<bigint, PreStateAccount>): FlatTree {
  const writes: Array<{ address: bigint; key: bigint; value: bigint }> = [];
  for (const [address, a] of pre) {
    let props = { ...defaultProperties(), nonce: a.nonce, balance: a.balance };
    if (a.code.length > 0) props = evmCodeProperties(props, a.code);
    writes.push({ address: ACCOUNT_PROPERTIES_STORAGE_ADDRESS, key: address, value: BigInt(bytesToHex(blake2s(encodeProperties(props)))) });
    for (const [key, value] of a.storage) writes.push({ address, key, value });
  }
  writes.sort((x, y) => compareStorageKeys(x.address, x.key, y.address, y.key));
  const tree = new FlatTree();
  tree.applyBatch(writes.map((w) => ({ key: flatKey(w.address, w.key), value: bigIntToBytes(w.value, 32) })));
  return tree;
}

interface Forward {
  out: BlockOutput;
  tape: Uint32Array;
}

function forward(pre: Map<bigint, PreStateAccount>, txs: ZkBlockTx[]): Forward {
  const meta = zkMeta();
  const tree = treeOf(pre);
  const inner = withProofs(new InMemoryOracle(pre, meta, zkBlockBodies(txs, meta.chainId)), tree.commitment(), treeProofSource(tree));
  const rec = new RecordingOracle(inner);
  const out = runBlock(rec, new ZksyncProfile());
  // The commitment after must be what the forward tree reaches by applying the block's writes.
  const writes = [...out.storageWrites].sort((x, y) => compareStorageKeys(x.address, x.key, y.address, y.key));
  tree.applyBatch(writes.map((w) => ({ key: flatKey(w.address, w.key), value: bigIntToBytes(w.value, 32) })));
  expect(bytesToHex(out.commitmentAfter!.root)).toBe(bytesToHex(tree.commitment().root));
  return { out, tape: tapeFromLog(rec.log) };
}

function prove(tape: Uint32Array): BlockOutput {
  const oracle = new TapeOracle(tape, { blobBaseFee: zkMeta().blobBaseFee });
  const out = runBlock(oracle, new ZksyncProfile());
  oracle.finish();
  return out;
}

const ser = (x: unknown) => JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? `n${v}` : v instanceof Uint8Array ? bytesToHex(v) : v));

const deployed = createAddress(ALICE, 0n);
const BLOCKS: Record<string, () => ZkBlockTx[]> = {
  'deploy, transfer, new and existing slots': () => [
    eip1559({ nonce: 0n, to: null, data: ERC20_INITCODE(10n ** 21n), gasLimit: 5_000_000n }),
    eip1559({ nonce: 1n, to: deployed, data: calldata('transfer(address,uint256)', BOB, 123n) }),
    eip1559({ nonce: 2n, to: STORE, data: calldata('', 1n, 99n) }), // existing slot
    eip1559({ nonce: 3n, to: STORE, data: calldata('', 7n, 70n) }), // new slot
  ],
  'revert, selfdestruct, L2→L1 message': () => [
    eip1559({ nonce: 0n, to: deployed, data: calldata('transfer(address,uint256)', BOB, 1n) }), // no code there yet: plain call
    eip1559({ nonce: 1n, to: DESTRUCT }),
    eip1559({ nonce: 2n, to: L1_MESSENGER, data: concatBytes(calldata('sendToL1(bytes)', 32n, 3n), hexToBytes('0x0a0b0c' + '00'.repeat(29))) }),
    eip1559({ nonce: 3n, to: STORE, data: calldata('', 2n, 0n) }), // existing slot cleared
    eip1559({ nonce: 9n, to: STORE }), // nonce too high: rejected
  ],
  'L1 deposit, then spending it': () => [
    { l1: { from: CAROL, to: CAROL, gasLimit: 500_000n, gasPerPubdataByteLimit: 800n, maxFeePerGas: 1000n, value: 10n ** 18n, data: new Uint8Array(0), toMint: 10n ** 18n + 10n ** 9n, refundRecipient: CAROL } },
    eip1559({ nonce: 0n, to: STORE, data: calldata('', 3n, 33n) }),
  ],
};

describe('proving mode', () => {
  const runs = Object.entries(BLOCKS).map(([name, txs]) => ({ name, ...forward(preState(), txs()) }));

  it.each(runs.map((r) => [r.name, r]))('%s: the proving run over the tape gives the forward results', (_n, r) => {
    const proved = prove(r.tape);
    expect(r.out.publicInput).toBeDefined();
    expect(bytesToHex(proved.publicInput!.hash)).toBe(bytesToHex(r.out.publicInput!.hash));
    expect(ser(proved.results)).toBe(ser(r.out.results));
    expect(ser(proved.stateDiff)).toBe(ser(r.out.stateDiff));
    expect(ser(proved.l2ToL1Logs)).toBe(ser(r.out.l2ToL1Logs));
  });

  it('covers deployments, messages and rejections', () => {
    const [a, b, c] = runs.map((r) => r.out);
    expect(c.l2ToL1Logs?.length).toBe(1); // the deposit's L1 transaction log
    expect(c.results.every((r) => r.kind === 'executed' && r.receipt.success)).toBe(true);
    expect(a.stateDiff.some((d) => d.address === deployed && d.code !== null)).toBe(true);
    expect(b.l2ToL1Messages?.length).toBe(1);
    expect(b.results.at(-1)?.kind).toBe('rejected');
  });

  it('detects any single changed word of a tape: an error, or a different public input', () => {
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % n;
    };
    let errors = 0;
    let changed = 0;
    for (let i = 0; i < 1000; i++) {
      const r = runs[i % runs.length];
      const tape = r.tape.slice();
      const pos = rand(tape.length);
      const bit = 1 << rand(32);
      tape[pos] = (tape[pos] ^ bit) >>> 0;
      let pi: string | null = null;
      try {
        pi = bytesToHex(prove(tape).publicInput!.hash);
      } catch {
        errors++;
        continue;
      }
      if (pi === bytesToHex(r.out.publicInput!.hash)) {
        // Locate the query the word belongs to, for the failure message.
        let at = 0;
        let q = 0;
        while (at + 1 + r.tape[at] <= pos) {
          at += 1 + r.tape[at];
          q++;
        }
        throw new Error(`word ${pos} (query ${q}, answer word ${pos - at - 1} of ${r.tape[at]}) of block '${r.name}' changed nothing`);
      }
      changed++;
    }
    expect(errors + changed).toBe(1000);
  });

  it('fails on a missing or an extra word', () => {
    const t = runs[0].tape;
    expect(() => prove(t.slice(0, t.length - 1))).toThrow();
    const longer = new Uint32Array(t.length + 1);
    longer.set(t);
    expect(() => prove(longer)).toThrow();
  });
});
