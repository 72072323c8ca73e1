// The output digest of a block: keccak-256 of one canonical encoding of what the block produced —
// the results (receipts with their logs, rejections by code), the gas used, the state diff in
// both views (Ethereum accounts and slots, tree-level storage writes). A replay that produces
// the same digest produced the same outputs.
//
// The encoding is RLP (integers minimal, addresses 20 bytes, hashes 32 bytes, optional values
// as lists of zero or one item), under a version tag:
//
//   ["zkos-output/1", gasUsed, [result…], [account…], [write…]]
//   result   = [1, index, hash, type, from, [to]?, success, gasUsed, cumulativeGasUsed,
//               effectiveGasPrice, [[address, [topic…], data]…], output, [created]?, outOfNative]
//            | [0, index, errorCode]                      (a rejection; its message is prose)
//   account  = [address, nonce, balance, codeHash, [blake2s(code)]?, storageCleared, [[slot, value]…]]
//   write    = [address, key, value]                      (sorted by address, then key)
//
// Outputs only some profiles give (zksync) are appended only when present, so an ethereum block's
// digest does not depend on them: a receipt gets a 15th item [[l2log…]?, [nativeUsed]?,
// [pubdataUsed]?] when it has any of them; the top-level list a 6th item
//   [[event…]?, [l2log…]?, [message…]?, [txRollingHash]?, [priorityOpsHash]?, [upgradeTxHash]?,
//    [headerRlp]?, [blockHash]?]
// when the output has any of those, with event = [txIndex, logIndex, address, [topic…], data],
// l2log = [txNumber, sender, key, value], message = [txNumber, sender, data, hash].
//
// Storage writes are a set: they are encoded in (address, key) order whatever order the machine
// listed them in, so the digest does not change when the tree stage wants another order.
// Code enters by its blake2s hash (the preimage key the store keeps it under), so the digest can
// be recomputed from stored rows without the code itself.
import { RlpWriter } from '../machine/common/rlp.ts';
import { blake2s, keccak256 } from '../machine/crypto/index.ts';
import type { AccountDiff, BlockOutput, StorageWrite, TxReceipt, TxResult } from '../machine/bootloader/types.ts';
import type { L2ToL1Log, L2ToL1Message, Log } from '../machine/system/io.ts';
import { encodeHeaderRlp } from './header.ts';

export const OUTPUT_DIGEST_VERSION = 'zkos-output/1';

/** An account diff with its code as the code's blake2s hash (null: no code). */
export type CanonicalAccount = Omit<AccountDiff, 'code'> & { bytecodeHash: Uint8Array | null };

/** Block-level outputs that only some profiles give (zksync). */
export const EXTRA_KEYS = ['events', 'l2ToL1Logs', 'l2ToL1Messages', 'txRollingHash', 'priorityOpsHash', 'upgradeTxHash', 'header', 'blockHash'] as const;
export type BlockExtras = Pick<BlockOutput, (typeof EXTRA_KEYS)[number]>;

/** What the digest covers, in the form the store can give back. */
export interface CanonicalOutput {
  gasUsed: bigint;
  results: TxResult[];
  accounts: CanonicalAccount[];
  storageWrites: StorageWrite[];
  extras: BlockExtras;
}

export function canonicalAccount(a: AccountDiff): CanonicalAccount {
  const { code, ...rest } = a;
  return { ...rest, bytecodeHash: code === null ? null : blake2s(code) };
}

export function blockExtras(out: BlockOutput): BlockExtras {
  const x: Record<string, unknown> = {};
  for (const k of EXTRA_KEYS) if (out[k] !== undefined) x[k] = out[k];
  return x as BlockExtras;
}

export function canonicalOutput(out: BlockOutput): CanonicalOutput {
  return { gasUsed: out.gasUsed, results: out.results, accounts: out.stateDiff.map(canonicalAccount), storageWrites: out.storageWrites, extras: blockExtras(out) };
}

const TEXT = new TextEncoder();
const VERSION_TAG = TEXT.encode(OUTPUT_DIGEST_VERSION);

/** Written as it goes into one reused buffer: per block, nothing but the strings it ends up holding. */
const w = new RlpWriter();

const addr = (a: bigint): RlpWriter => w.fixed(a, 20);
const word = (v: bigint): RlpWriter => w.fixed(v, 32);
const num = (v: number): RlpWriter => w.uint(BigInt(v));
const flag = (b: boolean): RlpWriter => w.uint(b ? 1n : 0n);

/** An optional value: [] when absent, [encoding] when present. */
function opt<T>(v: T | null | undefined, f: (x: T) => unknown): void {
  w.begin();
  if (v !== null && v !== undefined) f(v);
  w.end();
}

function list<T>(xs: readonly T[], f: (x: T) => unknown): void {
  w.begin();
  for (let i = 0; i < xs.length; i++) f(xs[i]);
  w.end();
}

function topicsAndData(l: Log): void {
  list(l.topics, word);
  w.bytes(l.data);
}

function log(l: Log): void {
  w.begin();
  addr(l.address);
  topicsAndData(l);
  w.end();
}

function l2log(l: L2ToL1Log): void {
  w.begin();
  num(l.txNumber);
  addr(l.sender);
  w.bytes(l.key).bytes(l.value);
  w.end();
}

function message(m: L2ToL1Message): void {
  w.begin();
  num(m.txNumber);
  addr(m.sender);
  w.bytes(m.data).bytes(m.hash);
  w.end();
}

function result(r: TxResult): void {
  w.begin();
  if (r.kind === 'rejected') {
    w.uint(0n);
    num(r.rejection.index);
    w.bytes(TEXT.encode(r.rejection.error));
    w.end();
    return;
  }
  const x = r.receipt;
  w.uint(1n);
  num(x.index);
  w.bytes(x.hash);
  num(x.type);
  addr(x.from);
  opt(x.to, addr);
  flag(x.success);
  w.uint(x.gasUsed).uint(x.cumulativeGasUsed).uint(x.effectiveGasPrice);
  list(x.logs, log);
  w.bytes(x.output);
  opt(x.created, addr);
  flag(x.outOfNative);
  if (x.l2ToL1Logs !== undefined || x.nativeUsed !== undefined || x.pubdataUsed !== undefined) {
    w.begin();
    opt(x.l2ToL1Logs, (ls) => list(ls, l2log));
    opt(x.nativeUsed, (n) => w.uint(n));
    opt(x.pubdataUsed, num);
    w.end();
  }
  w.end();
}

function extras(x: BlockExtras): void {
  if (EXTRA_KEYS.every((k) => x[k] === undefined)) return;
  w.begin();
  opt(x.events, (es) =>
    list(es, (e) => {
      w.begin();
      num(e.txIndex);
      num(e.logIndex);
      addr(e.address);
      topicsAndData(e);
      w.end();
    }),
  );
  opt(x.l2ToL1Logs, (ls) => list(ls, l2log));
  opt(x.l2ToL1Messages, (ms) => list(ms, message));
  opt(x.txRollingHash, (h) => w.bytes(h));
  opt(x.priorityOpsHash, (h) => w.bytes(h));
  opt(x.upgradeTxHash, (h) => w.bytes(h));
  opt(x.header, (h) => w.bytes(encodeHeaderRlp(h)));
  opt(x.blockHash, (h) => w.bytes(h));
  w.end();
}

function account(a: CanonicalAccount): void {
  w.begin();
  addr(a.address);
  w.uint(a.nonce).uint(a.balance).bytes(a.codeHash);
  opt(a.bytecodeHash, (h) => w.bytes(h));
  flag(a.storageCleared);
  list(a.storage, ([k, v]) => {
    w.begin();
    word(k);
    word(v);
    w.end();
  });
  w.end();
}

/** Tree order as the store keeps it: address, then key. */
export function byAddressKey(x: StorageWrite, y: StorageWrite): number {
  if (x.address !== y.address) return x.address < y.address ? -1 : 1;
  return x.key < y.key ? -1 : x.key > y.key ? 1 : 0;
}

export function encodeCanonicalOutput(o: CanonicalOutput): Uint8Array {
  return encodeView(o).slice();
}

/** The encoding as a view of the shared writer: hash it before the next encoding. */
function encodeView(o: CanonicalOutput): Uint8Array {
  w.reset().begin();
  w.bytes(VERSION_TAG).uint(o.gasUsed);
  list(o.results, result);
  list(o.accounts, account);
  list([...o.storageWrites].sort(byAddressKey), (x) => {
    w.begin();
    addr(x.address);
    word(x.key);
    word(x.value);
    w.end();
  });
  extras(o.extras);
  return w.end().view();
}

export function canonicalDigest(o: CanonicalOutput): Uint8Array {
  return keccak256(encodeView(o));
}

/** keccak-256 of the canonical encoding of a block's output. */
export function outputDigest(out: BlockOutput): Uint8Array {
  return canonicalDigest(canonicalOutput(out));
}
