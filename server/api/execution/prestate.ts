// What a transaction or a block touched and changed, in the shape of geth's prestateTracer:
// { [address]: { balance, nonce?, code?, storage? } }, and with diffMode { pre, post } where
// post holds only what changed and accounts that did not exist before are absent from pre.
//
// Which accounts and slots a transaction touched comes from its IO events (frame callers and
// callees, balance / nonce / code changes, storage reads and writes). Their values before and
// after it come from the machine itself: the state after the first k transactions of a block is
// the state as of block n-1 overlaid with the state diff of running those k transactions again
// (reexec.ts prefix). Not in the events, so not listed: accounts only read by BALANCE,
// EXTCODESIZE, EXTCODEHASH or EXTCODECOPY without being called or changed.
import type { AccountDiff } from '../../../machine/bootloader/types.ts';
import { IoEventKind, type IoEvent } from '../../../machine/system/events.ts';
import type { Chain } from '../../../storage/chain.ts';
import { addr, data, qty, word } from '../rpc/encode.ts';

export interface PrestateAccount {
  /** Always in pre; in post only when it changed. */
  balance?: string;
  /** A JSON number, omitted when 0 (as geth). */
  nonce?: number;
  code?: string;
  storage?: Record<string, string>;
}

export type Prestate = Record<string, PrestateAccount>;

export interface PrestateDiff {
  pre: Prestate;
  post: Prestate;
}

interface AccountValues {
  exists: boolean;
  balance: bigint;
  nonce: bigint;
  code: Uint8Array;
}

/** The state as of block `parent`, overlaid with a state diff relative to it (null: none). */
export class StateAt {
  private readonly diff = new Map<bigint, AccountDiff>();

  constructor(
    private readonly chain: Chain,
    private readonly parent: number,
    diff: readonly AccountDiff[] | null,
  ) {
    for (const a of diff ?? []) this.diff.set(a.address, a);
  }

  account(a: bigint): AccountValues {
    const d = this.diff.get(a);
    if (d !== undefined) {
      // An account deleted in the block (self-destructed where it was created) is gone.
      const deleted = d.storageCleared && d.nonce === 0n && d.balance === 0n && d.code === null;
      return { exists: !deleted, balance: d.balance, nonce: d.nonce, code: d.code ?? new Uint8Array(0) };
    }
    const s = this.chain.accountAt(a, this.parent);
    if (s === null) return { exists: false, balance: 0n, nonce: 0n, code: new Uint8Array(0) };
    return { exists: true, balance: s.balance, nonce: s.nonce, code: s.code };
  }

  slot(a: bigint, key: bigint): bigint {
    const d = this.diff.get(a);
    if (d !== undefined) {
      for (const [k, v] of d.storage) if (k === key) return v;
      if (d.storageCleared) return 0n;
    }
    return this.chain.storageAt(a, key, this.parent);
  }
}

/** The accounts (in first-touch order) and slots a transaction's events touched. */
export function touched(events: readonly IoEvent[], extra: readonly bigint[]): Map<bigint, Set<bigint>> {
  const out = new Map<bigint, Set<bigint>>();
  const touch = (a: bigint): Set<bigint> => {
    let s = out.get(a);
    if (s === undefined) out.set(a, (s = new Set()));
    return s;
  };
  for (const a of extra) touch(a);
  for (const e of events) {
    switch (e.kind) {
      case IoEventKind.FrameStart:
        touch(e.caller);
        touch(e.callee);
        break;
      case IoEventKind.Balance:
      case IoEventKind.Nonce:
      case IoEventKind.Code:
        touch(e.address);
        break;
      case IoEventKind.StorageRead:
      case IoEventKind.StorageWrite:
        touch(e.address).add(e.key);
        break;
      default:
        break;
    }
  }
  return out;
}

function accountJson(v: AccountValues, storage: Record<string, string> | null): PrestateAccount {
  const a: PrestateAccount = { balance: qty(v.balance) };
  if (v.nonce !== 0n) a.nonce = Number(v.nonce);
  if (v.code.length > 0) a.code = data(v.code);
  if (storage !== null && Object.keys(storage).length > 0) a.storage = storage;
  return a;
}

const sorted = (keys: Iterable<bigint>): bigint[] => [...keys].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));

/** Every touched account and slot with its value in `before` (geth's default mode). */
export function prestate(set: Map<bigint, Set<bigint>>, before: StateAt): Prestate {
  const out: Prestate = {};
  for (const [a, keys] of set) {
    const storage: Record<string, string> = {};
    for (const k of sorted(keys)) storage[word(k)] = word(before.slot(a, k));
    out[addr(a)] = accountJson(before.account(a), storage);
  }
  return out;
}

/** The changed accounts and slots: full before-values in pre, changed fields only in post. */
export function prestateDiff(set: Map<bigint, Set<bigint>>, before: StateAt, after: StateAt): PrestateDiff {
  const pre: Prestate = {};
  const post: Prestate = {};
  for (const [a, keys] of set) {
    const x = before.account(a);
    const y = after.account(a);
    const changedSlots: Array<[bigint, bigint, bigint]> = [];
    for (const k of sorted(keys)) {
      const v0 = before.slot(a, k);
      const v1 = after.slot(a, k);
      if (v0 !== v1) changedSlots.push([k, v0, v1]);
    }
    const codeChanged = !Buffer.from(x.code).equals(Buffer.from(y.code));
    const changed = x.exists !== y.exists || x.balance !== y.balance || x.nonce !== y.nonce || codeChanged || changedSlots.length > 0;
    if (!changed) continue;
    const key = addr(a);
    if (x.exists) pre[key] = accountJson(x, Object.fromEntries(changedSlots.map(([k, v0]) => [word(k), word(v0)])));
    if (!y.exists) continue;
    const p: PrestateAccount = {};
    if (!x.exists || x.balance !== y.balance) p.balance = qty(y.balance);
    if (y.nonce !== x.nonce || !x.exists) p.nonce = Number(y.nonce);
    if (codeChanged) p.code = data(y.code);
    if (changedSlots.length > 0) p.storage = Object.fromEntries(changedSlots.map(([k, , v1]) => [word(k), word(v1)]));
    post[key] = p;
  }
  return { pre, post };
}
