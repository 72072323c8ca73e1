// Native account abstraction (0x71 from contract accounts) and paymasters (general and
// approval-based flows).
import { describe, expect, it } from 'vitest';
import { bytesToBigInt, concatBytes, hexToBytes } from '../../machine/common/bytes.ts';
import { keccak256 } from '../../machine/crypto/index.ts';
import type { PreStateAccount } from '../../machine/oracle/memory.ts';
import { accountCalldata } from '../../machine/bootloader/zksync/aa.ts';
import { zkTxBody } from '../../machine/bootloader/zksync/build.ts';
import { ACCOUNT, PAYMASTER, PAYMASTER_APPROVAL } from './contracts.ts';
import {
  acct, ALICE, balanceAfter, BOB, CHAIN_ID, eip712, ERC20, nonceAfter, OPERATOR, receipt, runZk, selector, slotAfter, TRANSFER_TOPIC, word,
} from './helpers.ts';

const E18 = 10n ** 18n;
const AA = 0xaa00000000000000000000000000000000000001n;
const PM = 0x9900000000000000000000000000000000000001n;
const TOKEN = 0x70c0000000000000000000000000000000000001n;
const CAROL = 0xca201n;
const GAS_PRICE = 1100n;

const generalFlow = concatBytes(selector('general(bytes)'), word(32n), word(0n));
const mapSlot = (key: bigint, slot: bigint) => bytesToBigInt(keccak256(concatBytes(word(key), word(slot))));
const allowanceSlot = (owner: bigint, spender: bigint) => bytesToBigInt(keccak256(concatBytes(word(spender), word(mapSlot(owner, 2n)))));

describe('a contract account sending 0x71 transactions', () => {
  it('pays for itself: validateTransaction, payForTransaction, executeTransaction; the bootloader bumps its nonce', () => {
    const pre = new Map<bigint, PreStateAccount>([[AA, acct({ balance: E18, code: ACCOUNT })]]);
    const tx = eip712({ from: AA, nonce: 0n, to: CAROL, value: 5n, data: hexToBytes('0x1234') });
    const out = runZk(pre, [tx]);
    const r = receipt(out, 0);
    expect(r).toMatchObject({ success: true, type: 0x71, from: AA, to: CAROL, effectiveGasPrice: GAS_PRICE });
    expect(balanceAfter(out, pre, CAROL)).toBe(5n);
    expect(balanceAfter(out, pre, AA)).toBe(E18 - 5n - r.gasUsed * GAS_PRICE);
    expect(balanceAfter(out, pre, OPERATOR)).toBe(r.gasUsed * GAS_PRICE);
    expect(balanceAfter(out, pre, 0x8001n)).toBe(0n);
    expect(nonceAfter(out, pre, AA)).toBe(1n);
    // Three account calls, each with the body behind selector ‖ txHash ‖ signedHash ‖ 0x60.
    expect(r.gasUsed).toBeGreaterThan(18_000n + 3n * 21n);
    const body = zkTxBody(tx, CHAIN_ID);
    const cd = accountCalldata(0xdf9c1589, { txHash: r.hash, signedHash: new Uint8Array(32), body });
    expect(cd.subarray(100)).toEqual(body);
    expect(bytesToBigInt(cd, 68, 100)).toBe(0x60n);
  });

  it('a nonce ahead of the account is allowed (arbitrary ordering): the nonce becomes tx nonce + 1', () => {
    const pre = new Map<bigint, PreStateAccount>([[AA, acct({ balance: E18, code: ACCOUNT, nonce: 2n })]]);
    const out = runZk(pre, [eip712({ from: AA, nonce: 7n, to: CAROL, value: 1n }), eip712({ from: AA, nonce: 8n, to: CAROL, value: 1n })]);
    expect([receipt(out, 0).success, receipt(out, 1).success]).toEqual([true, true]);
    expect(nonceAfter(out, pre, AA)).toBe(9n);
  });

  it('with a general-flow paymaster: the paymaster pays the fee and gets the refund, the account only the value', () => {
    const pre = new Map<bigint, PreStateAccount>([
      [AA, acct({ balance: 100n, code: ACCOUNT })],
      [PM, acct({ balance: E18, code: PAYMASTER })],
    ]);
    const out = runZk(pre, [eip712({ from: AA, nonce: 0n, to: CAROL, value: 40n, paymaster: PM, paymasterInput: generalFlow })]);
    const r = receipt(out, 0);
    expect(r.success).toBe(true);
    expect(balanceAfter(out, pre, AA)).toBe(60n);
    expect(balanceAfter(out, pre, CAROL)).toBe(40n);
    expect(balanceAfter(out, pre, PM)).toBe(E18 - r.gasUsed * GAS_PRICE);
    expect(balanceAfter(out, pre, OPERATOR)).toBe(r.gasUsed * GAS_PRICE);
    expect(nonceAfter(out, pre, AA)).toBe(1n);
  });
});

describe('an EOA sending a 0x71 transaction through an approval-based paymaster', () => {
  it('the bootloader approves the paymaster as the sender; the paymaster takes tokens and pays the fee', () => {
    const SUPPLY = 10n ** 24n;
    const pre = new Map<bigint, PreStateAccount>([
      [ALICE, acct({ balance: 10n })],
      [PM, acct({ balance: E18, code: PAYMASTER, storage: new Map([[0n, PAYMASTER_APPROVAL]]) })],
      [TOKEN, acct({ code: hexToBytes(ERC20.deployedBytecode), storage: new Map([[0n, SUPPLY], [mapSlot(ALICE, 1n), SUPPLY]]) })],
    ]);
    const input = concatBytes(selector('approvalBased(address,uint256,bytes)'), word(TOKEN), word(50n), word(96n), word(0n));
    const out = runZk(pre, [eip712({ nonce: 0n, to: BOB, value: 10n, paymaster: PM, paymasterInput: input })]);
    const r = receipt(out, 0);
    expect(r.success).toBe(true);
    // Alice spent her 10 wei on the value only; tokens moved to the paymaster; the allowance is used up.
    expect(balanceAfter(out, pre, ALICE)).toBe(0n);
    expect(balanceAfter(out, pre, BOB)).toBe(10n);
    expect(nonceAfter(out, pre, ALICE)).toBe(1n);
    expect(slotAfter(out, pre, TOKEN, mapSlot(ALICE, 1n))).toBe(SUPPLY - 50n);
    expect(slotAfter(out, pre, TOKEN, mapSlot(PM, 1n))).toBe(50n);
    expect(slotAfter(out, pre, TOKEN, allowanceSlot(ALICE, PM))).toBe(0n);
    expect(balanceAfter(out, pre, PM)).toBe(E18 - r.gasUsed * GAS_PRICE);
    // Validation's events stay with the transaction: Approval (by the bootloader as Alice), Transfer.
    expect(r.logs.map((l) => l.address)).toEqual([TOKEN, TOKEN]);
    expect(r.logs[1].topics).toEqual([TRANSFER_TOPIC, ALICE, PM]);
  });
});
