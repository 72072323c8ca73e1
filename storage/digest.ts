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
import { rlpEncode, type RlpInput } from '../machine/common/rlp.ts';
import { blake2s, keccak256 } from '../machine/crypto/index.ts';
import type { AccountDiff, BlockOutput, StorageWrite, TxReceipt, TxResult } from '../machine/bootloader/types.ts';
import type { L2ToL1Log, L2ToL1Message, Log } from '../machine/system/io.ts';
import { fixedBytes } from './columns.ts';
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

const u = (v: bigint): RlpInput => uintBytes(v);
const flag = (b: boolean): RlpInput => u(b ? 1n : 0n);
const addr = (a: bigint): RlpInput => fixedBytes(a, 20);
const word = (v: bigint): RlpInput => fixedBytes(v, 32);
const opt = <T>(v: T | null, f: (x: T) => RlpInput): RlpInput => (v === null ? [] : [f(v)]);
const text = (s: string): RlpInput => new TextEncoder().encode(s);
/** An optional value: [] when absent, [encoding] when present. */
const may = <T>(v: T | undefined, f: (x: T) => RlpInput): RlpInput => (v === undefined ? [] : [f(v)]);
const same = (b: Uint8Array): RlpInput => b;
const l2log = (l: L2ToL1Log): RlpInput => [u(BigInt(l.txNumber)), addr(l.sender), l.key, l.value];
const message = (m: L2ToL1Message): RlpInput => [u(BigInt(m.txNumber)), addr(m.sender), m.data, m.hash];

function uintBytes(v: bigint): Uint8Array {
  if (v < 0n) throw new RangeError(`negative integer ${v} in a block output`);
  if (v === 0n) return new Uint8Array(0);
  let hex = v.toString(16);
  if (hex.length & 1) hex = '0' + hex;
  return Buffer.from(hex, 'hex');
}

function log(l: Log): RlpInput {
  return [addr(l.address), l.topics.map(word), l.data];
}

function result(r: TxResult): RlpInput {
  if (r.kind === 'rejected') return [u(0n), u(BigInt(r.rejection.index)), text(r.rejection.error)];
  const x = r.receipt;
  return [
    u(1n),
    u(BigInt(x.index)),
    x.hash,
    u(BigInt(x.type)),
    addr(x.from),
    opt(x.to, addr),
    flag(x.success),
    u(x.gasUsed),
    u(x.cumulativeGasUsed),
    u(x.effectiveGasPrice),
    x.logs.map(log),
    x.output,
    opt(x.created, addr),
    flag(x.outOfNative),
    ...receiptExtras(x),
  ];
}

function receiptExtras(x: TxReceipt): RlpInput[] {
  if (x.l2ToL1Logs === undefined && x.nativeUsed === undefined && x.pubdataUsed === undefined) return [];
  return [[may(x.l2ToL1Logs, (ls) => ls.map(l2log)), may(x.nativeUsed, u), may(x.pubdataUsed, (n) => u(BigInt(n)))]];
}

function extras(x: BlockExtras): RlpInput[] {
  if (EXTRA_KEYS.every((k) => x[k] === undefined)) return [];
  return [
    [
      may(x.events, (es) => es.map((e) => [u(BigInt(e.txIndex)), u(BigInt(e.logIndex)), ...(log(e) as RlpInput[])])),
      may(x.l2ToL1Logs, (ls) => ls.map(l2log)),
      may(x.l2ToL1Messages, (ms) => ms.map(message)),
      may(x.txRollingHash, same),
      may(x.priorityOpsHash, same),
      may(x.upgradeTxHash, same),
      may(x.header, encodeHeaderRlp),
      may(x.blockHash, same),
    ],
  ];
}

function account(a: CanonicalAccount): RlpInput {
  return [
    addr(a.address),
    u(a.nonce),
    u(a.balance),
    a.codeHash,
    opt(a.bytecodeHash, (h) => h),
    flag(a.storageCleared),
    a.storage.map(([k, v]) => [word(k), word(v)]),
  ];
}

/** Tree order as the store keeps it: address, then key. */
export function byAddressKey(x: StorageWrite, y: StorageWrite): number {
  if (x.address !== y.address) return x.address < y.address ? -1 : 1;
  return x.key < y.key ? -1 : x.key > y.key ? 1 : 0;
}

export function encodeCanonicalOutput(o: CanonicalOutput): Uint8Array {
  return rlpEncode([
    text(OUTPUT_DIGEST_VERSION),
    u(o.gasUsed),
    o.results.map(result),
    o.accounts.map(account),
    [...o.storageWrites].sort(byAddressKey).map((w) => [addr(w.address), word(w.key), word(w.value)]),
    ...extras(o.extras),
  ]);
}

export function canonicalDigest(o: CanonicalOutput): Uint8Array {
  return keccak256(encodeCanonicalOutput(o));
}

/** keccak-256 of the canonical encoding of a block's output. */
export function outputDigest(out: BlockOutput): Uint8Array {
  return canonicalDigest(canonicalOutput(out));
}
