// The batch recovery addon (machine/crypto/native) against @noble/curves, key by key: valid
// signatures, every way a signature recovers nothing, and batches mixing both.
import { secp256k1 as noble } from '@noble/curves/secp256k1.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { bigIntToBytes, bytesToBigInt, concatBytes } from '../../machine/common/bytes.ts';
import { cryptoBackends, initCrypto, keccak256, recoverCompact, recoverCompactBatch, SECP256K1_N } from '../../machine/crypto/index.ts';

beforeAll(() => initCrypto());

const P = 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2fn;
const word = (x: bigint) => bigIntToBytes(x, 32);
const mod = (a: bigint, m: bigint) => ((a % m) + m) % m;

interface Case {
  name: string;
  hash: Uint8Array;
  sig: Uint8Array;
  recid: number;
}

/** What @noble/curves recovers, or null when it finds no key. */
function nobleKey(c: Case): Uint8Array | null {
  if (c.recid > 3) return null;
  try {
    return noble.Signature.fromBytes(c.sig, 'compact').addRecoveryBit(c.recid).recoverPublicKey(c.hash).toBytes(false).subarray(1);
  } catch {
    return null;
  }
}

function cases(): Case[] {
  const out: Case[] = [];
  for (let i = 0; i < 40; i++) {
    const key = keccak256(Uint8Array.of(1, i));
    const hash = keccak256(Uint8Array.of(2, i));
    const s = noble.sign(hash, key, { prehash: false, format: 'recovered' });
    out.push({ name: `signed ${i}`, hash, sig: s.subarray(1), recid: s[0] });
  }
  const good = out[0];
  const withSig = (name: string, r: bigint, s: bigint, recid = 0, hash = good.hash): Case => ({ name, hash, sig: concatBytes(word(r), word(s)), recid });
  const r0 = bytesToBigInt(good.sig, 0, 32);
  const s0 = bytesToBigInt(good.sig, 32, 64);
  out.push(withSig('r = 0', 0n, s0), withSig('s = 0', r0, 0n), withSig('r = n', SECP256K1_N, s0), withSig('s = n', r0, SECP256K1_N));
  out.push(withSig('s = n - 1', r0, SECP256K1_N - 1n), withSig('recid 1 of a recid-0 signature', r0, s0, good.recid ^ 1));
  out.push({ ...good, name: 'recid 4', recid: 4 });
  // x = r + n: not on the curve for most r, and past p when r >= p - n.
  out.push(withSig('recid 2', r0, s0, 2), withSig('recid 3, r + n >= p', P - SECP256K1_N, s0, 3));
  // An x with no point: x^3 + 7 is not a square for x = 5.
  out.push(withSig('x off the curve', 5n, s0));
  // s R = z G, so the key would be the point at infinity.
  const k = 0x1234567n;
  const R = noble.Point.BASE.multiply(k);
  const r = mod(R.x, SECP256K1_N);
  out.push(withSig('key at infinity', r, s0, R.y & 1n ? 1 : 0, word(mod(s0 * k, SECP256K1_N))));
  return out;
}

describe('secp256k1 batch recovery', () => {
  it('loaded the native addon', () => {
    expect(cryptoBackends().secp256k1).toBe('native');
  });

  it('recovers each key as @noble/curves does, or nothing where it finds none', () => {
    const all = cases();
    const keys = recoverCompactBatch(concatBytes(...all.map((c) => c.hash)), concatBytes(...all.map((c) => c.sig)), Uint8Array.from(all.map((c) => c.recid)));
    for (const [i, c] of all.entries()) {
      const want = nobleKey(c);
      expect(keys[i], c.name).toEqual(want);
      expect(recoverCompact(c.hash, c.sig, c.recid), c.name).toEqual(want);
    }
    expect(keys.filter((k) => k === null).length).toBeGreaterThanOrEqual(9); // every broken case failed
  });

  it('gives the same answer at every position and batch size', () => {
    const all = cases();
    const want = all.map(nobleKey);
    for (const size of [0, 1, 2, 7, all.length]) {
      for (let at = 0; at + size <= all.length; at += Math.max(size, 5)) {
        const part = all.slice(at, at + size);
        const keys = recoverCompactBatch(concatBytes(...part.map((c) => c.hash)), concatBytes(...part.map((c) => c.sig)), Uint8Array.from(part.map((c) => c.recid)));
        expect(keys).toEqual(want.slice(at, at + size));
      }
    }
  });

  it('rejects inputs whose lengths disagree', () => {
    expect(() => recoverCompactBatch(new Uint8Array(32), new Uint8Array(63), new Uint8Array(1))).toThrow(RangeError);
  });
});
