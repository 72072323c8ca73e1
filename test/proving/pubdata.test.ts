import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../machine/common/bytes.ts';
import { encodeAccountDiff, encodeValueDiff, valueDiffLength, accountDiffLength } from '../../machine/bootloader/zksync/pubdata.ts';
import { defaultProperties } from '../../machine/system/account.ts';

describe('pubdata bytes (reference §5.3)', () => {
  it('value diffs: the reference vector, and lengths agree with the charging side', () => {
    const ff = 0xffn << 248n;
    expect(bytesToHex(encodeValueDiff(ff, ff + 3n))).toBe('0x0903');
    const cases: Array<[bigint, bigint]> = [
      [0n, 0n],
      [0n, 1n],
      [5n, 3n],
      [1n << 255n, 7n],
      [7n, (1n << 256n) - 1n],
      [123456789n, 987654321n],
    ];
    for (const [a, b] of cases) expect(encodeValueDiff(a, b).length, `${a} → ${b}`).toBe(valueDiffLength(a, b));
    // Nothing (full value, metadata 0) when no shorter form exists.
    const full = encodeValueDiff(1n << 255n, (1n << 255n) + (1n << 254n) + 12345n);
    expect(full.length).toBeLessThanOrEqual(33);
  });

  it('account diffs: the reference vector (nonce 12 → 22) and the charged length', () => {
    const a = { ...defaultProperties(), nonce: 12n };
    const b = { ...a, nonce: 22n };
    expect(bytesToHex(encodeAccountDiff(a, b, false, new Uint8Array(0)))).toBe('0x0c090a');
    const c = { ...a, balance: 5n, nonce: 13n };
    expect(encodeAccountDiff(a, c, false, new Uint8Array(0)).length).toBe(accountDiffLength(a, c, false));
  });
});
