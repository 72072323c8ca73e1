// Code analysis: PUSH immediates at the end of the code, jump destinations, block bounds.
import { describe, expect, it } from 'vitest';
import { analyze, restOfBlock } from '../../machine/ee/evm/analysis.ts';
import { NATIVE } from '../../machine/ee/evm/opcodes.ts';
import { ERGS_PER_GAS } from '../../machine/system/resources.ts';

const push = (a: ReturnType<typeof analyze>, at: number) => a.pushValues[a.ops[at + 1] >> 8];

describe('code analysis', () => {
  it('decodes PUSH immediates, zero-padding one cut short by the end of the code', () => {
    const a = analyze(Uint8Array.from([0x60, 0x2a, 0x7f, 0x01, 0x02, 0x61, 0x03]));
    expect(push(a, 0)).toBe(0x2an);
    // PUSH32 0x0102 61 03 00…: 32 bytes, of which 4 are in the code.
    expect(push(a, 2)).toBe(0x01026103n << 224n);
    // A PUSH that is the last byte reads index 0 (0n) from the implicit STOP's slot.
    const b = analyze(Uint8Array.from([0x5b, 0x61]));
    expect(push(b, 1)).toBe(0n);
    expect(b.ops[2]).toBe(0);
  });

  it('marks JUMPDESTs but not 0x5b inside PUSH data', () => {
    const a = analyze(Uint8Array.from([0x60, 0x5b, 0x5b, 0x00]));
    expect(a.ops[1] & 0xff).not.toBe(0x5b);
    expect(a.ops[2] & 0xff).toBe(0x5b);
    expect(a.ops[2] >> 8).toBeGreaterThan(0);
  });

  it('sums a block up to its end: a JUMPI, and the implicit STOP after a cut-short PUSH', () => {
    // PUSH1 1, PUSH1 3, JUMPI | JUMPDEST, PUSH2 (cut short) → STOP
    const a = analyze(Uint8Array.from([0x60, 0x01, 0x60, 0x03, 0x57, 0x5b, 0x61, 0xff]));
    const first = a.ops[0] >> 8;
    expect(a.blockErgs[first]).toBe((3 + 3 + 10) * ERGS_PER_GAS);
    expect(a.blockMinSp[first]).toBe(0);
    const second = a.ops[5] >> 8;
    expect(second).toBeGreaterThan(first);
    expect(a.blockErgs[second]).toBe((1 + 3) * ERGS_PER_GAS);
    // The walk from the PUSH2 includes the STOP it runs into.
    const [ergs, native] = restOfBlock(a, 6);
    expect(ergs).toBe(3 * ERGS_PER_GAS);
    expect(native).toBe(NATIVE[0x61] + NATIVE[0x00]);
    // At a block's start nothing of the block before remains.
    expect(restOfBlock(a, 5)).toEqual([0, 0]);
  });

  it('never charges a block holding an undefined opcode up front', () => {
    const a = analyze(Uint8Array.from([0x60, 0x01, 0x0c, 0x00]));
    expect(a.blockMinSp[a.ops[0] >> 8]).toBeGreaterThan(1024);
  });
});
