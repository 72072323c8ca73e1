// The large database the query and replay-memory rows run on: at least 1,000,000 transactions of
// ERC-20 and ETH transfers (ethereum profile, blocks of 500), built once into bench/.cache and
// reused. A sidecar JSON written only after a complete build says what the file holds; the file
// is rebuilt when it is absent, when the sidecar is (an interrupted build), or when the workload
// version, the size or the schema's user_version differ from this tree's.
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EthereumProfile } from '../../machine/bootloader/ethereum.ts';
import { bigIntToBytes, concatBytes, hexToBytes } from '../../machine/common/bytes.ts';
import { privateKeyToAddress } from '../../machine/crypto/index.ts';
import type { PreStateAccount } from '../../machine/oracle/memory.ts';
import { signTransaction } from '../../machine/tx/encode.ts';
import { openChain } from '../../storage/chain.ts';
import { loadMigrations } from '../../storage/db.ts';
import { BLOCK_GAS_LIMIT, COINBASE, keyOf, MAX_FEE, TIP, zkosMeta } from './common.ts';
import { rng } from './stats.ts';

/** Bump when the workload below changes: cached databases of another version are rebuilt. */
export const BIG_DB_VERSION = 1;
export const TXS_PER_BLOCK = 500;
export const SENDERS = 1000;
export const RECIPIENTS = 200_000;
/** Share of recipients drawn from the first HOT addresses, so some balances get many versions. */
const HOT = 1000;
const HOT_SHARE = 0.2;
const TOKEN_SHARE = 0.7;
const RECIPIENT_BASE = 0x4242_0000_0000_0000_0000_0000_0000_0000_0000_0000n;

export interface BigDbInfo {
  version: number;
  userVersion: number;
  /** Transactions stored (block 1's deployment and grants included). */
  txs: number;
  head: number;
  token: string;
  builtAt: string;
  buildSeconds: number;
  signSeconds: number;
}

export const recipientAddress = (i: number): bigint => RECIPIENT_BASE + BigInt(i);
export const senderKey = (i: number): Uint8Array => keyOf(0x20000n + BigInt(i));

/** How rows name the database: "1M-tx DB" for the size. */
export function dbLabel(info: BigDbInfo): string {
  return info.txs >= 1_000_000 && info.txs < 1_100_000 ? '1M-tx DB' : `${info.txs.toLocaleString('en-US')}-tx DB`;
}

/** The cache file for a database of at least `txs` transactions. */
export function bigDbPath(cacheDir: string, txs: number): string {
  return `${cacheDir}/queries-${txs === 1_000_000 ? '1m' : txs}.db`;
}

function schemaOf(path: string): number {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } finally {
    db.close();
  }
}

/** The cached database's description, or null when it must be (re)built; `why` says which. */
export function cachedBigDb(path: string, txs: number): { info: BigDbInfo | null; why: string } {
  const side = `${path}.json`;
  if (!existsSync(path)) return { info: null, why: `${path} is absent` };
  if (!existsSync(side)) return { info: null, why: `${side} is absent (an interrupted build)` };
  const info = JSON.parse(readFileSync(side, 'utf8')) as BigDbInfo;
  const schema = loadMigrations().length;
  if (info.version !== BIG_DB_VERSION) return { info: null, why: `workload version ${info.version}, this tree builds ${BIG_DB_VERSION}` };
  if (info.txs < txs) return { info: null, why: `${info.txs} transactions, ${txs} wanted` };
  const uv = schemaOf(path);
  if (uv !== schema || info.userVersion !== schema) return { info: null, why: `schema user_version ${uv}, this tree's migrations reach ${schema}` };
  return { info, why: 'cached' };
}

/** The cached database, built first when needed (several minutes for 1,000,000 transactions). */
export function ensureBigDb(path: string, txs: number, peers: string, log: (s: string) => void): { info: BigDbInfo; built: boolean } {
  const c = cachedBigDb(path, txs);
  if (c.info !== null) return { info: c.info, built: false };
  log(`queries db: building ${path} (${c.why})`);
  for (const f of [path, `${path}-wal`, `${path}-shm`, `${path}.json`]) rmSync(f, { force: true });
  mkdirSync(dirname(path), { recursive: true });
  const info = build(path, txs, peers, log);
  writeFileSync(`${path}.json`, JSON.stringify(info, null, 2) + '\n');
  return { info, built: true };
}

function build(path: string, target: number, peers: string, log: (s: string) => void): BigDbInfo {
  const started = performance.now();
  const spec = JSON.parse(readFileSync(join(peers, 'erc20.json'), 'utf8')) as {
    bytecode: string;
    methodIdentifiers: Record<string, string>;
  };
  const word = (v: bigint) => bigIntToBytes(v, 32);
  const transfer = hexToBytes('0x' + spec.methodIdentifiers['transfer(address,uint256)']);
  const deployerKey = keyOf(1n);
  const keys = Array.from({ length: SENDERS }, (_, i) => senderKey(i));
  const senders = keys.map(privateKeyToAddress);
  const nonces = new Array<bigint>(SENDERS).fill(0n);
  let signSeconds = 0;
  const sign = (key: Uint8Array, nonce: bigint, to: bigint | null, value: bigint, data: Uint8Array, gasLimit: bigint): Uint8Array => {
    const t0 = performance.now();
    const raw = signTransaction({ type: 2, chainId: 1n, nonce, gasLimit, maxFeePerGas: MAX_FEE, maxPriorityFeePerGas: TIP, to, value, data }, key);
    signSeconds += (performance.now() - t0) / 1000;
    return raw;
  };

  const chain = openChain(path);
  try {
    // A bigger page cache for the bulk build only (the rows measure their own fresh connection).
    chain.db.pragma('cache_size = -262144');
    const pre = new Map<bigint, PreStateAccount>([privateKeyToAddress(deployerKey), ...senders].map((a) => [a, { nonce: 0n, balance: 10n ** 24n, code: new Uint8Array(0), storage: new Map() }]));
    chain.genesis(pre, { chainId: 1n, gasLimit: BLOCK_GAS_LIMIT, coinbase: COINBASE });
    // Block 1 deploys the token (the peers' BenchToken); the grants to the senders follow.
    const setup = [sign(deployerKey, 0n, null, 0n, concatBytes(hexToBytes(spec.bytecode), word(10n ** 27n)), 10_000_000n)];
    const profile = new EthereumProfile();
    const deployed = chain.executeBlock(zkosMeta(1n), setup, profile).results[0];
    if (deployed.kind !== 'executed' || deployed.receipt.created === null) throw new Error('queries db: the token deployment failed');
    const token = deployed.receipt.created;
    let stored = 1;
    let failed = 0;
    const grants = senders.map((a, i) => sign(deployerKey, BigInt(i + 1), token, 0n, concatBytes(transfer, word(a), word(10n ** 24n)), 100_000n));
    for (let i = 0; i < grants.length; i += TXS_PER_BLOCK) {
      const out = chain.executeBlock(zkosMeta(BigInt(chain.head() + 1)), grants.slice(i, i + TXS_PER_BLOCK), profile);
      failed += out.results.filter((r) => r.kind !== 'executed' || !r.receipt.success).length;
      stored += out.results.length;
    }

    let lastLog = performance.now();
    const first = chain.head() + 1;
    const blocks = Math.ceil((target - stored) / TXS_PER_BLOCK);
    for (let b = 0; b < blocks; b++) {
      const n = first + b;
      const r = rng(n * 2654435761);
      const txs: Uint8Array[] = [];
      for (let k = 0; k < TXS_PER_BLOCK; k++) {
        const s = Math.floor(r() * SENDERS);
        const to = recipientAddress(r() < HOT_SHARE ? Math.floor(r() * HOT) : Math.floor(r() * RECIPIENTS));
        const nonce = nonces[s]++;
        if (r() < TOKEN_SHARE) txs.push(sign(keys[s], nonce, token, 0n, concatBytes(transfer, word(to), word(1n + BigInt(Math.floor(r() * 1e9)))), 100_000n));
        else txs.push(sign(keys[s], nonce, to, 1n + BigInt(Math.floor(r() * 1e12)), new Uint8Array(0), 21_000n));
      }
      const out = chain.executeBlock(zkosMeta(BigInt(n)), txs, profile);
      failed += out.results.filter((x) => x.kind !== 'executed' || !x.receipt.success).length;
      stored += txs.length;
      const now = performance.now();
      if (now - lastLog > 15_000 || b === blocks - 1) {
        lastLog = now;
        const rate = (stored / (now - started)) * 1000;
        log(`queries db: block ${n}/${first + blocks - 1}, ${stored.toLocaleString('en-US')} txs, ${rate.toFixed(0)} tx/s, ~${(Math.max(0, target - stored) / rate / 60).toFixed(1)} min left`);
      }
    }
    if (failed > 0) throw new Error(`queries db: ${failed} transactions did not succeed; the workload is wrong`);
    chain.db.pragma('wal_checkpoint(TRUNCATE)');
    return {
      version: BIG_DB_VERSION,
      userVersion: loadMigrations().length,
      txs: stored,
      head: chain.head(),
      token: '0x' + token.toString(16).padStart(40, '0'),
      builtAt: new Date().toISOString(),
      buildSeconds: (performance.now() - started) / 1000,
      signSeconds,
    };
  } finally {
    chain.close();
  }
}

/** The file's bytes as a closed database would have them (the WAL checkpointed into it). */
export function dbFileBytes(path: string): number {
  const wal = `${path}-wal`;
  return statSync(path).size + (existsSync(wal) ? statSync(wal).size : 0);
}
