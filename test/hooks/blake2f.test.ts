// BLAKE2F (0x09): the WebAssembly compression function (wasm/blake2f.wat) against the TypeScript
// one and the EIP-152 vectors; the embedded binary against its WAT source.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  blake2bCompress,
  blake2bCompressTs,
  blake2bCompressWasm,
  blake2fPrecompile,
  blake2fWasm,
} from '../../machine/hooks/precompiles/blake2f.ts';
import { bytesToHex, hexToBytes } from '../../machine/common/bytes.ts';

interface Vector {
  name: string;
  input: string;
  ok: boolean;
  output?: string;
  gas?: number;
  slow?: boolean;
}

const vectors: Vector[] = JSON.parse(
  readFileSync(new URL('../fixtures/precompiles/blake2F.json', import.meta.url), 'utf8'),
).vectors;
const vector = (prefix: string) => vectors.find((v) => v.name.startsWith(prefix))!;

const SLOW = !!process.env.ZKOS_SLOW_TESTS;
// The WebAssembly module runs its rounds in calls of this many (wasm/blake2f.wat, $CHUNK).
const CHUNK = 65536;

/** xorshift32: a small deterministic generator for the random cases. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

function randomInput(next: () => number, rounds: number, f: number): Uint8Array {
  const b = new Uint8Array(213);
  for (let i = 4; i < 212; i++) b[i] = next() & 0xff;
  new DataView(b.buffer).setUint32(0, rounds);
  b[212] = f;
  return b;
}

const roundsOf = (input: Uint8Array) => new DataView(input.buffer, input.byteOffset).getUint32(0);

describe('blake2f WebAssembly module', () => {
  it('instantiates synchronously on Node', () => {
    expect(blake2fWasm()).not.toBeNull();
  });

  it('the embedded wasm modules (blake2f, keccak) are up to date with their sources', () => {
    const script = fileURLToPath(new URL('../../bin/build-wasm.mjs', import.meta.url));
    // Throws (exit code 1) when the embedded binary differs from a fresh build of the WAT.
    execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' });
  }, 60_000);
});

describe('blake2f WebAssembly vs TypeScript', () => {
  it('agree on random inputs, round counts and flags (seeded)', () => {
    const next = rng(0x152b2f);
    for (let i = 0; i < 300; i++) {
      const rounds = i < 40 ? i : next() % 400;
      const input = randomInput(next, rounds, next() & 1);
      const copy = input.slice();
      const ts = blake2bCompressTs(input, rounds);
      const wasm = blake2bCompressWasm(input, rounds);
      expect(bytesToHex(wasm), `case ${i}: ${rounds} rounds`).toBe(bytesToHex(ts));
      expect(input).toEqual(copy); // the input is left as it was
    }
  });

  it('agree across the chunks of the round loop', () => {
    const next = rng(0xc0ffee);
    for (const rounds of [CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK + 7]) {
      const input = randomInput(next, rounds, rounds & 1);
      expect(bytesToHex(blake2bCompressWasm(input, rounds)), `${rounds} rounds`).toBe(
        bytesToHex(blake2bCompressTs(input, rounds)),
      );
    }
  });

  it('agree through the precompile, interleaved, outputs not shared between calls', () => {
    const next = rng(7);
    const outs: Uint8Array[] = [];
    const expected: string[] = [];
    for (let i = 0; i < 50; i++) {
      const rounds = next() % 64;
      const input = randomInput(next, rounds, next() & 1);
      const r = blake2fPrecompile(input, 1_000);
      expect(r.ok).toBe(true);
      expect(r.gasUsed).toBe(rounds);
      expect(r.native).toBe(1000 + 320 * rounds);
      outs.push(r.output);
      expected.push(bytesToHex(blake2bCompressTs(input, rounds)));
    }
    // Earlier outputs are unchanged by later calls (each is a copy, not a view of wasm memory).
    expect(outs.map(bytesToHex)).toEqual(expected);
  });
});

describe('blake2f EIP-152 vectors 4-7 on both implementations', () => {
  for (const name of ['vector 4', 'vector 5', 'vector 6', 'vector 7']) {
    const v = vector(name);
    it(name, () => {
      const input = hexToBytes(v.input);
      const rounds = roundsOf(input);
      const want = '0x' + v.output!.toLowerCase();
      expect(bytesToHex(blake2bCompressWasm(input, rounds))).toBe(want);
      expect(bytesToHex(blake2bCompressTs(input, rounds))).toBe(want);
      expect(bytesToHex(blake2bCompress(input, rounds))).toBe(want);
      const r = blake2fPrecompile(input, v.gas!);
      expect(r).toEqual({ ok: true, gasUsed: v.gas, native: 1000 + 320 * rounds, output: hexToBytes(want) });
    });
  }

  // go-ethereum's vector 8: 8,000,000 rounds (~0.1 s in WebAssembly, ~1 s in TypeScript).
  const geth8 = vectors.find((v) => v.name.startsWith('vector 8') && !v.slow)!;
  it(geth8.name, () => {
    const input = hexToBytes(geth8.input);
    const rounds = roundsOf(input);
    expect(rounds).toBe(8_000_000);
    expect(bytesToHex(blake2bCompressWasm(input, rounds))).toBe('0x' + geth8.output);
    expect(bytesToHex(blake2bCompressTs(input, rounds))).toBe('0x' + geth8.output);
  }, 60_000);

  // EIP-152's own vector 8 (= stTimeConsuming/CALLBlake2f_MaxRounds): 2^32 - 1 rounds, about a
  // minute in WebAssembly (the TypeScript code would take about ten).
  const eip8 = vectors.find((v) => v.name.startsWith('vector 8') && v.slow)!;
  it.skipIf(!SLOW)(`${eip8.name} through the precompile (ZKOS_SLOW_TESTS=1)`, () => {
    const input = hexToBytes(eip8.input);
    expect(roundsOf(input)).toBe(0xffffffff);
    const r = blake2fPrecompile(input, eip8.gas!);
    expect(r.ok).toBe(true);
    expect(r.gasUsed).toBe(0xffffffff);
    expect(bytesToHex(r.output)).toBe('0x' + eip8.output);
  }, 3_600_000);
});
