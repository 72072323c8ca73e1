// Flat tree benchmark: build 1,000,000 leaves, then time batches of 10,000 writes (half new
// keys, half updates) including root recomputation. Run: npx tsx bench/tree.bench.ts [leaves]
import { randomBytes } from 'node:crypto';
import { initCrypto } from '../machine/crypto/index.ts';
import { bytesToHex } from '../machine/common/bytes.ts';
import { FlatTree, treeProofSource, verifyAndApplyBatch, type AccessedSlot, type TreeWrite } from '../machine/tree/flat/index.ts';

await initCrypto();

const LEAVES = Number(process.argv[2] ?? 1_000_000);
const BATCH = 10_000;
const ROUNDS = 5;
const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

function randomKeys(n: number): Uint8Array[] {
  const pool = randomBytes(n * 32);
  const out: Uint8Array[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = pool.subarray(i * 32, i * 32 + 32);
  return out;
}

// Run with `npx tsx --expose-gc bench/tree.bench.ts` for steadier memory figures.
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const keys = randomKeys(LEAVES);
const values = randomKeys(LEAVES);
const initial: TreeWrite[] = keys.map((key, i) => ({ key, value: values[i] }));
gc();
const mem0 = process.memoryUsage();
const tree = new FlatTree(LEAVES + 2);
let t0 = process.hrtime.bigint();
tree.applyBatch(initial);
const buildMs = ms(t0);
gc();
const mem1 = process.memoryUsage();
console.log(`build ${LEAVES.toLocaleString()} leaves: ${buildMs.toFixed(0)} ms, root ${bytesToHex(tree.root()).slice(0, 18)}…`);
console.log(
  `tree memory: +${mib(mem1.arrayBuffers - mem0.arrayBuffers)} typed arrays, +${mib(mem1.heapUsed - mem0.heapUsed)} JS heap; ` +
    `process rss ${mib(mem1.rss)} (inputs included)`,
);

const batchTimes: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const fresh = randomKeys(BATCH / 2);
  const batch: TreeWrite[] = [];
  for (let j = 0; j < BATCH / 2; j++) {
    batch.push({ key: fresh[j], value: randomKeys(1)[0] });
    batch.push({ key: keys[Math.floor(Math.random() * keys.length)], value: randomKeys(1)[0] });
  }
  t0 = process.hrtime.bigint();
  tree.applyBatch(batch);
  batchTimes.push(ms(t0));
}
batchTimes.sort((a, b) => a - b);
console.log(
  `batch of ${BATCH.toLocaleString()} writes (half new): median ${batchTimes[ROUNDS >> 1].toFixed(1)} ms, ` +
    `min ${batchTimes[0].toFixed(1)} ms, max ${batchTimes[ROUNDS - 1].toFixed(1)} ms (${ROUNDS} rounds)`,
);

t0 = process.hrtime.bigint();
for (let j = 0; j < 10_000; j++) tree.get(keys[j]);
console.log(`10,000 lookups: ${ms(t0).toFixed(1)} ms`);
t0 = process.hrtime.bigint();
for (let j = 0; j < 1_000; j++) tree.proof(BigInt(j * 997));
console.log(`1,000 proofs: ${ms(t0).toFixed(1)} ms`);

// The proving side for comparison: verify a 1,000-slot batch (half new) against the tree.
const slots: AccessedSlot[] = [];
for (const key of randomKeys(500)) slots.push({ flatKey: key, initialValue: new Uint8Array(32), finalValue: randomKeys(1)[0], isNew: true });
for (let j = 0; j < 500; j++) {
  const key = keys[j * 1999];
  slots.push({ flatKey: key, initialValue: tree.get(key)!.value, finalValue: randomKeys(1)[0], isNew: false });
}
t0 = process.hrtime.bigint();
const c = verifyAndApplyBatch(tree.commitment(), slots, treeProofSource(tree));
const verifyMs = ms(t0);
tree.applyBatch(slots.map((s) => ({ key: s.flatKey, value: s.finalValue })));
console.log(
  `verifyAndApplyBatch of 1,000 slots: ${verifyMs.toFixed(0)} ms, agrees with the tree: ${bytesToHex(c.root) === bytesToHex(tree.root())}`,
);
const mem2 = process.memoryUsage();
console.log(`final memory: rss ${mib(mem2.rss)}, heap ${mib(mem2.heapUsed)}, array buffers ${mib(mem2.arrayBuffers)}`);
