// Every precompile against published vectors (see test/fixtures/precompiles/README.md): exact
// output, exact gas, failure with one unit of gas less, and failure semantics (all gas consumed,
// empty output).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PRECOMPILES, PRECOMPILE_COUNT } from '../../machine/hooks/precompiles/index.ts';
import type { PrecompileFn } from '../../machine/hooks/precompiles/index.ts';
import { bytesToHex, hexToBytes } from '../../machine/common/bytes.ts';

interface Vector {
  name: string;
  input: string;
  ok: boolean;
  output?: string;
  gas?: number;
  slow?: boolean;
}

function load(file: string): { source: string; vectors: Vector[] } {
  return JSON.parse(readFileSync(new URL(`../fixtures/precompiles/${file}`, import.meta.url), 'utf8'));
}

const GAS_PLENTY = 30_000_000;

function pc(address: number): PrecompileFn {
  const fn = PRECOMPILES[address];
  if (!fn) throw new Error(`no precompile at ${address}`);
  return fn;
}

function runVectors(address: number, vectors: Vector[]): void {
  const fn = pc(address);
  for (const v of vectors) {
    if (v.slow) continue;
    it(v.name, () => {
      const input = hexToBytes(v.input);
      if (!v.ok) {
        const r = fn(input, GAS_PLENTY);
        expect(r.ok).toBe(false);
        expect(r.gasUsed).toBe(GAS_PLENTY);
        expect(r.output.length).toBe(0);
        return;
      }
      const gas = v.gas!;
      // With exactly the gas needed.
      const r = fn(input, gas);
      expect(r.ok).toBe(true);
      expect(r.gasUsed).toBe(gas);
      expect(bytesToHex(r.output)).toBe('0x' + v.output!.toLowerCase());
      expect(Number.isSafeInteger(r.native) && r.native >= 0).toBe(true);
      // With plenty of gas: the same result and the same charge (skipped for the long blake2f run).
      if (gas < 1_000_000) {
        const r2 = fn(input, GAS_PLENTY);
        expect(r2.ok).toBe(true);
        expect(r2.gasUsed).toBe(gas);
        expect(bytesToHex(r2.output)).toBe('0x' + v.output!.toLowerCase());
        expect(r2.native).toBe(r.native);
      }
      // One unit short: out of gas, everything offered is consumed.
      if (gas > 0) {
        const r3 = fn(input, gas - 1);
        expect(r3).toEqual({ ok: false, gasUsed: gas - 1, native: r3.native, output: new Uint8Array(0) });
      }
    });
  }
}

describe('precompile table', () => {
  it('has 0x01..0x0a filled and index 0 empty', () => {
    expect(PRECOMPILE_COUNT).toBe(10);
    expect(PRECOMPILES.length).toBe(11);
    expect(PRECOMPILES[0]).toBeUndefined();
    for (let i = 1; i <= 10; i++) expect(typeof PRECOMPILES[i]).toBe('function');
  });
});

describe('0x01 ecrecover (go-ethereum ecRecover.json)', () => runVectors(1, load('ecRecover.json').vectors));

describe('0x02 sha256 / 0x03 ripemd160 / 0x04 identity', () => {
  const h = JSON.parse(readFileSync(new URL('../fixtures/precompiles/hashes.json', import.meta.url), 'utf8'));
  describe('sha256', () => runVectors(2, h.sha256));
  describe('ripemd160', () => runVectors(3, h.ripemd160));
  describe('identity', () => runVectors(4, h.identity));
});

describe('0x05 modexp (go-ethereum modexp_eip2565.json)', () => runVectors(5, load('modexp_eip2565.json').vectors));

describe('0x06 bn254 add (go-ethereum bn256Add.json)', () => runVectors(6, load('bn256Add.json').vectors));

describe('0x07 bn254 mul (go-ethereum bn256ScalarMul.json)', () => runVectors(7, load('bn256ScalarMul.json').vectors));

describe('0x08 bn254 pairing (go-ethereum bn256Pairing.json)', () => runVectors(8, load('bn256Pairing.json').vectors));

describe('0x09 blake2f (EIP-152 vectors)', () => {
  const vectors = load('blake2F.json').vectors;
  runVectors(9, vectors);
  const v8 = vectors.find((v) => v.slow)!;
  it('EIP-152 vector 8 (2^32-1 rounds) fails by gas before any work when gas is short', () => {
    const t0 = Date.now();
    const r = pc(9)(hexToBytes(v8.input), 0xffffffff - 1);
    expect(r.ok).toBe(false);
    expect(r.gasUsed).toBe(0xffffffff - 1);
    expect(r.output.length).toBe(0);
    expect(Date.now() - t0).toBeLessThan(100);
  });
  it.skipIf(!process.env.ZKOS_SLOW_TESTS)('EIP-152 vector 8 in full (ZKOS_SLOW_TESTS=1, about a minute with the WebAssembly F)', () => {
    const r = pc(9)(hexToBytes(v8.input), v8.gas!);
    expect(r.ok).toBe(true);
    expect(r.gasUsed).toBe(v8.gas);
    expect(bytesToHex(r.output)).toBe('0x' + v8.output);
  }, 3_600_000);
});

describe('0x0a point evaluation (go-ethereum pointEvaluation.json, c-kzg verify_kzg_proof)', () =>
  runVectors(10, load('pointEvaluation.json').vectors));
