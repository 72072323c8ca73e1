// What a transaction adds to the block's pubdata, for charging (reference §5.3 "Pubdata
// charging"): each changed slot its 32-byte key and compressed value diff (§5.3.1), each changed
// account its account diff (§5.3.2), each user message 4 + len + 88 bytes. Changes are measured
// against the block's start; a transaction pays for how it moved that total.
import type { AccountProperties } from '../../system/account.ts';
import type { IO } from '../../system/io.ts';
import { L2_TO_L1_LOG_BYTES } from './constants.ts';

function byteLength(v: bigint): number {
  let n = 0;
  while (v > 0n) {
    v >>= 8n;
    n++;
  }
  return n;
}

/** Length of the optimal value-diff encoding (§5.3.1), metadata byte included. */
export function valueDiffLength(initial: bigint, final: bigint): number {
  let best = 33;
  const consider = (len: number) => {
    if (len < 32 && 1 + len < best) best = 1 + len;
  };
  if (final >= initial) consider(byteLength(final - initial));
  if (initial >= final) consider(byteLength(initial - final));
  consider(byteLength(final));
  return best;
}

/** Pubdata of a non-account slot whose value went from `initial` to `value`. */
export function slotPubdata(initial: bigint, value: bigint): number {
  return value === initial ? 0 : 32 + valueDiffLength(initial, value);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < 32; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Length of the account diff (§5.3.2); 0 when nothing changed. */
export function accountDiffLength(initial: AccountProperties, final: AccountProperties, bytecodeNotPublished: boolean): number {
  const codeChanged =
    initial.versioning !== final.versioning ||
    initial.bytecodeLen !== final.bytecodeLen ||
    initial.artifactsLen !== final.artifactsLen ||
    initial.observableLen !== final.observableLen ||
    !sameBytes(initial.bytecodeHash, final.bytecodeHash) ||
    !sameBytes(initial.observableHash, final.observableHash);
  const nonce = valueDiffLength(initial.nonce, final.nonce);
  const balance = valueDiffLength(initial.balance, final.balance);
  if (codeChanged) return 1 + 8 + nonce + balance + (bytecodeNotPublished ? 32 : 4 + final.bytecodeLen) + 4 + 4;
  if (initial.nonce === final.nonce && initial.balance === final.balance) return 0;
  return 1 + (initial.nonce !== final.nonce ? nonce : 0) + (initial.balance !== final.balance ? balance : 0);
}

/** Pubdata the current transaction has produced so far (rolled-back work excluded). */
export function txPubdata(io: IO): number {
  const { slots, accounts } = io.txChanges();
  let total = 0;
  for (const [s, atStart] of slots) total += slotPubdata(s.initial, s.value) - slotPubdata(s.initial, atStart);
  for (const [a, atStart] of accounts) {
    total += accountDiffLength(a.initial, a.props, a.bytecodeNotPublished) - accountDiffLength(a.initial, atStart, a.bytecodeNotPublished);
  }
  const msgs = io.l2ToL1Messages;
  for (let i = msgs.length - 1; i >= 0 && msgs[i].txNumber === io.tx; i--) total += 4 + msgs[i].data.length + L2_TO_L1_LOG_BYTES;
  return total;
}
