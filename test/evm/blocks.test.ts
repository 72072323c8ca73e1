// Per-block charging (machine/ee/evm/analysis.ts) against the per-instruction reference: random
// programs, run under gas and native limits that cut them short at every kind of place, must give
// byte-identical block outputs (gas used, status, native used, state, logs) either way.
import { afterAll, describe, expect, it } from 'vitest';
import { setBlockCharging } from '../../machine/ee/evm/index.ts';
import type { BlockOutput } from '../../machine/bootloader/types.ts';
import { account, run, SENDER, tx } from '../helpers/chain.ts';
import { acct, ALICE, eip1559, runZk } from '../zksync/helpers.ts';
import { rng } from '../tree/flat-helpers.ts';

const TARGET = 0xc0de0001n;
const CALLEE = 0xc0de0002n;

const ARITH = [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x0a, 0x0b, 0x10, 0x11, 0x12, 0x13, 0x14, 0x16, 0x17, 0x18, 0x1a, 0x1b, 0x1c, 0x1d];

/** A random program that mostly keeps its stack legal; `depth` segments end in JUMPDESTs. */
function program(r: () => number, calls: boolean): Uint8Array {
  const out: number[] = [];
  const fixups: Array<[at: number, seg: number]> = [];
  const segments = 2 + Math.floor(r() * 5);
  const segStart: number[] = [];
  let h = 0;
  const push = (v: number) => {
    if (v === 0) out.push(0x5f);
    else if (v < 256) out.push(0x60, v);
    else out.push(0x61, v >> 8, v & 0xff);
    h++;
  };
  for (let s = 0; s < segments; s++) {
    segStart.push(out.length);
    out.push(0x5b);
    const len = 3 + Math.floor(r() * 25);
    for (let i = 0; i < len; i++) {
      const k = r();
      if (k < 0.2) push(Math.floor(r() * 300));
      else if (k < 0.25) {
        out.push(0x7f);
        for (let j = 0; j < 32; j++) out.push(Math.floor(r() * 256));
        h++;
      } else if (k < 0.45 && h >= 2) {
        out.push(ARITH[Math.floor(r() * ARITH.length)]);
        h--;
      } else if (k < 0.5 && h >= 3) {
        out.push(r() < 0.5 ? 0x08 : 0x09);
        h -= 2;
      } else if (k < 0.55 && h >= 1) {
        out.push(r() < 0.5 ? 0x15 : 0x19);
      } else if (k < 0.6 && h >= 1) {
        out.push(0x80 + Math.floor(r() * Math.min(h, 4)));
        h++;
      } else if (k < 0.63 && h >= 2) {
        out.push(0x90 + Math.floor(r() * Math.min(h - 1, 3)));
      } else if (k < 0.68) {
        // Memory, now and then far enough out to cost a visible expansion.
        push(r() < 0.8 ? Math.floor(r() * 200) : 1000 + Math.floor(r() * 3000));
        const m = r();
        if (m < 0.4 && h >= 2) { out.push(0x52); h -= 2; }
        else if (m < 0.55 && h >= 2) { out.push(0x53); h -= 2; }
        else out.push(0x51);
      } else if (k < 0.71) {
        push(Math.floor(r() * 300));
        push(Math.floor(r() * 100));
        out.push(0x20);
        h--;
      } else if (k < 0.74) {
        out.push([0x5a, 0x58, 0x59, 0x30, 0x36, 0x3d][Math.floor(r() * 6)]);
        h++;
      } else if (k < 0.78) {
        push(Math.floor(r() * 4));
        if (r() < 0.5 && h >= 2) { out.push(r() < 0.5 ? 0x55 : 0x5d); h -= 2; }
        else out.push(r() < 0.5 ? 0x54 : 0x5c);
      } else if (k < 0.8) {
        push(Math.floor(r() * 64));
        push(Math.floor(r() * 64));
        push(Math.floor(r() * 64));
        out.push(r() < 0.5 ? 0x37 : 0x39);
        h -= 3;
      } else if (k < 0.82 && h >= 3) {
        out.push(0xa1);
        h -= 3;
      } else if (k < 0.85 && s + 1 < segments) {
        // A forward JUMPI on a coin: its condition is whatever is on top (or a pushed one).
        if (h === 0) push(Math.floor(r() * 2));
        fixups.push([out.length + 1, s + 1 + Math.floor(r() * (segments - s - 1))]);
        out.push(0x61, 0, 0, 0x57);
        h--;
      } else if (k < 0.87 && calls) {
        push(0); push(0); push(32); push(0); push(0);
        out.push(0x73, ...Array.from({ length: 20 }, (_, j) => Number((CALLEE >> BigInt(8 * (19 - j))) & 0xffn)));
        h++;
        if (r() < 0.5) { out.push(0x5a); h++; } else push(Math.floor(r() * 20000));
        out.push(0xf1);
        h -= 6;
      } else if (k < 0.875) {
        out.push([0xfe, 0x0c, 0x50, 0x56][Math.floor(r() * 4)]);
        h = Math.max(0, h - 1);
      } else if (k < 0.88) {
        out.push(0x50);
        h--;
      } else push(Math.floor(r() * 5));
      if (h < 0) h = 0;
    }
  }
  if (r() < 0.5) {
    push(32);
    push(0);
    out.push(r() < 0.8 ? 0xf3 : 0xfd);
  }
  for (const [at, seg] of fixups) {
    out[at] = segStart[seg] >> 8;
    out[at + 1] = segStart[seg] & 0xff;
  }
  return Uint8Array.from(out);
}

function ser(out: BlockOutput): string {
  return JSON.stringify(out, (_k, v) => (typeof v === 'bigint' ? `n${v}` : v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v));
}

/** Runs fn with per-instruction and with per-block charging; fresh code copies defeat the caches. */
function both(fn: () => BlockOutput): [stepped: string, blocked: string] {
  setBlockCharging(false);
  const stepped = ser(fn());
  setBlockCharging(true);
  const blocked = ser(fn());
  return [stepped, blocked];
}

afterAll(() => setBlockCharging(true));

describe('per-block charging', () => {
  it('matches per-instruction charging in the ethereum profile, at every gas limit tried', () => {
    const r = rng(7);
    for (let p = 0; p < 120; p++) {
      const code = program(r, true);
      const callee = program(r, false);
      for (let g = 0; g < 4; g++) {
        const gasLimit = 21_000n + 200n + BigInt(Math.floor(r() * (g < 2 ? 3_000 : 60_000)));
        const [a, b] = both(() =>
          run(
            new Map([
              [SENDER, account({ balance: 10n ** 24n })],
              [TARGET, account({ code: code.slice() })],
              [CALLEE, account({ code: callee.slice() })],
            ]),
            [tx({ nonce: 0n, to: TARGET, gasLimit, data: Uint8Array.from([1, 2, 3, 4, 5]) })],
          ),
        );
        expect(b, `program ${p}, gas ${gasLimit}`).toBe(a);
      }
    }
  });

  it('matches per-instruction charging when native runs out first (zksync profile)', () => {
    const r = rng(11);
    for (let p = 0; p < 80; p++) {
      const code = program(r, true);
      const callee = program(r, false);
      for (const nativePrice of [1100n, 275n, 55n, 10n]) {
        const gasLimit = 200_000n + BigInt(Math.floor(r() * 400_000));
        const [a, b] = both(() =>
          runZk(
            new Map([
              [ALICE, acct({ balance: 10n ** 18n })],
              [TARGET, acct({ code: code.slice() })],
              [CALLEE, acct({ code: callee.slice() })],
            ]),
            [eip1559({ nonce: 0n, to: TARGET, gasLimit, data: Uint8Array.from([9, 8, 7]) })],
            { nativePrice },
          ),
        );
        expect(b, `program ${p}, native price ${nativePrice}`).toBe(a);
      }
    }
  });
});
