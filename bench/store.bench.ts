// Event store benchmark: N blocks of T signed value transfers (each to a fresh address), executed
// over SQLite with every oracle query and IO event persisted; then time-travel reads and replays.
// Run: npx tsx bench/store.bench.ts [blocks=200] [txsPerBlock=100] [dbPath]
import { statSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { EthereumProfile } from '../machine/bootloader/ethereum.ts';
import { bigIntToBytes } from '../machine/common/bytes.ts';
import { initCrypto, keccak256, privateKeyToAddress } from '../machine/crypto/index.ts';
import type { PreStateAccount } from '../machine/oracle/memory.ts';
import type { BlockMetadata } from '../machine/oracle/types.ts';
import { signTransaction } from '../machine/tx/encode.ts';
import { openChain } from '../storage/chain.ts';
import type { BlockRecord } from '../storage/store.ts';

await initCrypto();

const BLOCKS = Number(process.argv[2] ?? 200);
const TXS = Number(process.argv[3] ?? 100);
const SENDERS = 64;
const dir = process.argv[4] ? null : mkdtempSync(join(tmpdir(), 'zkos-bench-'));
const path = process.argv[4] ?? join(dir!, 'bench.db');
const now = () => Number(process.hrtime.bigint()) / 1e6;
/** CPU time of this process (user + system), ms: steadier than wall time on a shared machine. */
const cpu = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

const keys = Array.from({ length: SENDERS }, (_, i) => keccak256(bigIntToBytes(BigInt(i + 1), 32)));
const senders = keys.map(privateKeyToAddress);
const recipient = (b: number, i: number): bigint => 0x100000000000000000000000000000000000n + BigInt(b * TXS + i);

function meta(n: number): BlockMetadata {
  return {
    chainId: 1n, blockNumber: BigInt(n), timestamp: 1_700_000_000n + BigInt(n), blockHashes: new Array(256).fill(0n),
    eip1559BaseFee: 10n, gasPerPubdata: 0n, nativePrice: 1n, coinbase: 0xc0ffeen, gasLimit: 30_000_000n, mixHash: 0n, blobBaseFee: 1n,
  };
}

let t0 = now();
const nonces = new Array<bigint>(SENDERS).fill(0n);
const blocks: Uint8Array[][] = [];
for (let b = 1; b <= BLOCKS; b++) {
  const txs: Uint8Array[] = [];
  for (let i = 0; i < TXS; i++) {
    const s = (b * TXS + i) % SENDERS;
    txs.push(signTransaction({ type: 2, chainId: 1n, nonce: nonces[s]++, gasLimit: 21_000n, maxFeePerGas: 20n, maxPriorityFeePerGas: 2n, to: recipient(b, i), value: 1000n + BigInt(i) }, keys[s]));
  }
  blocks.push(txs);
}
console.log(`signed ${(BLOCKS * TXS).toLocaleString()} transfers in ${(now() - t0).toFixed(0)} ms`);

const chain = openChain(path);
const genesis = new Map<bigint, PreStateAccount>(senders.map((a) => [a, { balance: 10n ** 24n, nonce: 0n, code: new Uint8Array(0), storage: new Map() }]));
chain.genesis(genesis, { chainId: 1n });

let persistMs = 0;
let persistCpu = 0;
let logBytes = 0;
let eventBytes = 0;
let logDeflated = 0;
let eventDeflated = 0;
const persist = chain.store.persist.bind(chain.store);
chain.store.persist = (rec: BlockRecord) => {
  const p0 = now();
  const q0 = cpu();
  const stats = persist(rec);
  persistMs += now() - p0;
  persistCpu += cpu() - q0;
  return stats;
};
const profile = new EthereumProfile();
t0 = now();
const c0 = cpu();
for (let b = 1; b <= BLOCKS; b++) {
  chain.executeBlock(meta(b), blocks[b - 1], profile);
  const s = chain.lastPersist!;
  logBytes += s.oracleLogBytes;
  eventBytes += s.ioEventBytes;
}
const totalMs = now() - t0;
const cpuMs = cpu() - c0;
for (const n of [1, Math.ceil(BLOCKS / 2), BLOCKS]) {
  const row = chain.db.prepare('SELECT oracle_log, io_events FROM block_logs WHERE block = ?').get(n) as { oracle_log: Buffer; io_events: Buffer };
  logDeflated += deflateRawSync(row.oracle_log).length / row.oracle_log.length / 3;
  eventDeflated += deflateRawSync(row.io_events).length / row.io_events.length / 3;
}
const txCount = BLOCKS * TXS;
console.log(`executed + persisted ${BLOCKS} blocks × ${TXS} transfers in ${totalMs.toFixed(0)} ms`);
console.log(`  ${(BLOCKS / (totalMs / 1000)).toFixed(1)} blocks/s, ${(txCount / (totalMs / 1000)).toFixed(0)} tx/s with persistence (wall clock)`);
console.log(`  CPU time ${cpuMs.toFixed(0)} ms: ${(BLOCKS / (cpuMs / 1000)).toFixed(1)} blocks/s, ${(txCount / (cpuMs / 1000)).toFixed(0)} tx/s per CPU second`);
console.log(
  `  persist (encode, digest, insert, commit): ${persistMs.toFixed(0)} ms wall, ${persistCpu.toFixed(0)} ms CPU = ${((1000 * persistCpu) / txCount).toFixed(1)} µs CPU/tx; ` +
    `execution incl. signature recovery and state reads: ${(cpuMs - persistCpu).toFixed(0)} ms CPU = ${((1000 * (cpuMs - persistCpu)) / txCount).toFixed(1)} µs CPU/tx`,
);
const emptyLog = 2 + 3 + 4 * 2094 + 3 + 8; // format, count, metadata query, sealing NextTxSize
console.log(`  oracle log: ${(logBytes / txCount).toFixed(0)} B/tx (${((logBytes - BLOCKS * emptyLog) / txCount).toFixed(0)} B/tx beyond the ${emptyLog} B per block of metadata), deflate would keep ${(100 * logDeflated).toFixed(0)}%`);
console.log(`  IO events:  ${(eventBytes / txCount).toFixed(0)} B/tx, deflate would keep ${(100 * eventDeflated).toFixed(0)}%`);

chain.db.pragma('wal_checkpoint(TRUNCATE)');
const fileBytes = statSync(path).size;
console.log(`  database: ${(fileBytes / 2 ** 20).toFixed(1)} MiB, ${(fileBytes / txCount).toFixed(0)} B/tx all tables`);
const sizes = chain.db
  .prepare("SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC")
  .all() as Array<{ name: string; bytes: number }>;
console.log('  by table/index: ' + sizes.map((s) => `${s.name} ${(s.bytes / txCount).toFixed(0)}`).join(', ') + ' (B/tx)');

// Time-travel reads at random blocks.
const READS = 20_000;
let seed = 1;
const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
t0 = now();
let r0 = cpu();
let found = 0;
for (let i = 0; i < READS; i++) {
  const b = 1 + rand(BLOCKS);
  const at = 1 + rand(BLOCKS);
  if (chain.accountAt(recipient(b, rand(TXS)), at) !== null) found++;
}
let ms = now() - t0;
console.log(`accountAt (slot + preimage, decode): ${((1000 * ms) / READS).toFixed(1)} µs/read wall, ${((1000 * (cpu() - r0)) / READS).toFixed(1)} µs CPU, over ${READS} random (address, block) reads, ${found} existing`);
t0 = now();
r0 = cpu();
for (let i = 0; i < READS; i++) chain.storageAt(0x8003n, senders[rand(SENDERS)], 1 + rand(BLOCKS));
ms = now() - t0;
console.log(`storageAt (a slot with ~${(txCount / SENDERS).toFixed(0)} versions): ${((1000 * ms) / READS).toFixed(1)} µs/read wall, ${((1000 * (cpu() - r0)) / READS).toFixed(1)} µs CPU`);

// Replay from the log alone.
const REPLAYS = Math.min(BLOCKS, 50);
t0 = now();
r0 = cpu();
for (let n = BLOCKS - REPLAYS + 1; n <= BLOCKS; n++) {
  const v = chain.replayBlock(n);
  if (!v.identical) throw new Error(`block ${n} diverged: ${JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x))}`);
}
ms = now() - t0;
const replayCpu = cpu() - r0;
console.log(`replay: ${REPLAYS} blocks identical, ${(REPLAYS / (ms / 1000)).toFixed(1)} blocks/s wall, ${((REPLAYS * TXS) / (replayCpu / 1000)).toFixed(0)} tx/s per CPU second`);

chain.close();
if (dir) rmSync(dir, { recursive: true, force: true });
