// BLAKE2F (0x09) benchmark: ns per round of the TypeScript and WebAssembly compression functions,
// the projected time of the 2^32 - 1 rounds of EIP-152 vector 8 / stTimeConsuming
// CALLBlake2f_MaxRounds, and, with ZKOS_BENCH_MAXROUNDS=1, that case run once in full through the
// precompile. Run: npx tsx bench/blake2f.bench.ts   (or ZKOS_BENCH_MAXROUNDS=1 npx tsx ...)
import {
  blake2bCompressTs,
  blake2bCompressWasm,
  blake2fPrecompile,
  blake2fWasm,
} from '../machine/hooks/precompiles/blake2f.ts';
import { bytesToHex, hexToBytes } from '../machine/common/bytes.ts';

// EIP-152 vector 8: the input of CALLBlake2f_MaxRounds (rounds 0xffffffff) and its output.
const MAX_INPUT = hexToBytes(
  '0xffffffff48c9bdf267e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5d182e6ad7f520e511f6c3e2b8c68059b' +
    '6bbd41fbabd9831f79217e1319cde05b616263000000000000000000000000000000000000000000000000000000000000000000' +
    '00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000' +
    '00000000000000000000000000000000000000000000000000000000000000000000000000000000030000000000000000000000' +
    '0000000001',
);
const MAX_OUTPUT =
  '0xfc59093aafa9ab43daae0e914c57635c5402d8e3d2130eb9b3cc181de7f0ecf9b22bf99a7815ce16419e200e01846e6b5df8cc7703041bbceb571de6631d2615';
const MAX_ROUNDS = 0xffffffff;
if (MAX_INPUT.length !== 213) throw new Error('bad MAX_INPUT');

const now = () => process.hrtime.bigint();
const withRounds = (n: number) => {
  const b = MAX_INPUT.slice();
  new DataView(b.buffer).setUint32(0, n);
  return b;
};

/** Best-of-`reps` ns per round of one call of `rounds` rounds. */
function nsPerRound(fn: (input: Uint8Array, count: number) => Uint8Array, rounds: number, reps: number): number {
  const input = withRounds(rounds);
  let best = Infinity;
  for (let i = 0; i < reps; i++) {
    const t0 = now();
    fn(input, rounds);
    best = Math.min(best, Number(now() - t0) / rounds);
  }
  return best;
}

/** Mean µs per call of `calls` calls of 12 rounds (the BLAKE2b rounds of a real hash). */
function usPer12RoundCall(fn: (input: Uint8Array, count: number) => Uint8Array, calls: number): number {
  const input = withRounds(12);
  for (let i = 0; i < 1000; i++) fn(input, 12);
  const t0 = now();
  for (let i = 0; i < calls; i++) fn(input, 12);
  return Number(now() - t0) / calls / 1000;
}

const fmtS = (ns: number) => `${(ns / 1e9).toFixed(1)} s`;

if (!blake2fWasm()) console.log('WARNING: WebAssembly unavailable; the precompile would use the TS code');

// Warm-up: the JIT tiers up both implementations (V8 swaps in optimized wasm code between calls).
for (let i = 0; i < 20; i++) {
  blake2bCompressTs(withRounds(10_000), 10_000);
  blake2bCompressWasm(withRounds(200_000), 200_000);
}

const ts = nsPerRound(blake2bCompressTs, 1 << 21, 5);
const wasm = nsPerRound(blake2bCompressWasm, 1 << 24, 5);
console.log(`TS:   ${ts.toFixed(1)} ns/round, 2^32-1 rounds projected ${fmtS(ts * MAX_ROUNDS)}`);
console.log(`WASM: ${wasm.toFixed(1)} ns/round, 2^32-1 rounds projected ${fmtS(wasm * MAX_ROUNDS)}`);
console.log(`speed-up: ${(ts / wasm).toFixed(1)}x`);
console.log(
  `12-round call: TS ${usPer12RoundCall(blake2bCompressTs, 100_000).toFixed(2)} µs, ` +
    `WASM ${usPer12RoundCall(blake2bCompressWasm, 100_000).toFixed(2)} µs`,
);

if (process.env.ZKOS_BENCH_MAXROUNDS === '1') {
  console.log('running CALLBlake2f_MaxRounds (2^32-1 rounds) through the precompile…');
  const t0 = now();
  const r = blake2fPrecompile(MAX_INPUT, 10_000_000_000);
  const ns = Number(now() - t0);
  const out = bytesToHex(r.output);
  console.log(`max rounds: ${fmtS(ns)} wall (${(ns / MAX_ROUNDS).toFixed(1)} ns/round), gas ${r.gasUsed}, ok ${r.ok}`);
  console.log(`output ${out} ${out === MAX_OUTPUT ? 'matches' : 'DOES NOT MATCH'} EIP-152 vector 8`);
  if (!r.ok || r.gasUsed !== MAX_ROUNDS || out !== MAX_OUTPUT) process.exitCode = 1;
}
