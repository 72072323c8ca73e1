// The system contracts as hooks: L2 base token withdrawals, the L1 messenger (from an EOA and from
// a contract), the common rules, and the contract deployer through an upgrade transaction.
import { describe, expect, it } from 'vitest';
import { bigIntToBytes, bytesToBigInt, concatBytes, hexToBytes } from '../../machine/common/bytes.ts';
import { blake2s, keccak256 } from '../../machine/crypto/index.ts';
import { abiEncodeBytes, L1_MESSAGE_SENT_TOPIC, setBytecodeDetailsCalldata } from '../../machine/hooks/system/index.ts';
import { encodeL2ToL1Log, l2ToL1LogHash } from '../../machine/bootloader/zksync/header.ts';
import { assemble } from './asm.ts';
import { forwarder, REVERTER } from './contracts.ts';
import { acct, ALICE, balanceAfter, calldata, eip1559, OPERATOR, receipt, rejection, runZk, selector, slotAfter, word } from './helpers.ts';

const E18 = 10n ** 18n;
const L1_RECEIVER = 0x00000000000000000000000000000000000a11n;
const MESSENGER = 0x8008n;
const BASE_TOKEN = 0x800an;
const FWD = 0xf0d0000000000000000000000000000000000001n;

const sendToL1 = (msg: Uint8Array) => concatBytes(selector('sendToL1(bytes)'), abiEncodeBytes(msg));
const pad = (a: bigint) => word(a);

describe('the L2 base token (0x800a)', () => {
  it('withdraw(address): burns the value and sends 0x6c0960f9 ‖ receiver ‖ amount from 0x800a', () => {
    const pre = new Map([[ALICE, acct({ balance: E18 })]]);
    const V = 12345n;
    const out = runZk(pre, [eip1559({ nonce: 0n, to: BASE_TOKEN, value: V, data: calldata('withdraw(address)', L1_RECEIVER), gasLimit: 200_000n })]);
    const r = receipt(out, 0);
    expect(r.success).toBe(true);
    expect(r.output).toEqual(new Uint8Array(0));
    const message = concatBytes(hexToBytes('0x6c0960f9'), bigIntToBytes(L1_RECEIVER, 20), word(V));
    const hash = keccak256(message);
    expect(out.l2ToL1Messages).toEqual([{ txNumber: 0, sender: BASE_TOKEN, data: message, hash }]);
    const log = { txNumber: 0, sender: MESSENGER, key: pad(BASE_TOKEN), value: hash };
    expect(out.l2ToL1Logs).toEqual([log]);
    expect(r.l2ToL1Logs).toEqual([log]);
    expect(r.logs).toEqual([{ address: MESSENGER, topics: [L1_MESSAGE_SENT_TOPIC, BASE_TOKEN, bytesToBigInt(hash)], data: abiEncodeBytes(message) }]);
    expect(abiEncodeBytes(message).length).toBe(128);
    // Burnt: the token contract holds nothing, the sender paid value + fee, the operator the fee.
    expect(balanceAfter(out, pre, BASE_TOKEN)).toBe(0n);
    expect(balanceAfter(out, pre, ALICE)).toBe(E18 - V - r.gasUsed * 1100n);
    expect(balanceAfter(out, pre, OPERATOR)).toBe(r.gasUsed * 1100n);
    // The log's 88-byte encoding (§5.4).
    const enc = encodeL2ToL1Log(log);
    expect(enc.length).toBe(88);
    expect(enc.subarray(0, 4)).toEqual(Uint8Array.of(0, 1, 0, 0));
    expect(bytesToBigInt(enc, 4, 24)).toBe(MESSENGER);
    expect(l2ToL1LogHash(log)).toEqual(keccak256(enc));
  });

  it('withdrawWithMessage(address,bytes) from a contract: the message carries the caller and the data', () => {
    const extra = hexToBytes('0xc0ffee');
    const data = concatBytes(selector('withdrawWithMessage(address,bytes)'), word(L1_RECEIVER), word(64n), word(3n), concatBytes(extra, new Uint8Array(29)));
    const pre = new Map([[ALICE, acct({ balance: E18 })], [FWD, acct({ code: forwarder(BASE_TOKEN) })]]);
    const out = runZk(pre, [eip1559({ nonce: 0n, to: FWD, value: 77n, data, gasLimit: 300_000n })]);
    expect(receipt(out, 0).success).toBe(true);
    const message = concatBytes(hexToBytes('0x6c0960f9'), bigIntToBytes(L1_RECEIVER, 20), word(77n), bigIntToBytes(FWD, 20), extra);
    expect(out.l2ToL1Messages).toEqual([{ txNumber: 0, sender: BASE_TOKEN, data: message, hash: keccak256(message) }]);
    expect(balanceAfter(out, pre, BASE_TOKEN)).toBe(0n);
    expect(balanceAfter(out, pre, FWD)).toBe(0n);
  });

  it('reverts on static calls, non-zero address padding and unknown selectors', () => {
    const bad = concatBytes(selector('withdraw(address)'), bigIntToBytes(1n << 200n, 32));
    const pre = new Map([[ALICE, acct({ balance: E18 })]]);
    const out = runZk(pre, [
      eip1559({ nonce: 0n, to: BASE_TOKEN, value: 5n, data: bad }),
      eip1559({ nonce: 1n, to: BASE_TOKEN, value: 5n, data: calldata('mint(address)', 1n) }),
    ]);
    expect([receipt(out, 0).success, receipt(out, 1).success]).toEqual([false, false]);
    expect(out.l2ToL1Messages).toEqual([]);
    expect(balanceAfter(out, pre, BASE_TOKEN)).toBe(0n);
  });
});

describe('the L1 messenger (0x8008)', () => {
  const msg = new TextEncoder().encode('hello L1, from zkos');

  it('works when an EOA calls it directly: message, log, event, the hash returned', () => {
    const pre = new Map([[ALICE, acct({ balance: E18 })]]);
    const out = runZk(pre, [eip1559({ nonce: 0n, to: MESSENGER, data: sendToL1(msg), gasLimit: 200_000n })]);
    const r = receipt(out, 0);
    const hash = keccak256(msg);
    expect(r.success).toBe(true);
    expect(r.output).toEqual(hash);
    expect(out.l2ToL1Messages).toEqual([{ txNumber: 0, sender: ALICE, data: msg, hash }]);
    expect(out.l2ToL1Logs).toEqual([{ txNumber: 0, sender: MESSENGER, key: pad(ALICE), value: hash }]);
    expect(r.logs).toEqual([{ address: MESSENGER, topics: [L1_MESSAGE_SENT_TOPIC, ALICE, bytesToBigInt(hash)], data: abiEncodeBytes(msg) }]);
    // Pubdata: the message costs 4 + len + 88 bytes on top of the accounts' diffs.
    expect(r.pubdataUsed).toBeGreaterThan(4 + msg.length + 88);
  });

  it('from a contract the contract is the sender; a revert after sending drops the message', () => {
    const FWD2 = FWD + 1n;
    const pre = new Map([[ALICE, acct({ balance: E18 })], [FWD, acct({ code: forwarder(MESSENGER) })], [FWD2, acct({ code: forwarder(MESSENGER, true) })]]);
    const out = runZk(pre, [
      eip1559({ nonce: 0n, to: FWD, data: sendToL1(msg), gasLimit: 200_000n }),
      eip1559({ nonce: 1n, to: FWD2, data: sendToL1(msg), gasLimit: 200_000n }),
    ]);
    const hash = keccak256(msg);
    expect(receipt(out, 0).success).toBe(true);
    expect(receipt(out, 0).output).toEqual(hash);
    expect(receipt(out, 1).success).toBe(false);
    expect(receipt(out, 1).logs).toEqual([]);
    expect(receipt(out, 1).l2ToL1Logs).toEqual([]);
    expect(out.l2ToL1Messages).toEqual([{ txNumber: 0, sender: FWD, data: msg, hash }]);
    expect(out.l2ToL1Logs).toEqual([{ txNumber: 0, sender: MESSENGER, key: pad(FWD), value: hash }]);
  });

  it('common rules: value, delegatecall, staticcall, unknown selector and malformed calldata revert', () => {
    // Stores the success flag of each call in slots 1..5.
    const input = sendToL1(msg);
    const call = (slot: number, op: 'CALL' | 'DELEGATECALL' | 'STATICCALL', value: number, data: Uint8Array) => [
      ...storeCalldata(data),
      ...(op === 'CALL' ? [0, 0, data.length, 0, value, MESSENGER, 'GAS', op] : [0, 0, data.length, 0, MESSENGER, 'GAS', op]),
      slot, 'SSTORE',
    ];
    const code = assemble(
      ...call(1, 'CALL', 1, input),
      ...call(2, 'DELEGATECALL', 0, input),
      ...call(3, 'STATICCALL', 0, input),
      ...call(4, 'CALL', 0, calldata('sendToL2(bytes)', 32n, 0n)),
      ...call(5, 'CALL', 0, concatBytes(selector('sendToL1(bytes)'), word(64n), word(0n), word(0n))),
      ...call(6, 'CALL', 0, input),
    );
    const C = 0xc0c0n;
    const pre = new Map([[ALICE, acct({ balance: E18 })], [C, acct({ code, balance: 10n })]]);
    const out = runZk(pre, [eip1559({ nonce: 0n, to: C, gasLimit: 1_000_000n })]);
    expect(receipt(out, 0).success).toBe(true);
    expect([1n, 2n, 3n, 4n, 5n, 6n].map((k) => slotAfter(out, pre, C, k))).toEqual([0n, 0n, 0n, 0n, 0n, 1n]);
    expect(out.l2ToL1Messages!.map((m) => m.sender)).toEqual([C]);
  });
});

describe('the contract deployer (0x8006) through an upgrade transaction', () => {
  const code = REVERTER;
  const TARGET = 0xdddd0000000000000000000000000000000000ddn;
  const upgrade = (from: bigint) => ({
    upgrade: {
      from, to: 0x8006n, gasLimit: 1_000_000n, gasPerPubdataByteLimit: 800n, maxFeePerGas: 0n,
      data: setBytecodeDetailsCalldata(TARGET, blake2s(code), code.length, keccak256(code)), toMint: 0n, refundRecipient: from,
    },
  });

  it('installs code by hash when the complex upgrader calls it; the upgrade goes first and its hash is reported', () => {
    // Another account holds the same code so the oracle can serve the bytes by their hash.
    const pre = new Map([[ALICE, acct({ balance: E18 })], [0x5eedn, acct({ code })]]);
    const out = runZk(pre, [upgrade(0x800fn), eip1559({ nonce: 0n, to: TARGET, gasLimit: 100_000n })]);
    const u = receipt(out, 0);
    expect(u).toMatchObject({ success: true, type: 0xfe, gasUsed: expect.any(BigInt) });
    expect(out.upgradeTxHash).toEqual(u.hash);
    expect(out.l2ToL1Logs).toEqual([{ txNumber: 0, sender: 0x8001n, key: u.hash, value: word(1n) }]);
    const d = out.stateDiff.find((x) => x.address === TARGET)!;
    expect(d.code).toEqual(code);
    expect(d.codeHash).toEqual(keccak256(code));
    // The installed code runs: REVERTER reverts with 0xbeef.
    expect(receipt(out, 1).output).toEqual(word(0xbeefn));
    // No preimage is recorded for code published out of band.
    expect(out.preimages.some((p) => p.bytes.length === code.length)).toBe(false);
  });

  it('any other caller is refused: the upgrade transaction fails and is rejected (UpgradeTxFailed)', () => {
    const pre = new Map([[ALICE, acct({ balance: E18 })], [0x5eedn, acct({ code })]]);
    const out = runZk(pre, [upgrade(ALICE), eip1559({ nonce: 0n, to: 0xbeefn, value: 1n })]);
    expect(rejection(out, 0).error).toBe('UpgradeTxFailed');
    expect(out.stateDiff.find((x) => x.address === TARGET)).toBeUndefined();
    expect(out.l2ToL1Logs).toEqual([]);
    expect(receipt(out, 1).success).toBe(true);
  });
});

/** Writes `data` to memory at 0 with MSTOREs (whole words; the tail word zero-padded). */
function storeCalldata(data: Uint8Array): Array<string | bigint | number> {
  const out: Array<string | bigint | number> = [];
  for (let i = 0; i < data.length; i += 32) {
    const w = new Uint8Array(32);
    w.set(data.subarray(i, i + 32));
    out.push(bytesToBigInt(w), i, 'MSTORE');
  }
  return out;
}
