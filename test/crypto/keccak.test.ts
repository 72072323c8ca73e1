// keccak-256 on our WebAssembly module (machine/crypto/keccak.ts) against the audited pure-JS
// @noble/hashes implementation: every length around the 136-byte rate and the module's input
// chunk, as bytes and as the 256-bit word KECCAK256 pushes.
import { keccak_256 } from '@noble/hashes/sha3.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { bytesToBigInt } from '../../machine/common/bytes.ts';
import { cryptoBackends, initCrypto, keccak256, keccak256Word } from '../../machine/crypto/index.ts';
import { KECCAK_IN_BLOCKS, KECCAK_RATE } from '../../machine/crypto/keccak-wasm.ts';

beforeAll(() => initCrypto());

describe('keccak-256', () => {
  it('runs on the wasm module, and on native secp256k1', () => {
    expect(cryptoBackends()).toEqual({ keccak: 'wasm', secp256k1: 'native' });
  });

  it('equals @noble/hashes at every length near the rate and the chunk size', () => {
    const lengths: number[] = [];
    for (let n = 0; n <= 300; n++) lengths.push(n);
    const chunk = KECCAK_IN_BLOCKS * KECCAK_RATE;
    for (const n of [chunk - 1, chunk, chunk + 1, chunk + 135, chunk + 136, 2 * chunk + 200, 300_000]) lengths.push(n);
    for (const n of lengths) {
      const data = new Uint8Array(n).map((_, i) => (i * 197 + n * 7) & 0xff);
      const want = keccak_256(data);
      expect(keccak256(data), `length ${n}`).toEqual(want);
      expect(keccak256Word(data), `length ${n}`).toBe(bytesToBigInt(want));
    }
  });

  it('returns a digest that later hashes do not overwrite', () => {
    const a = keccak256(new Uint8Array([1]));
    const copy = a.slice();
    keccak256(new Uint8Array([2]));
    expect(a).toEqual(copy);
  });

  it('hashes a view at an offset into a larger buffer', () => {
    const big = new Uint8Array(1000).map((_, i) => i & 0xff);
    const view = big.subarray(37, 37 + 200);
    expect(keccak256(view)).toEqual(keccak_256(view.slice()));
  });
});
