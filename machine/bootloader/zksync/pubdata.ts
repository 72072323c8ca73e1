// What a transaction adds to the block's pubdata, for charging (reference §5.3 "Pubdata
// charging"): each changed slot its 32-byte key and compressed value diff (§5.3.1), each changed
// account its account diff (§5.3.2), each user message 4 + len + 88 bytes. Changes are measured
// against the block's start; a transaction pays for how it moved that total.
import { ACCOUNT_PROPERTIES_STORAGE_ADDRESS, encodeProperties, type AccountProperties } from '../../system/account.ts';
import type { IO } from '../../system/io.ts';
import type { L2ToL1Log, L2ToL1Message } from '../../system/l2-logs.ts';
import { byteLength, bytesEqual, concatBytes, writeBigInt } from '../../common/bytes.ts';
import { flatKey } from '../../tree/flat/keys.ts';
import { compareStorageKeys } from '../../tree/flat/order.ts';
import { finalAccountHash } from '../proving.ts';
import { encodeL2ToL1Log } from './header.ts';
import { L2_TO_L1_LOG_BYTES } from './constants.ts';

interface ValueDiff {
  /** 0 Nothing (full value), 1 Add, 2 Sub, 3 Transform. */
  kind: number;
  len: number;
  payload: bigint;
}

/** The §5.3.1 choice: the shortest encoding, ties keep the earlier kind. */
function chooseValueDiff(initial: bigint, final: bigint): ValueDiff {
  const best: ValueDiff = { kind: 0, len: 32, payload: final };
  const consider = (kind: number, v: bigint) => {
    const len = byteLength(v);
    if (len < 32 && len < best.len) {
      best.kind = kind;
      best.len = len;
      best.payload = v;
    }
  };
  if (final >= initial) consider(1, final - initial);
  if (initial >= final) consider(2, initial - final);
  consider(3, final);
  return best;
}

/** Length of the optimal value-diff encoding (§5.3.1), metadata byte included. */
export function valueDiffLength(initial: bigint, final: bigint): number {
  return 1 + chooseValueDiff(initial, final).len;
}

/** Pubdata of a non-account slot whose value went from `initial` to `value`. */
export function slotPubdata(initial: bigint, value: bigint): number {
  return value === initial ? 0 : 32 + valueDiffLength(initial, value);
}

/** Length of the account diff (§5.3.2); 0 when nothing changed. */
export function accountDiffLength(initial: AccountProperties, final: AccountProperties, bytecodeNotPublished: boolean): number {
  const nonce = valueDiffLength(initial.nonce, final.nonce);
  const balance = valueDiffLength(initial.balance, final.balance);
  if (codeChanged(initial, final)) return 1 + 8 + nonce + balance + (bytecodeNotPublished ? 32 : 4 + final.bytecodeLen) + 4 + 4;
  if (initial.nonce === final.nonce && initial.balance === final.balance) return 0;
  return 1 + (initial.nonce !== final.nonce ? nonce : 0) + (initial.balance !== final.balance ? balance : 0);
}

/** Pubdata the current transaction has produced so far (rolled-back work excluded; never negative). */
export function txPubdata(io: IO): number {
  const { slots, accounts } = io.txChanges();
  let total = 0;
  for (const [s, atStart] of slots) total += slotPubdata(s.initial, s.value) - slotPubdata(s.initial, atStart);
  for (const [a, atStart] of accounts) {
    total += accountDiffLength(a.initial, a.props, a.bytecodeNotPublished) - accountDiffLength(a.initial, atStart, a.bytecodeNotPublished);
  }
  const msgs = io.l2ToL1Messages;
  for (let i = msgs.length - 1; i >= 0 && msgs[i].txNumber === io.tx; i--) total += 4 + msgs[i].data.length + L2_TO_L1_LOG_BYTES;
  // A transaction that moves a value back towards its block-start value shrinks the block's
  // pubdata; it pays nothing for that, and gets no credit either.
  return total > 0 ? total : 0;
}

// ---- the pubdata bytes (§5.3): what the public input commits to --------------------------------

/** The §5.3.1 encoding: metadata (len << 3 | kind) then the payload; the shortest wins. */
export function encodeValueDiff(initial: bigint, final: bigint): Uint8Array {
  const { kind, len, payload } = chooseValueDiff(initial, final);
  const out = new Uint8Array(1 + len);
  out[0] = kind === 0 ? 0 : (len << 3) | kind;
  writeBigInt(out, 1, payload, len);
  return out;
}

function u32(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v);
  return b;
}

/** The §5.3.2 account diff; `code` is the deployed bytecode when it is published. */
export function encodeAccountDiff(initial: AccountProperties, final: AccountProperties, bytecodeNotPublished: boolean, code: Uint8Array): Uint8Array {
  const nonce = encodeValueDiff(initial.nonce, final.nonce);
  const balance = encodeValueDiff(initial.balance, final.balance);
  if (codeChanged(initial, final)) {
    const versioning = new Uint8Array(8);
    writeBigInt(versioning, 0, final.versioning, 8);
    const code_ = bytecodeNotPublished ? final.bytecodeHash : concatBytes(u32(final.bytecodeLen), code);
    return concatBytes(new Uint8Array([bytecodeNotPublished ? 0x24 : 0x04]), versioning, nonce, balance, code_, u32(final.artifactsLen), u32(final.observableLen));
  }
  const nonceChanged = initial.nonce !== final.nonce;
  const balanceChanged = initial.balance !== final.balance;
  const meta = 4 | (nonceChanged ? 1 << 3 : 0) | (balanceChanged ? 2 << 3 : 0);
  return concatBytes(new Uint8Array([meta]), nonceChanged ? nonce : new Uint8Array(0), balanceChanged ? balance : new Uint8Array(0));
}

function codeChanged(initial: AccountProperties, final: AccountProperties): boolean {
  return (
    initial.versioning !== final.versioning ||
    initial.bytecodeLen !== final.bytecodeLen ||
    initial.artifactsLen !== final.artifactsLen ||
    initial.observableLen !== final.observableLen ||
    !bytesEqual(initial.bytecodeHash, final.bytecodeHash) ||
    !bytesEqual(initial.observableHash, final.observableHash)
  );
}

/**
 * The block's pubdata: block hash, the changed slots (only those: design.md fixes §11 item 3) in
 * the §4.6 order with their diffs, the L2→L1 logs, the user messages.
 */
export function blockPubdata(io: IO, blockHash: Uint8Array, logs: L2ToL1Log[], messages: L2ToL1Message[]): Uint8Array {
  const entries: Array<{ address: bigint; key: bigint; bytes: Uint8Array }> = [];
  for (const a of io.accounts.values()) {
    const enc = encodeProperties(a.props);
    if (finalAccountHash(a.initialHash, enc, encodeProperties(a.initial)) !== a.initialHash) {
      const code = a.props.bytecodeLen > 0 && !a.bytecodeNotPublished ? io.code(a) : new Uint8Array(0);
      const key = flatKey(ACCOUNT_PROPERTIES_STORAGE_ADDRESS, a.address);
      entries.push({ address: ACCOUNT_PROPERTIES_STORAGE_ADDRESS, key: a.address, bytes: concatBytes(key, encodeAccountDiff(a.initial, a.props, a.bytecodeNotPublished, code)) });
    }
    for (const s of a.storage.values()) {
      if (s.value !== s.initial) entries.push({ address: a.address, key: s.key, bytes: concatBytes(flatKey(a.address, s.key), encodeValueDiff(s.initial, s.value)) });
    }
  }
  entries.sort((x, y) => compareStorageKeys(x.address, x.key, y.address, y.key));
  const parts: Uint8Array[] = [blockHash, u32(entries.length), ...entries.map((e) => e.bytes), u32(logs.length), ...logs.map(encodeL2ToL1Log)];
  parts.push(u32(messages.length));
  for (const m of messages) parts.push(u32(m.data.length), m.data);
  return concatBytes(...parts);
}
