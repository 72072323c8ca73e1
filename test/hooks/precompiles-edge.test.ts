// Edge cases beyond the published vectors: malformed and adversarial inputs, huge declared
// lengths, subgroup checks, native-cost formulas and the never-throw contract. Expected values
// here are computed independently in the test (plain BigInt arithmetic) or derived by mutating a
// published vector.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bn254 } from '@noble/curves/bn254.js';
import { PRECOMPILES } from '../../machine/hooks/precompiles/index.ts';
import type { PrecompileFn, PrecompileOutcome } from '../../machine/hooks/precompiles/index.ts';
import { bigIntToBytes, bytesToHex, concatBytes, hexToBytes } from '../../machine/common/bytes.ts';
import { ECRECOVER_NATIVE } from '../../machine/hooks/precompiles/ecrecover.ts';
import { modexpGas } from '../../machine/hooks/precompiles/modexp.ts';
import { BLS_MODULUS } from '../../machine/hooks/precompiles/kzg.ts';

const GAS = 10_000_000;
const pc = (a: number): PrecompileFn => PRECOMPILES[a]!;
const hex = (s: string) => hexToBytes(s);
const u256 = (v: bigint) => bigIntToBytes(v, 32);

function expectFailure(r: PrecompileOutcome, gasAvailable: number): void {
  expect(r.ok).toBe(false);
  expect(r.gasUsed).toBe(gasAvailable);
  expect(r.output.length).toBe(0);
}

function vector(file: string, name: string): { input: string; output?: string } {
  const f = JSON.parse(readFileSync(new URL(`../fixtures/precompiles/${file}`, import.meta.url), 'utf8'));
  return f.vectors.find((v: { name: string }) => v.name === name);
}

/** Reference square-and-multiply for the modexp checks. */
function powmod(b: bigint, e: bigint, m: bigint): bigint {
  if (m === 0n) return 0n;
  let r = 1n % m;
  b %= m;
  while (e > 0n) {
    if (e & 1n) r = (r * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return r;
}

describe('0x01 ecrecover edge cases', () => {
  const valid = hex(vector('ecRecover.json', 'ValidKey').input);
  const addr = '0x000000000000000000000000a94f5374fce5edbc8e2a8697c15331677e6ebf0b';

  it('charges the documented native cost', () => {
    expect(ECRECOVER_NATIVE).toBe(350_000 + 4 * 43_000);
    expect(pc(1)(valid, GAS).native).toBe(522_000);
  });
  it('ignores bytes beyond 128', () => {
    const r = pc(1)(concatBytes(valid, new Uint8Array(40).fill(0xff)), GAS);
    expect(bytesToHex(r.output)).toBe(addr);
  });
  it('returns empty output (but succeeds and charges 3000) for empty input, v = 0, v = 29', () => {
    for (const input of [new Uint8Array(0), (() => { const b = valid.slice(); b[63] = 0; return b; })(), (() => { const b = valid.slice(); b[63] = 29; return b; })()]) {
      const r = pc(1)(input, GAS);
      expect(r).toEqual({ ok: true, gasUsed: 3000, native: 522_000, output: new Uint8Array(0) });
    }
  });
  it('rejects r = 0, s = 0, r = n, s = n (empty output); accepts high s', () => {
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    for (const [off, val] of [[64, 0n], [96, 0n], [64, n], [96, n]] as const) {
      const b = valid.slice();
      b.set(u256(val), off);
      const r = pc(1)(b, GAS);
      expect(r.ok).toBe(true);
      expect(r.output.length).toBe(0);
    }
    // (r, n - s) with the other v recovers the same key: no low-s rule in the precompile.
    const b = valid.slice();
    const s = BigInt(bytesToHex(valid.subarray(96, 128)));
    b.set(u256(n - s), 96);
    b[63] = 27;
    expect(bytesToHex(pc(1)(b, GAS).output)).toBe(addr);
  });
  it('truncated input is right-padded with zeros', () => {
    // A 96-byte input leaves s = 0: invalid, empty output, still charged.
    const r = pc(1)(valid.subarray(0, 96), GAS);
    expect(r).toEqual({ ok: true, gasUsed: 3000, native: 522_000, output: new Uint8Array(0) });
  });
  it('fails below 3000 gas', () => expectFailure(pc(1)(valid, 2999), 2999));
});

describe('0x02 / 0x03 / 0x04 gas and native formulas', () => {
  it('sha256: 60 + 12/word; native 1600 + 4200 per padded 64-byte block', () => {
    for (const [len, gas, blocks] of [[0, 60, 1], [1, 72, 1], [32, 72, 1], [33, 84, 1], [55, 84, 1], [56, 84, 2], [64, 84, 2], [119, 108, 2], [120, 108, 3]]) {
      const r = pc(2)(new Uint8Array(len), GAS);
      expect(r.gasUsed).toBe(gas);
      expect(r.native).toBe(1600 + 4200 * blocks);
    }
  });
  it('ripemd160: 600 + 120/word, 20-byte digest left-padded to 32', () => {
    const r = pc(3)(new Uint8Array(33), GAS);
    expect(r.gasUsed).toBe(840);
    expect(r.output.length).toBe(32);
    expect(r.output.subarray(0, 12).every((x) => x === 0)).toBe(true);
  });
  it('identity: 15 + 3/word; native 20 + 10/byte; output is a copy', () => {
    const input = new Uint8Array(65).fill(7);
    const r = pc(4)(input, GAS);
    expect(r.gasUsed).toBe(15 + 3 * 3);
    expect(r.native).toBe(20 + 650);
    expect(r.output).toEqual(input);
    input[0] = 1;
    expect(r.output[0]).toBe(7);
  });
  it('fail one unit short', () => {
    expectFailure(pc(2)(new Uint8Array(33), 83), 83);
    expectFailure(pc(3)(new Uint8Array(33), 839), 839);
    expectFailure(pc(4)(new Uint8Array(33), 20), 20);
  });
});

describe('0x05 modexp edge cases', () => {
  const header = (b: bigint, e: bigint, m: bigint) => concatBytes(u256(b), u256(e), u256(m));
  const MAX = (1n << 256n) - 1n;

  it('empty input: all lengths zero, 200 gas, empty output', () => {
    expect(pc(5)(new Uint8Array(0), GAS)).toMatchObject({ ok: true, gasUsed: 200, output: new Uint8Array(0) });
  });
  it('baseLen = modLen = 0 with a huge expLen costs 200 and returns nothing', () => {
    expect(pc(5)(header(0n, MAX, 0n), GAS)).toMatchObject({ ok: true, gasUsed: 200, output: new Uint8Array(0) });
  });
  it('huge declared lengths fail by gas without allocating', () => {
    for (const [b, e, m] of [[MAX, 1n, 1n], [1n, MAX, 1n], [1n, 1n, MAX], [1n << 64n, 0n, 1n], [0n, 1n << 60n, 1n]]) {
      const t0 = performance.now();
      expectFailure(pc(5)(header(b, e, m), GAS), GAS);
      expectFailure(pc(5)(header(b, e, m), 2 ** 53), 2 ** 53);
      expect(performance.now() - t0).toBeLessThan(50);
    }
  });
  it('a 2^40-byte exponent that is paid for is read as implicit zeros (no allocation)', () => {
    // words = 1, iterations = 8 * (2^40 - 32): gas ~ 2.9e12. The modulus lies past the input: 0.
    const input = header(0n, 1n << 40n, 1n);
    expectFailure(pc(5)(input, GAS), GAS);
    const gas = Number((8n * ((1n << 40n) - 32n)) / 3n);
    const r = pc(5)(input, 2 ** 53);
    expect(r).toMatchObject({ ok: true, gasUsed: gas, output: new Uint8Array(1) });
  });
  it('gas uses the exponent head when expLen > 32 (EIP-2565)', () => {
    // base 3, exponent = 0x01 followed by 32 zero bytes (2^256), modulus 64 bytes.
    const mod = hex('f'.repeat(127) + '7');
    const exp = concatBytes(hex('01'), new Uint8Array(32));
    const input = concatBytes(header(1n, 33n, 64n), hex('03'), exp, mod);
    // words = 8, mult = 64, iterations = 8 * (33 - 32) + (bitlen(0x01 << 248) - 1) = 256.
    expect(modexpGas(1n, 33n, 64n, 1n << 248n)).toBe((64n * 256n) / 3n);
    const r = pc(5)(input, GAS);
    expect(r.gasUsed).toBe(5461);
    expect(bytesToHex(r.output)).toBe(bytesToHex(bigIntToBytes(powmod(3n, 1n << 256n, BigInt(bytesToHex(mod))), 64)));
    expectFailure(pc(5)(input, 5460), 5460);
  });
  it('exponent head found after a large base; zero head means iterations from length only', () => {
    expect(modexpGas(64n, 64n, 64n, 0n)).toBe((64n * 256n) / 3n);
    expect(modexpGas(64n, 32n, 64n, 0n)).toBe(200n);
    expect(modexpGas(64n, 32n, 64n, 1n)).toBe(200n);
  });
  it('implicit right padding of a truncated modulus', () => {
    // base 2 (1 byte), exponent 5 (1 byte), modLen 2 with only 0x07 given: modulus = 0x0700.
    const r = pc(5)(concatBytes(header(1n, 1n, 2n), hex('02'), hex('05'), hex('07')), GAS);
    expect(bytesToHex(r.output)).toBe(bytesToHex(bigIntToBytes(powmod(2n, 5n, 0x700n), 2)));
    expect(bytesToHex(r.output)).toBe('0x0020');
  });
  it('zero and one moduli give zeros; zero exponent gives 1; 0^0 = 1', () => {
    expect(bytesToHex(pc(5)(concatBytes(header(1n, 1n, 3n), hex('05'), hex('03'), hex('000000')), GAS).output)).toBe('0x000000');
    expect(bytesToHex(pc(5)(concatBytes(header(1n, 1n, 2n), hex('05'), hex('03'), hex('0001')), GAS).output)).toBe('0x0000');
    expect(bytesToHex(pc(5)(concatBytes(header(1n, 1n, 2n), hex('05'), hex('00'), hex('0101')), GAS).output)).toBe('0x0001');
    expect(bytesToHex(pc(5)(concatBytes(header(1n, 0n, 2n), hex('00'), hex('0101')), GAS).output)).toBe('0x0001');
    expect(bytesToHex(pc(5)(concatBytes(header(0n, 1n, 1n), hex('07'), hex('05')), GAS).output)).toBe('0x00');
  });
  it('agrees with a reference powmod on assorted sizes', () => {
    let seed = 12345n;
    const rnd = (bytes: number) => {
      let v = 0n;
      for (let i = 0; i < bytes; i++) {
        seed = (seed * 6364136223846793005n + 1442695040888963407n) & ((1n << 64n) - 1n);
        v = (v << 8n) | (seed >> 56n);
      }
      return v;
    };
    for (const [bl, el, ml] of [[1, 1, 1], [5, 3, 7], [32, 32, 32], [33, 40, 17], [100, 8, 100], [3, 64, 200]]) {
      const b = rnd(bl), e = rnd(el), m = rnd(ml);
      const input = concatBytes(header(BigInt(bl), BigInt(el), BigInt(ml)), bigIntToBytes(b, bl), bigIntToBytes(e, el), bigIntToBytes(m, ml));
      const r = pc(5)(input, GAS);
      expect(r.ok).toBe(true);
      expect(bytesToHex(r.output)).toBe(bytesToHex(bigIntToBytes(powmod(b, e, m), ml)));
    }
  });
});

describe('0x06 / 0x07 / 0x08 bn254 edge cases', () => {
  const p = bn254.fields.Fp.ORDER;
  const one = u256(1n), two = u256(2n), three = u256(3n);
  const G2GEN = '198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c21800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa';

  it('add rejects points off the curve and coordinates >= p', () => {
    expectFailure(pc(6)(concatBytes(one, three, one, two), GAS), GAS);
    expectFailure(pc(6)(concatBytes(one, two, one, three), GAS), GAS);
    expectFailure(pc(6)(concatBytes(u256(p), u256(0n)), GAS), GAS);
    expectFailure(pc(6)(concatBytes(u256(0n), u256(p)), GAS), GAS);
    // (1, p + 2) is (1, 2) reduced mod p, yet not canonical: invalid.
    expectFailure(pc(6)(concatBytes(one, u256(p + 2n)), GAS), GAS);
    expectFailure(pc(6)(concatBytes(one, two, one, two), 149), 149);
  });
  it('add: P + (-P) = infinity, P + P = 2P', () => {
    const neg = concatBytes(one, u256(p - 2n));
    expect(bytesToHex(pc(6)(concatBytes(one, two, neg), GAS).output)).toBe('0x' + '0'.repeat(128));
    const dbl = pc(6)(concatBytes(one, two, one, two), GAS).output;
    expect(bytesToHex(pc(7)(concatBytes(one, two, two), GAS).output)).toBe(bytesToHex(dbl));
  });
  it('mul: scalar 0 and infinity give infinity; invalid point fails', () => {
    expect(bytesToHex(pc(7)(concatBytes(one, two, u256(0n)), GAS).output)).toBe('0x' + '0'.repeat(128));
    expect(bytesToHex(pc(7)(concatBytes(u256(0n), u256(0n), u256(5n)), GAS).output)).toBe('0x' + '0'.repeat(128));
    expect(pc(7)(concatBytes(one, two, u256(0n)), GAS).gasUsed).toBe(6000);
    expectFailure(pc(7)(concatBytes(one, three, u256(5n)), GAS), GAS);
    expectFailure(pc(7)(concatBytes(one, two, u256(5n)), 5999), 5999);
  });
  it('pairing: input length must be a multiple of 192', () => {
    const pair = concatBytes(one, two, hex(G2GEN));
    expectFailure(pc(8)(pair.subarray(0, 191), GAS), GAS);
    expectFailure(pc(8)(concatBytes(pair, new Uint8Array(1)), GAS), GAS);
  });
  it('pairing: pairs with a point at infinity are neutral', () => {
    const zeroG1 = concatBytes(new Uint8Array(64), hex(G2GEN));
    const zeroG2 = concatBytes(one, two, new Uint8Array(128));
    const r = pc(8)(concatBytes(zeroG1, zeroG2), GAS);
    expect(r.ok).toBe(true);
    expect(r.gasUsed).toBe(45_000 + 2 * 34_000);
    expect(bytesToHex(r.output)).toBe('0x' + '0'.repeat(63) + '1');
  });
  it('pairing: rejects a G1 point off the curve, a G2 point off the twist, and swapped Fp2 halves', () => {
    expectFailure(pc(8)(concatBytes(one, three, hex(G2GEN)), GAS), GAS);
    const bad = hex(G2GEN);
    bad[127] ^= 1;
    expectFailure(pc(8)(concatBytes(one, two, bad), GAS), GAS);
    const g = hex(G2GEN);
    const swapped = concatBytes(g.subarray(32, 64), g.subarray(0, 32), g.subarray(96, 128), g.subarray(64, 96));
    expectFailure(pc(8)(concatBytes(one, two, swapped), GAS), GAS);
  });
  it('pairing: rejects a G2 coordinate >= p', () => {
    const g = hex(G2GEN);
    g.set(u256(p), 0);
    expectFailure(pc(8)(concatBytes(one, two, g), GAS), GAS);
  });
  it('pairing: rejects a G2 point on the twist but outside the order-n subgroup', () => {
    const { Fp2 } = bn254.fields;
    const G2 = bn254.G2.Point;
    const b = G2.BASE.toAffine();
    const B = Fp2.sub(Fp2.sqr(b.y), Fp2.mul(Fp2.sqr(b.x), b.x)); // the twist's b = 3 / (i + 9)
    let pt: InstanceType<typeof G2> | null = null;
    for (let c = 1n; pt === null; c++) {
      const x = Fp2.fromBigTuple([c, 1n]);
      const rhs = Fp2.add(Fp2.mul(Fp2.sqr(x), x), B);
      let y;
      try {
        y = Fp2.sqrt(rhs);
      } catch {
        continue;
      }
      if (!Fp2.eql(Fp2.sqr(y), rhs)) continue;
      const cand = G2.fromAffine({ x, y });
      if (!cand.isTorsionFree()) pt = cand;
    }
    const { x, y } = pt.toAffine();
    const enc = concatBytes(u256(x.c1), u256(x.c0), u256(y.c1), u256(y.c0));
    expectFailure(pc(8)(concatBytes(one, two, enc), GAS), GAS);
  });
  it('pairing: gas 45000 + 34000 per pair, checked before decoding', () => {
    const pair = concatBytes(one, two, hex(G2GEN));
    expect(pc(8)(pair, GAS).gasUsed).toBe(79_000);
    expectFailure(pc(8)(pair, 78_999), 78_999);
    expect(pc(8)(new Uint8Array(0), GAS)).toMatchObject({ ok: true, gasUsed: 45_000 });
  });
});

describe('0x09 blake2f edge cases', () => {
  const v5 = hex(vector('blake2F.json', 'vector 5').input);
  it('a huge round count fails by gas at once', () => {
    const b = v5.slice();
    b.set([0xff, 0xff, 0xff, 0xff], 0);
    const t0 = performance.now();
    expectFailure(pc(9)(b, 1_000_000_000), 1_000_000_000);
    expect(performance.now() - t0).toBeLessThan(50);
  });
  it('zero rounds costs zero gas and succeeds with zero gas available', () => {
    const b = v5.slice();
    b.set([0, 0, 0, 0], 0);
    const r = pc(9)(b, 0);
    expect(r.ok).toBe(true);
    expect(r.gasUsed).toBe(0);
    expect(r.output.length).toBe(64);
  });
  it('native = 1000 + 320 per round', () => expect(pc(9)(v5, GAS).native).toBe(1000 + 320 * 12));
  it('rounds are read big-endian; results do not depend on earlier calls', () => {
    const a = bytesToHex(pc(9)(v5, GAS).output);
    const b = v5.slice();
    b.set([0x0c, 0, 0, 0], 0); // 0x0c000000 rounds: far beyond the gas given
    expectFailure(pc(9)(b, 1000), 1000);
    expect(bytesToHex(pc(9)(v5, GAS).output)).toBe(a);
  });
});

describe('0x0a point evaluation edge cases', () => {
  const good = hex(vector('pointEvaluation.json', 'pointEvaluation1').input);
  it('rejects any length other than 192', () => {
    expectFailure(pc(10)(good.subarray(0, 191), GAS), GAS);
    expectFailure(pc(10)(concatBytes(good, new Uint8Array(1)), GAS), GAS);
    expectFailure(pc(10)(new Uint8Array(0), GAS), GAS);
  });
  it('rejects a wrong versioned hash (version byte or digest)', () => {
    const a = good.slice();
    a[0] = 0x02;
    expectFailure(pc(10)(a, GAS), GAS);
    const b = good.slice();
    b[31] ^= 1;
    expectFailure(pc(10)(b, GAS), GAS);
  });
  it('rejects a wrong claimed value y, a wrong z, and z or y >= BLS_MODULUS', () => {
    for (const [off, mut] of [[95, 1], [63, 1]] as const) {
      const c = good.slice();
      c[off] ^= mut;
      expectFailure(pc(10)(c, GAS), GAS);
    }
    for (const off of [32, 64]) {
      const c = good.slice();
      c.set(u256(BLS_MODULUS), off);
      expectFailure(pc(10)(c, GAS), GAS);
    }
  });
  it('rejects a corrupted proof', () => {
    const c = good.slice();
    c[191] ^= 1;
    expectFailure(pc(10)(c, GAS), GAS);
  });
  it('fails below 50000 gas', () => expectFailure(pc(10)(good, 49_999), 49_999));
});

describe('never throws', () => {
  it('random, all-ones and truncated inputs at several gas levels', () => {
    let seed = 0x9e3779b9;
    const next = () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed;
    };
    const lengths = [0, 1, 31, 32, 63, 64, 95, 96, 127, 128, 160, 191, 192, 193, 212, 213, 214, 384];
    for (let addr = 1; addr <= 10; addr++) {
      for (const len of lengths) {
        for (const fill of ['random', 'ones', 'small'] as const) {
          const input = new Uint8Array(len);
          for (let i = 0; i < len; i++) input[i] = fill === 'ones' ? 0xff : fill === 'small' ? (i % 32 === 31 ? next() & 3 : 0) : next() & 0xff;
          for (const gas of [0, 1, 3000, GAS, 2 ** 53]) {
            const r = pc(addr)(input, gas);
            expect(typeof r.ok).toBe('boolean');
            if (!r.ok) expectFailure(r, gas);
            else expect(r.gasUsed).toBeLessThanOrEqual(gas);
            expect(Number.isFinite(r.native)).toBe(true);
          }
        }
      }
    }
  });
});
