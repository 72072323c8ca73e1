// End-to-end zksync blocks: deposits, the ERC-20, a revert; gas compared with the ethereum profile.
import { describe, expect, it } from 'vitest';
import { bigIntToBytes, bytesToBigInt, concatBytes } from '../../machine/common/bytes.ts';
import { blake2s, keccak256 } from '../../machine/crypto/index.ts';
import { createAddress } from '../../machine/ee/evm/calls.ts';
import { EthereumProfile } from '../../machine/bootloader/ethereum.ts';
import { runBlock } from '../../machine/bootloader/machine.ts';
import { InMemoryOracle, type PreStateAccount } from '../../machine/oracle/memory.ts';
import { keccakNative } from '../../machine/hooks/system/index.ts';
import { valueDiffLength } from '../../machine/bootloader/zksync/pubdata.ts';
import { zkTxBody } from '../../machine/bootloader/zksync/build.ts';
import { abiTupleHash } from '../../machine/tx/zksync/hash.ts';
import { fromL1Transaction, type L1TransactionInput } from '../../machine/tx/zksync/convert.ts';
import { L1DepositError } from '../../machine/bootloader/zksync/l1.ts';
import { REVERTER } from './contracts.ts';
import {
  acct, ALICE, BASE_FEE, BOB, BOB_KEY, calldata, CHAIN_ID, eip1559, ERC20_INITCODE, legacy, OPERATOR, receipt,
  runZk, balanceAfter, nonceAfter, slotAfter, TRANSFER_TOPIC, word, zkMeta,
} from './helpers.ts';

const E18 = 10n ** 18n;
const L1_SENDER = 0x1111000000000000000000000000000000001111n;
const REFUND_TO = 0x2222000000000000000000000000000000002222n;
const CAROL = 0xca201n;

function deposit(over: Partial<L1TransactionInput> = {}): L1TransactionInput {
  const gasLimit = over.gasLimit ?? 300_000n;
  const value = over.value ?? E18;
  return {
    from: L1_SENDER, to: BOB, gasLimit, gasPerPubdataByteLimit: 800n, maxFeePerGas: 1000n, value,
    toMint: value + 1000n * gasLimit + 7n, refundRecipient: REFUND_TO, ...over,
  };
}

describe('L1→L2 priority transactions', () => {
  it('deposit: value minted to the sender and sent on, fee to the operator, rest to the refund recipient, a success log', () => {
    const pre = new Map<bigint, PreStateAccount>();
    const input = deposit();
    const out = runZk(pre, [{ l1: input }]);
    const r = receipt(out, 0);
    const body = zkTxBody({ l1: input }, CHAIN_ID);
    const txHash = abiTupleHash(body);
    // Gas: 11,000 intrinsic, the call to an EOA is free; native decides (native_per_gas = 1000/10 = 100,
    // native_per_pubdata = 800 × 100): 88 bytes of intrinsic pubdata, 10,000 intrinsic native, the
    // hash of the body, and Bob's new balance in pubdata (1 + diff(0 → 1e18)).
    const pubdata = 1 + valueDiffLength(0n, E18);
    const native = 88n * 80_000n + 10_000n + BigInt(keccakNative(body.length)) + BigInt(pubdata) * 80_000n;
    expect(r).toMatchObject({ success: true, type: 0xff, from: L1_SENDER, to: BOB, gasUsed: native / 100n, effectiveGasPrice: 1000n, pubdataUsed: pubdata, nativeUsed: native });
    expect(r.hash).toEqual(txHash);
    const fee = r.gasUsed * 1000n;
    expect(balanceAfter(out, pre, BOB)).toBe(E18);
    expect(balanceAfter(out, pre, L1_SENDER)).toBe(0n);
    expect(balanceAfter(out, pre, OPERATOR)).toBe(fee);
    expect(balanceAfter(out, pre, REFUND_TO)).toBe(input.toMint - E18 - fee);
    expect(balanceAfter(out, pre, 0x8001n)).toBe(0n);
    const log = { txNumber: 0, sender: 0x8001n, key: txHash, value: word(1n) };
    expect(r.l2ToL1Logs).toEqual([log]);
    expect(out.l2ToL1Logs).toEqual([log]);
    expect(out.l2ToL1Messages).toEqual([]);
    expect(out.priorityOpsHash).toEqual(blake2s(txHash));
    expect(out.upgradeTxHash).toEqual(new Uint8Array(32));
  });

  it('a deposit whose call reverts: nothing minted to the sender, the refund recipient gets deposit − fee, a failure log', () => {
    const target = 0x7e7e7e7en;
    const pre = new Map([[target, acct({ code: REVERTER })]]);
    const input = deposit({ to: target });
    const out = runZk(pre, [{ l1: input }]);
    const r = receipt(out, 0);
    expect(r.success).toBe(false);
    expect(r.output).toEqual(word(0xbeefn));
    const fee = r.gasUsed * 1000n;
    expect(balanceAfter(out, pre, target)).toBe(0n);
    expect(balanceAfter(out, pre, L1_SENDER)).toBe(0n);
    expect(balanceAfter(out, pre, REFUND_TO)).toBe(input.toMint - fee);
    expect(balanceAfter(out, pre, OPERATOR)).toBe(fee);
    expect(slotAfter(out, pre, target, 0n)).toBe(0n);
    expect(out.l2ToL1Logs).toEqual([{ txNumber: 0, sender: 0x8001n, key: r.hash, value: word(0n) }]);
  });
});

describe('an L1 transaction whose deposit cannot cover value + fee', () => {
  it('aborts the block: L1 cannot send it (the reference raises an internal error)', () => {
    const tx = fromL1Transaction(deposit());
    expect(() => runZk(new Map(), [{ zk: { ...tx, reserved: [tx.reserved[0] - 8n, tx.reserved[1], 0n, 0n] } }])).toThrow(L1DepositError);
  });
});

describe('the ERC-20 through EIP-1559 and legacy transactions', () => {
  const SUPPLY = 10n ** 27n;
  const TOKEN = createAddress(ALICE, 0n);
  const balanceSlot = (a: bigint) => bytesToBigInt(keccak256(concatBytes(word(a), word(1n))));
  const transfer = (to: bigint, v: bigint) => calldata('transfer(address,uint256)', to, v);
  const txs = [
    eip1559({ nonce: 0n, to: null, data: ERC20_INITCODE(SUPPLY), gasLimit: 2_000_000n }),
    eip1559({ nonce: 1n, to: TOKEN, data: transfer(BOB, 1000n), gasLimit: 200_000n }),
    legacy({ nonce: 2n, to: TOKEN, data: transfer(CAROL, 5n), gasLimit: 200_000n }),
    legacy({ nonce: 0n, to: TOKEN, data: transfer(CAROL, 1n), gasLimit: 200_000n }, BOB_KEY),
  ];
  const pre = () => new Map([[ALICE, acct({ balance: E18 })], [BOB, acct({ balance: E18 })]]);

  it('deploys, transfers, and charges exactly what Ethereum would, paid to the operator', () => {
    const p = pre();
    const out = runZk(p, txs);
    const rs = txs.map((_, i) => receipt(out, i));
    expect(rs.map((r) => r.success)).toEqual([true, true, true, true]);
    expect(rs[0]).toMatchObject({ created: TOKEN, to: null, type: 2 });
    const evt = (from: bigint, to: bigint, v: bigint) => ({ address: TOKEN, topics: [TRANSFER_TOPIC, from, to], data: word(v) });
    expect(rs[0].logs).toEqual([evt(0n, ALICE, SUPPLY)]);
    expect(rs[1].logs).toEqual([evt(ALICE, BOB, 1000n)]);
    expect(rs[2].logs).toEqual([evt(ALICE, CAROL, 5n)]);
    expect(rs[3].logs).toEqual([evt(BOB, CAROL, 1n)]);
    expect(rs[3].type).toBe(0);
    expect(out.events!.map((e) => [e.txIndex, e.logIndex])).toEqual([[0, 0], [1, 1], [2, 2], [3, 3]]);
    expect(slotAfter(out, p, TOKEN, balanceSlot(ALICE))).toBe(SUPPLY - 1005n);
    expect(slotAfter(out, p, TOKEN, balanceSlot(BOB))).toBe(999n);
    expect(slotAfter(out, p, TOKEN, balanceSlot(CAROL))).toBe(6n);
    expect(slotAfter(out, p, TOKEN, 0n)).toBe(SUPPLY);

    // The same envelopes under Ethereum rules use the same gas (21,000 = 18,000 + the 3,000 of ecrecover).
    const ethMeta = { ...zkMeta(), chainId: CHAIN_ID };
    const eth = runBlock(new InMemoryOracle(pre(), ethMeta, txs.map((t) => ('envelope' in t ? t.envelope : new Uint8Array()))), new EthereumProfile());
    const ethGas = eth.results.map((r) => (r.kind === 'executed' ? r.receipt.gasUsed : -1n));
    expect(rs.map((r) => r.gasUsed)).toEqual(ethGas);

    // Gas prices: EIP-1559 = base fee + tip (1000 + 100); legacy = its gas price (1500).
    expect(rs.map((r) => r.effectiveGasPrice)).toEqual([1100n, 1100n, 1500n, 1500n]);
    const fees = rs.map((r) => r.gasUsed * r.effectiveGasPrice);
    expect(balanceAfter(out, p, ALICE)).toBe(E18 - fees[0] - fees[1] - fees[2]);
    expect(balanceAfter(out, p, BOB)).toBe(E18 - fees[3]);
    // Unlike Ethereum the base fee is not burnt: the operator receives every fee.
    expect(balanceAfter(out, p, OPERATOR)).toBe(fees[0] + fees[1] + fees[2] + fees[3]);
    expect(balanceAfter(out, p, 0x8001n)).toBe(0n);
    expect(nonceAfter(out, p, ALICE)).toBe(3n);
    expect(nonceAfter(out, p, BOB)).toBe(1n);
    expect(out.gasUsed).toBe(rs.reduce((a, r) => a + r.gasUsed, 0n));
    expect(rs.map((r) => r.cumulativeGasUsed)).toEqual([rs[0].gasUsed, rs[0].gasUsed + rs[1].gasUsed, rs[0].gasUsed + rs[1].gasUsed + rs[2].gasUsed, out.gasUsed]);
  });

  it('a call that reverts: output kept, state rolled back, nonce and fee kept', () => {
    const target = 0x7e7e7e7en;
    const p = new Map([[ALICE, acct({ balance: E18 })], [target, acct({ code: REVERTER })]]);
    const out = runZk(p, [eip1559({ nonce: 0n, to: target, value: 9n, gasLimit: 100_000n })]);
    const r = receipt(out, 0);
    expect(r).toMatchObject({ success: false, logs: [], created: null, outOfNative: false });
    expect(r.output).toEqual(word(0xbeefn));
    expect(slotAfter(out, p, target, 0n)).toBe(0n);
    expect(balanceAfter(out, p, target)).toBe(0n);
    expect(balanceAfter(out, p, ALICE)).toBe(E18 - r.gasUsed * 1100n);
    expect(nonceAfter(out, p, ALICE)).toBe(1n);
    // 21,000 + PUSH1 PUSH0 SSTORE (20,000 + 2,100 cold) + PUSH2 PUSH0 MSTORE (3 + 3 memory) + PUSH1
    // PUSH0 REVERT: the SSTORE is undone but paid for.
    expect(r.gasUsed).toBe(21_000n + 3n + 2n + 22_100n + 3n + 2n + 6n + 3n + 2n);
  });
});

describe('the block', () => {
  it('header: real parent hash, real gas used, mix hash; rolling hash over executed transactions; hash = keccak(RLP)', () => {
    const pre = new Map([[ALICE, acct({ balance: E18 })]]);
    const txs = [eip1559({ nonce: 0n, to: BOB, value: 1n }), eip1559({ nonce: 5n, to: BOB }), { l1: deposit() }];
    const out = runZk(pre, txs);
    expect(out.results.map((r) => r.kind)).toEqual(['executed', 'rejected', 'executed']);
    const hashes = [receipt(out, 0).hash, receipt(out, 2).hash];
    const rolling = keccak256(concatBytes(keccak256(concatBytes(new Uint8Array(32), hashes[0])), hashes[1]));
    expect(out.txRollingHash).toEqual(rolling);
    const m = zkMeta();
    const h = out.header!;
    expect(h.parentHash).toEqual(word(m.blockHashes[0]));
    expect(h.gasUsed).toBe(out.gasUsed);
    expect(h.mixHash).toEqual(word(0x42n));
    expect(h).toMatchObject({ number: 7n, timestamp: m.timestamp, gasLimit: m.gasLimit, baseFeePerGas: BASE_FEE, beneficiary: OPERATOR, difficulty: 0n });
    expect(h.transactionsRoot).toEqual(rolling);
    // The L1 log of the deposit carries tx number 2: the rejected transaction counts.
    expect(out.l2ToL1Logs!.map((l) => l.txNumber)).toEqual([2]);
    // The block hash, re-derived by hand from the 16 RLP fields.
    const rlp = (b: Uint8Array) => (b.length === 1 && b[0] < 0x80 ? b : b.length < 56 ? concatBytes(Uint8Array.of(0x80 + b.length), b) : concatBytes(Uint8Array.of(0xb7 + 1), Uint8Array.of(b.length), b));
    const n = (v: bigint) => (v === 0n ? new Uint8Array(0) : bigIntToBytes(v, Math.ceil(v.toString(16).length / 2)));
    const fields = [
      word(m.blockHashes[0]), hexBytes('1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347'), bigIntToBytes(OPERATOR, 20),
      new Uint8Array(32), rolling, new Uint8Array(32), new Uint8Array(256), n(0n), n(7n), n(m.gasLimit), n(out.gasUsed), n(m.timestamp),
      new Uint8Array(0), word(0x42n), new Uint8Array(8), n(BASE_FEE),
    ].map((f) => (f.length === 256 ? concatBytes(Uint8Array.of(0xb9, 1, 0), f) : rlp(f)));
    const payload = concatBytes(...fields);
    const list = concatBytes(Uint8Array.of(0xf9, payload.length >> 8, payload.length & 0xff), payload);
    expect(out.blockHash).toEqual(keccak256(list));
  });
});

function hexBytes(h: string): Uint8Array {
  return Uint8Array.from(h.match(/../g)!.map((x) => parseInt(x, 16)));
}
