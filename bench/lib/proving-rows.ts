// The proving group. Only zksync blocks have a public input to prove, so the ERC-20 scenario of
// shared/peers/erc20.json (same token, senders, recipients and block shape) runs here in the
// zksync profile, signed for the demo chain; then on each run's database: the tree stage, forward
// replay, and proving replay (chain.proveBlock: a proving run whose tape is built from the stored
// log and the tree before the block, its public input and output digest checked against the
// stored ones). ethereumjs has no counterpart to any of it.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bigIntToBytes, bytesToBigInt, bytesToHex, concatBytes, hexToBigInt, hexToBytes } from '../../machine/common/bytes.ts';
import { privateKeyToAddress } from '../../machine/crypto/index.ts';
import { zkBlockBodies } from '../../machine/bootloader/zksync/build.ts';
import { ZksyncProfile } from '../../machine/bootloader/zksync/profile.ts';
import type { PreStateAccount } from '../../machine/oracle/memory.ts';
import { signTransaction } from '../../machine/tx/encode.ts';
import { DEMO_CHAIN_ID, demoMetadata, GENESIS_TIMESTAMP, BLOCK_TIME, OPERATOR } from '../../server/demo/workload.ts';
import { openChain } from '../../storage/chain.ts';
import { proveTape } from '../../storage/witness.ts';
import { keyOf } from './common.ts';
import { measure, median } from './stats.ts';
import { fmt, row, type Row } from './table.ts';

/** Proving replay must reach this many transfers per second (issue 7). */
export const PROVING_TARGET = 2000;

interface Workload {
  genesis: Map<bigint, PreStateAccount>;
  /** ABI bodies: block 1 (deployment and setup), then the timed blocks. */
  setup: Uint8Array[];
  timed: Uint8Array[][];
  token: bigint;
}

function build(spec: { bytecode: string; methodIdentifiers: Record<string, string>; scenario: { txs: number; senders: number; txsPerBlock: number; tokenAddress: string } }): Workload {
  const { txs, senders, txsPerBlock } = spec.scenario;
  const word = (v: bigint) => bigIntToBytes(v, 32);
  const transfer = hexToBytes('0x' + spec.methodIdentifiers['transfer(address,uint256)']);
  const deployerKey = keyOf(1n);
  const senderKeys = Array.from({ length: senders }, (_, i) => keyOf(0x1000n + BigInt(i)));
  const addrs = senderKeys.map(privateKeyToAddress);
  const token = hexToBigInt(spec.scenario.tokenAddress);
  // Fees at the demo chain's base fee (1000 wei); gas limits leave room for pubdata charges.
  const tx = (key: Uint8Array, nonce: bigint, to: bigint | null, data: Uint8Array, gasLimit: bigint) =>
    signTransaction({ type: 2, chainId: DEMO_CHAIN_ID, nonce, gasLimit, maxFeePerGas: 2000n, maxPriorityFeePerGas: 100n, to, data }, key);
  const setup = [tx(deployerKey, 0n, null, concatBytes(hexToBytes(spec.bytecode), word(10n ** 27n)), 10_000_000n)];
  addrs.forEach((a, i) => setup.push(tx(deployerKey, BigInt(i + 1), token, concatBytes(transfer, word(a), word(10n ** 24n)), 300_000n)));
  const timed: Uint8Array[][] = [];
  for (let k = 0; k < txs; k++) {
    if (k % txsPerBlock === 0) timed.push([]);
    timed[timed.length - 1].push(tx(senderKeys[k % senders], BigInt(Math.floor(k / senders)), token, concatBytes(transfer, word(0x100000n + BigInt(k)), word(1n)), 300_000n));
  }
  const genesis = new Map<bigint, PreStateAccount>(
    [privateKeyToAddress(deployerKey), ...addrs].map((a) => [a, { nonce: 0n, balance: 10n ** 24n, code: new Uint8Array(0), storage: new Map() }]),
  );
  // The ABI bodies (each envelope decoded, its sender recovered) are made once, outside the runs.
  const bodies = (envs: Uint8Array[]) => zkBlockBodies(envs.map((envelope) => ({ envelope })), DEMO_CHAIN_ID);
  return { genesis, setup: bodies(setup), timed: timed.map(bodies), token };
}

interface RunFigures {
  exec: number;
  tree: number;
  forward: number;
  proving: number;
  /** The proving runs over the tapes proveBlock built, without building them. */
  tapeOnly: number;
  tapeBytes: number;
  oracleLogBytes: number;
  ioEventBytes: number;
  fileBytes: number;
  storedTxs: number;
  problems: string[];
}

function run(w: Workload, txs: number): RunFigures {
  const dir = mkdtempSync(join(tmpdir(), 'zkos-bench-zk-'));
  const path = join(dir, 'chain.db');
  const chain = openChain(path);
  const problems: string[] = [];
  try {
    chain.genesis(w.genesis, { chainId: DEMO_CHAIN_ID, timestamp: GENESIS_TIMESTAMP, coinbase: OPERATOR });
    const profile = new ZksyncProfile();
    let hashes = new Array<bigint>(256).fill(0n);
    let failed = 0;
    const execute = (n: number, bodies: Uint8Array[]) => {
      const out = chain.executeBlock(demoMetadata(BigInt(n), GENESIS_TIMESTAMP + BLOCK_TIME * BigInt(n), hashes), bodies, profile);
      failed += out.results.filter((r) => r.kind !== 'executed' || !r.receipt.success).length;
      hashes = [out.blockHash === undefined ? 0n : bytesToBigInt(out.blockHash), ...hashes.slice(0, 255)];
      return out;
    };
    const first = execute(1, w.setup);
    if (first.results[0].kind !== 'executed' || first.results[0].receipt.created !== w.token) problems.push('the token was not deployed at the scenario address');
    const exec = measure(() => w.timed.forEach((bodies, b) => execute(b + 2, bodies)));
    if (failed > 0) problems.push(`${failed} transactions failed`);
    chain.advanceTree(1);
    const tree = measure(() => chain.advanceTree());
    const head = chain.head();
    const forward = measure(() => {
      for (let n = 2; n <= head; n++) if (!chain.replayBlock(n).identical) problems.push(`block ${n} did not replay identically`);
    });
    let tapeWords = 0;
    const tapes: Array<{ n: number; tape: Uint32Array; publicInput: string }> = [];
    const proving = measure(() => {
      for (let n = 2; n <= head; n++) {
        const v = chain.proveBlock(n);
        tapeWords += v.tape.length;
        tapes.push({ n, tape: v.tape, publicInput: v.publicInput });
        if (!v.ok) problems.push(`block ${n}: ${v.detail}`);
      }
    });
    // proveBlock proves while it builds the tape from the stored log and the tree; proving the
    // finished tapes again, alone, tells the building from the proving.
    const tapeOnly = measure(() => {
      for (const t of tapes) {
        const pi = bytesToHex(proveTape(t.tape, profile, chain.reader.block(t.n)!.blobBaseFee).publicInput!.hash);
        if (pi !== t.publicInput) problems.push(`block ${t.n}: the tape alone proves ${pi}, proveBlock ${t.publicInput}`);
      }
    });
    const sums = chain.db.prepare('SELECT sum(length(oracle_log)) AS log, sum(length(io_events)) AS io FROM block_logs WHERE block >= 2').get() as { log: number; io: number };
    chain.db.pragma('wal_checkpoint(TRUNCATE)');
    const wal = `${path}-wal`;
    return {
      exec: txs / exec.seconds,
      tree: txs / tree.seconds,
      forward: txs / forward.seconds,
      proving: txs / proving.seconds,
      tapeOnly: txs / tapeOnly.seconds,
      tapeBytes: 4 * tapeWords,
      oracleLogBytes: sums.log,
      ioEventBytes: sums.io,
      fileBytes: statSync(path).size + (existsSync(wal) ? statSync(wal).size : 0),
      storedTxs: chain.db.prepare('SELECT count(*) FROM transactions').pluck().get() as number,
      problems,
    };
  } finally {
    chain.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function provingRows(peers: string, runs: number, log: (s: string) => void): Row[] {
  const spec = JSON.parse(readFileSync(join(peers, 'erc20.json'), 'utf8'));
  log('proving: signing the zksync-profile ERC-20 transactions…');
  const w = build(spec);
  const txs: number = spec.scenario.txs;
  const figures: RunFigures[] = [];
  for (let i = 0; i < runs; i++) {
    const f = run(w, txs);
    figures.push(f);
    log(`proving run ${i + 1}: first execution ${f.exec.toFixed(0)} tx/s, tree stage ${f.tree.toFixed(0)} tx/s, forward replay ${f.forward.toFixed(0)} tx/s, proving replay ${f.proving.toFixed(0)} tx/s (tapes alone ${f.tapeOnly.toFixed(0)})`);
  }
  const m = (k: 'exec' | 'tree' | 'forward' | 'proving' | 'tapeOnly') => median(figures.map((f) => f[k]));
  const problems = [...new Set(figures.flatMap((f) => f.problems))];
  const ok = problems.length === 0;
  const proving = m('proving');
  const f = figures[0];
  return [
    row('proving replay of the ERC-20 blocks (zksync profile)', 'tx/s', proving, null, ok, [
      `target ≥ ${fmt(PROVING_TARGET)} tx/s ${proving >= PROVING_TARGET ? 'met' : 'NOT met'}; ` +
        `the proving runs over the same tapes alone (tapes already built): ${fmt(m('tapeOnly'))} tx/s`,
      `same blocks in the same runs: first execution ${fmt(m('exec'))} tx/s, tree stage ${fmt(m('tree'))} tx/s (a proving run per block against the tree, storing commitment and public input), ` +
        `forward replay ${fmt(m('forward'))} tx/s (${(m('forward') / m('exec')).toFixed(2)}× first execution)`,
      ...problems.map((p) => `✗ ${p}`),
    ]),
    row('witness tape per transfer (zksync profile)', 'B', f.tapeBytes / txs, null, ok, [
      `the tape chain.proveBlock built and proved (what chain.witness serves), ${fmt(f.tapeBytes / 2 ** 20)} MiB for ${fmt(txs)} transfers; ` +
        `the same blocks store an oracle log of ${fmt(f.oracleLogBytes / txs)} B and IO events of ${fmt(f.ioEventBytes / txs)} B per transfer; ` +
        `database with the tree stage's tables ${fmt(((f.fileBytes / f.storedTxs) * 1000) / 1024)} KiB per 1,000 txs`,
    ]),
  ];
}
