// GeneralStateTests: every Cancun post entry through the bootloader in the `ethereum` profile,
// compared by post-state MPT root and logs hash.
import { readFileSync } from 'node:fs';
import { bytesToHex, hexToBigInt, hexToBytes } from '../../machine/common/bytes.ts';
import { runBlock } from '../../machine/bootloader/machine.ts';
import { EthereumProfile } from '../../machine/bootloader/ethereum.ts';
import type { BlockOutput } from '../../machine/bootloader/types.ts';
import { InMemoryOracle, parsePreState, type PreStateAccount, type PreStateJson } from '../../machine/oracle/memory.ts';
import type { BlockMetadata } from '../../machine/oracle/types.ts';
import { ethereumStateRoot, EMPTY_CODE_HASH } from '../../machine/tree/mpt.ts';
import { logsHash } from '../../machine/tx/receipt.ts';
import { keccak256 } from '../../machine/crypto/index.ts';

export const FORK = 'Cancun';

export interface EntryResult {
  file: string;
  test: string;
  index: { data: number; gas: number; value: number };
  ok: boolean;
  skipped?: boolean;
  reason?: string;
}

interface PostEntry {
  hash: string;
  logs: string;
  txbytes: string;
  indexes: { data: number; gas: number; value: number };
  expectException?: string;
}

interface StateTest {
  env: Record<string, string>;
  pre: PreStateJson;
  post: Record<string, PostEntry[]>;
}

// EIP-4844 blob base fee from the excess blob gas (Cancun parameters).
const MIN_BLOB_BASE_FEE = 1n;
const BLOB_BASE_FEE_UPDATE_FRACTION = 3338477n;

export function fakeExponential(factor: bigint, numerator: bigint, denominator: bigint): bigint {
  let i = 1n;
  let output = 0n;
  let acc = factor * denominator;
  while (acc > 0n) {
    output += acc;
    acc = (acc * numerator) / (denominator * i);
    i++;
  }
  return output / denominator;
}

export function blockMetadataFromEnv(env: Record<string, string>): BlockMetadata {
  const number = hexToBigInt(env.currentNumber);
  return {
    chainId: 1n,
    blockNumber: number,
    timestamp: hexToBigInt(env.currentTimestamp),
    // The tests derive BLOCKHASH(n) as keccak of the decimal number's string.
    blockHashes: Array.from({ length: 256 }, (_, k) => {
      const n = number - 1n - BigInt(k);
      return n >= 0n ? hexToBigInt(bytesToHex(keccak256(new TextEncoder().encode(n.toString())))) : 0n;
    }),
    eip1559BaseFee: hexToBigInt(env.currentBaseFee ?? '0x0a'),
    gasPerPubdata: 0n,
    nativePrice: 1n,
    coinbase: hexToBigInt(env.currentCoinbase),
    gasLimit: hexToBigInt(env.currentGasLimit),
    mixHash: hexToBigInt(env.currentRandom ?? env.currentDifficulty ?? '0x0'),
    blobBaseFee: fakeExponential(MIN_BLOB_BASE_FEE, hexToBigInt(env.currentExcessBlobGas ?? '0x0'), BLOB_BASE_FEE_UPDATE_FRACTION),
  };
}

/** The post state as the Ethereum MPT sees it: the pre state with the block's diff applied. */
export function postStateRoot(pre: Map<bigint, PreStateAccount>, out: BlockOutput): Uint8Array {
  const accounts = new Map<bigint, { nonce: bigint; balance: bigint; codeHash: Uint8Array; storage: Map<bigint, bigint> }>();
  for (const [address, a] of pre) {
    accounts.set(address, { nonce: a.nonce, balance: a.balance, codeHash: a.code.length ? keccak256(a.code) : EMPTY_CODE_HASH, storage: new Map(a.storage) });
  }
  for (const d of out.stateDiff) {
    const existing = accounts.get(d.address);
    const storage = d.storageCleared || existing === undefined ? new Map<bigint, bigint>() : existing.storage;
    for (const [k, v] of d.storage) {
      if (v === 0n) storage.delete(k);
      else storage.set(k, v);
    }
    const empty = d.nonce === 0n && d.balance === 0n && d.code === null;
    if (empty && (d.storageCleared || existing === undefined)) {
      accounts.delete(d.address);
      continue;
    }
    accounts.set(d.address, { nonce: d.nonce, balance: d.balance, codeHash: d.code === null ? EMPTY_CODE_HASH : keccak256(d.code), storage });
  }
  return ethereumStateRoot([...accounts].map(([address, a]) => ({ address, ...a, storage: a.storage })));
}

export function runStateTestFile(file: string, filter?: (name: string) => boolean): EntryResult[] {
  const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, StateTest>;
  const results: EntryResult[] = [];
  for (const [name, test] of Object.entries(json)) {
    if (filter && !filter(name)) continue;
    const entries = test.post[FORK];
    if (!entries) continue;
    const pre = parsePreState(test.pre);
    const meta = blockMetadataFromEnv(test.env);
    for (const e of entries) {
      const base = { file, test: name, index: e.indexes };
      try {
        const oracle = new InMemoryOracle(pre, meta, [hexToBytes(e.txbytes)]);
        const out = runBlock(oracle, new EthereumProfile());
        results.push({ ...base, ...check(pre, out, e) });
      } catch (err) {
        results.push({ ...base, ok: false, reason: `crashed: ${(err as Error).stack ?? err}` });
      }
    }
  }
  return results;
}

function check(pre: Map<bigint, PreStateAccount>, out: BlockOutput, e: PostEntry): { ok: boolean; reason?: string } {
  const r = out.results[0];
  if (e.expectException) {
    if (r.kind !== 'rejected') return { ok: false, reason: `expected ${e.expectException}, but the transaction was accepted` };
  } else if (r.kind === 'rejected') {
    return { ok: false, reason: `rejected with ${r.rejection.error}: ${r.rejection.message}` };
  }
  const root = bytesToHex(postStateRoot(pre, out));
  if (root !== e.hash) return { ok: false, reason: `state root ${root}, expected ${e.hash}` };
  const logs = bytesToHex(logsHash(r.kind === 'executed' ? r.receipt.logs : []));
  if (logs !== e.logs) return { ok: false, reason: `logs hash ${logs}, expected ${e.logs}` };
  return { ok: true };
}
