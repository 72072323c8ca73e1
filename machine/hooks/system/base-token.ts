// The L2 base token at 0x800a (reference §6, `l2_base_token.rs`): withdrawals to L1. The runner has
// already moved the call's value to 0x800a; the hook burns it and sends the withdrawal message
// through the L1 messenger with 0x800a as the message's sender (what L1 checks):
//   withdraw(receiver)                 0x6c0960f9 ‖ receiver(20) ‖ BE(value,32)
//   withdrawWithMessage(receiver, d)   0x6c0960f9 ‖ receiver(20) ‖ BE(value,32) ‖ caller(20) ‖ d
import { bigIntToBytes, bytesToBigInt } from '../../common/bytes.ts';
import * as N from '../../system/native.ts';
import type { System } from '../../system/system.ts';
import type { Hook, HookResult } from '../table.ts';
import { FINALIZE_ETH_WITHDRAWAL_SELECTOR, L2_BASE_TOKEN_ADDRESS, WITHDRAW_SELECTOR, WITHDRAW_WITH_MESSAGE_SELECTOR } from './addresses.ts';
import { addressPaddingClean, HookMeter, isDelegated, selectorOf, word } from './common.ts';
import { abiEncodeBytes, sendToL1Inner } from './l1-messenger.ts';

const MAX_U32 = 0xffffffffn;

function withdrawalMessage(receiver: Uint8Array, value: bigint, extra: Uint8Array): Uint8Array {
  const out = new Uint8Array(56 + extra.length);
  out.set(bigIntToBytes(BigInt(FINALIZE_ETH_WITHDRAWAL_SELECTOR), 4), 0);
  out.set(receiver, 4);
  out.set(bigIntToBytes(value, 32), 24);
  out.set(extra, 56);
  return out;
}

function burnAndSend(sys: System, m: HookMeter, value: bigint, message: Uint8Array): HookResult {
  const io = sys.io;
  const self = io.account(L2_BASE_TOKEN_ADDRESS);
  m.native += N.ACCOUNT_ACCESS + N.ACCOUNT_WRITE_EXTRA;
  if (self.props.balance < value) return m.revert();
  io.setBalance(self, self.props.balance - value);
  if (sendToL1Inner(sys, m, L2_BASE_TOKEN_ADDRESS, message, abiEncodeBytes(message)) === null) return m.revert();
  return m.ok(new Uint8Array(0));
}

export const l2BaseTokenHook: Hook = (input, gasAvailable, req, sys) => {
  const m = new HookMeter(gasAvailable);
  if (isDelegated(req)) return m.revert();
  const selector = selectorOf(input);
  if (selector === WITHDRAW_SELECTOR) {
    if (req.isStatic || input.length < 36 || !addressPaddingClean(input, 4)) return m.revert();
    return burnAndSend(sys, m, req.value, withdrawalMessage(input.slice(16, 36), req.value, new Uint8Array(0)));
  }
  if (selector === WITHDRAW_WITH_MESSAGE_SELECTOR) {
    if (req.isStatic || input.length < 68 || !addressPaddingClean(input, 4)) return m.revert();
    const offset = word(input, 36);
    if (offset > MAX_U32 || offset + 36n > BigInt(input.length)) return m.revert();
    const lenAt = Number(offset) + 4;
    const len = word(input, lenAt);
    if (len > MAX_U32 || BigInt(lenAt + 32) + len > BigInt(input.length)) return m.revert();
    const data = input.slice(lenAt + 32, lenAt + 32 + Number(len));
    const extra = new Uint8Array(20 + data.length);
    extra.set(bigIntToBytes(req.caller, 20), 0);
    extra.set(data, 20);
    return burnAndSend(sys, m, req.value, withdrawalMessage(input.slice(16, 36), req.value, extra));
  }
  return m.revert();
};

/** The receiver of a withdrawal message (for tools): the 20 bytes after the selector. */
export function withdrawalReceiver(message: Uint8Array): bigint {
  return bytesToBigInt(message, 4, 24);
}
