// Double resource accounting (reference §7): gas and native, pubdata paid in native, the gas used
// raised to cover native (§2.8).
import { describe, expect, it } from 'vitest';
import { defaultProperties } from '../../machine/system/account.ts';
import { ECRECOVER_NATIVE } from '../../machine/hooks/precompiles/ecrecover.ts';
import { keccakNative } from '../../machine/hooks/system/index.ts';
import { zkTxBody } from '../../machine/bootloader/zksync/build.ts';
import { TxMeter } from '../../machine/bootloader/zksync/meter.ts';
import { accountDiffLength, valueDiffLength } from '../../machine/bootloader/zksync/pubdata.ts';
import { assemble } from './asm.ts';
import { BURNER } from './contracts.ts';
import { acct, ALICE, balanceAfter, BOB, CHAIN_ID, eip1559, nonceAfter, receipt, runZk, slotAfter } from './helpers.ts';

const E18 = 10n ** 18n;
const C = 0xc0c0c0n;

describe('running out of one resource', () => {
  it('out of native while gas is ample: state reverted, the whole gas limit charged', () => {
    // native_per_gas = ceil(1100 / 1100) = 1: 3,000,000 native for 3,000,000 gas. Each new slot
    // costs ~22,100 gas but ~126,000 native, so native runs out after ~20 slots.
    const pre = new Map([[ALICE, acct({ balance: E18 })], [C, acct({ code: BURNER })]]);
    const out = runZk(pre, [eip1559({ nonce: 0n, to: C, gasLimit: 3_000_000n })], { nativePrice: 1100n });
    const r = receipt(out, 0);
    expect(r).toMatchObject({ success: false, outOfNative: true, gasUsed: 3_000_000n, output: new Uint8Array(0) });
    expect(slotAfter(out, pre, C, 1n)).toBe(0n);
    expect(out.stateDiff.find((d) => d.address === C)).toBeUndefined();
    expect(balanceAfter(out, pre, ALICE)).toBe(E18 - 3_000_000n * 1100n);
    expect(nonceAfter(out, pre, ALICE)).toBe(1n);
  });

  it('out of gas while native is ample: an ordinary exceptional halt', () => {
    const pre = new Map([[ALICE, acct({ balance: E18 })], [C, acct({ code: BURNER })]]);
    const out = runZk(pre, [eip1559({ nonce: 0n, to: C, gasLimit: 200_000n })]);
    const r = receipt(out, 0);
    expect(r).toMatchObject({ success: false, outOfNative: false, gasUsed: 200_000n });
    // native_per_gas = 110: plenty was left.
    expect(r.nativeUsed! < 200_000n * 110n).toBe(true);
    expect(slotAfter(out, pre, C, 1n)).toBe(0n);
  });

  it('a success whose pubdata the remaining native cannot pay becomes a revert', () => {
    const TEN = assemble(...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].flatMap((i) => [i, i, 'SSTORE']));
    const pre = new Map([[ALICE, acct({ balance: E18 })], [C, acct({ code: TEN })]]);
    // 1,000 gas per pubdata byte: ten new slots (34 bytes each) need 37.4M native; the limit gives 22M.
    const run = (gasLimit: bigint) => runZk(pre, [eip1559({ nonce: 0n, to: C, gasLimit })], { gasPerPubdata: 1000n });
    const poor = run(200_000n);
    expect(receipt(poor, 0)).toMatchObject({ success: false, outOfNative: false });
    expect(slotAfter(poor, pre, C, 1n)).toBe(0n);
    const rich = run(2_000_000n);
    const r = receipt(rich, 0);
    expect(r.success).toBe(true);
    expect(slotAfter(rich, pre, C, 10n)).toBe(10n);
    // The pubdata (not the EVM) decided the gas: ten slots of 32 + 2 bytes, 110,000 native per byte.
    expect(r.pubdataUsed! >= 340).toBe(true);
    expect(r.gasUsed).toBe(r.nativeUsed! / 110n);
  });
});

describe('gas used covers native used', () => {
  it('a transfer with native_per_gas = 1 is charged its native, byte for byte', () => {
    const pre = new Map([[ALICE, acct({ balance: E18 })]]);
    const tx = eip1559({ nonce: 0n, to: BOB, value: 5n, gasLimit: 1_000_000n });
    const out = runZk(pre, [tx], { nativePrice: 1100n });
    const r = receipt(out, 0);
    const body = zkTxBody(tx, CHAIN_ID);
    // Pubdata is charged before the refund: Alice prepaid the whole limit; 0x8001 holds it.
    const prepaid = 1_000_000n * 1100n;
    const pubdata =
      1 + valueDiffLength(0n, 1n) + valueDiffLength(E18, E18 - 5n - prepaid) + // Alice: nonce and balance
      1 + valueDiffLength(0n, 5n) + // Bob
      1 + valueDiffLength(0n, prepaid); // 0x8001
    expect(r.pubdataUsed).toBe(pubdata);
    // Intrinsic 4,000 + calldata 0, two keccaks of the body, ecrecover, pubdata at 1 native per byte.
    const native = 4000n + 2n * BigInt(keccakNative(body.length)) + BigInt(ECRECOVER_NATIVE) + BigInt(pubdata);
    expect(r.nativeUsed).toBe(native);
    expect(r.gasUsed).toBe(native);
    expect(balanceAfter(out, pre, ALICE)).toBe(E18 - 5n - native * 1100n);
  });

  it('native above 2^36 is withheld from execution and counted back', () => {
    const m = TxMeter.derive({ gasLimit: 100_000_000n, nativePerGas: 1100n, nativePerPubdata: 1100n, intrinsicGas: 21_000n, intrinsicNative: 4_000n, intrinsicPubdata: 0n });
    if (typeof m === 'string') throw new Error(m);
    expect(m.native).toBe(2 ** 36 - 4000);
    expect(m.withheld).toBe(110_000_000_000n - 2n ** 36n);
    expect(m.nativeUsed()).toBe(4000n);
    m.reclaimWithheld();
    expect(m.gasUsed(0)).toBe(21_000n);
    const pre = new Map([[ALICE, acct({ balance: E18 })]]);
    const out = runZk(pre, [eip1559({ nonce: 0n, to: BOB, gasLimit: 100_000_000n })], { nativePrice: 1n });
    expect(receipt(out, 0)).toMatchObject({ success: true, gasUsed: 21_000n });
  });

  it('the EIP-3529 refund applies (design decision: unlike the reference, refunds exist)', () => {
    // Clears a non-zero slot: 2,900 + 2,100 cold, refund 4,800 (under the cap, a fifth of the gas used).
    const CLEAR = assemble('PUSH0', 1, 'SSTORE');
    const pre = new Map([[ALICE, acct({ balance: E18 })], [C, acct({ code: CLEAR, storage: new Map([[1n, 7n]]) })]]);
    const out = runZk(pre, [eip1559({ nonce: 0n, to: C })]);
    const spent = 21_000n + 2n + 3n + 5_000n;
    expect(spent / 5n > 4_800n).toBe(true);
    expect(receipt(out, 0).gasUsed).toBe(spent - 4_800n);
    expect(slotAfter(out, pre, C, 1n)).toBe(0n);
  });
});

describe('pubdata compression lengths (reference §5.3 vectors)', () => {
  it('value diffs and account diffs', () => {
    const x = 0xffn << 248n;
    expect(valueDiffLength(x, x + 3n)).toBe(2); // 0x09 0x03
    expect(valueDiffLength(5n, 5n)).toBe(1); // Add of nothing
    expect(valueDiffLength(0n, (1n << 256n) - 1n)).toBe(33); // Nothing: the full value
    const a = { ...defaultProperties(), nonce: 12n };
    expect(accountDiffLength(a, { ...a, nonce: 22n }, false)).toBe(3); // 0x0c 0x09 0x0a
    expect(accountDiffLength(a, a, false)).toBe(0);
  });
});

describe('pubdata that shrinks', () => {
  it('a transaction undoing an earlier change of the block pays no pubdata and gets no credit', async () => {
    const h = await import('./helpers.ts');
    const STORE = 0x5707en; // slot[word 0] = word 1
    const code = Uint8Array.from([0x60, 0x20, 0x35, 0x60, 0x00, 0x35, 0x55]);
    const out = h.runZk(new Map([[h.ALICE, h.acct({ balance: 10n ** 20n })], [STORE, h.acct({ code })]]), [
      h.eip1559({ nonce: 0n, to: STORE, data: new Uint8Array([...h.word(1n), ...h.word((1n << 255n) + 12345n)]) }),
      h.eip1559({ nonce: 1n, to: STORE, data: new Uint8Array([...h.word(1n), ...h.word(0n)]) }),
    ]);
    expect(h.receipt(out, 0).pubdataUsed).toBeGreaterThan(0);
    expect(h.receipt(out, 1).success).toBe(true);
    expect(h.receipt(out, 1).pubdataUsed).toBe(0);
  });
});
