// The L1 messenger at 0x8008 (reference §6, `l1_messenger.rs`): `sendToL1(bytes)` records a user
// message to L1 from its caller and emits L1MessageSent. Unlike the reference snapshot (§11 item
// 10), it works the same whether an EVM contract or an EOA transaction calls it.
import { bigIntToBytes, bytesToBigInt } from '../../common/bytes.ts';
import { G_KECCAK, G_KECCAK_WORD, G_LOG, G_LOG_BYTE, G_LOG_TOPIC } from '../../ee/evm/gas.ts';
import * as N from '../../system/native.ts';
import type { System } from '../../system/system.ts';
import type { Hook } from '../table.ts';
import { L1_MESSAGE_SENT_TOPIC, L1_MESSENGER_ADDRESS, SEND_TO_L1_SELECTOR } from './addresses.ts';
import { HookMeter, isDelegated, selectorOf, word, words } from './common.ts';

const LOG3_GAS = G_LOG + 3 * G_LOG_TOPIC;

/** Native for hashing `len` bytes with keccak (the EVM's KECCAK256 price shape). */
export function keccakNative(len: number): number {
  return N.KECCAK_BASE + N.KECCAK_PER_BLOCK * (Math.floor(len / 136) + 1);
}

/**
 * Sends a message from `sender`: `encoded` is the ABI encoding of the `bytes` argument (offset 32,
 * length, padded data), which is also the event's data. Charges the hash and the LOG3; returns
 * the message hash, or null when out of gas (nothing recorded).
 */
export function sendToL1Inner(sys: System, m: HookMeter, sender: bigint, message: Uint8Array, encoded: Uint8Array): Uint8Array | null {
  if (!m.gas(G_KECCAK + G_KECCAK_WORD * words(message.length) + LOG3_GAS + G_LOG_BYTE * encoded.length)) return null;
  m.native += keccakNative(message.length) + N.EVENT_BASE + N.EVENT_PER_BYTE * message.length;
  m.native += N.EVENT_BASE + 3 * N.EVENT_PER_TOPIC + N.EVENT_PER_BYTE * encoded.length;
  const hash = sys.io.sendToL1(sender, message);
  sys.io.emitLog(L1_MESSENGER_ADDRESS, [L1_MESSAGE_SENT_TOPIC, sender, bytesToBigInt(hash)], encoded);
  return hash;
}

/** The ABI encoding of one `bytes` value: offset 32, length, data padded to whole words. */
export function abiEncodeBytes(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(64 + words(data.length) * 32);
  out[31] = 32;
  out.set(bigIntToBytes(BigInt(data.length), 32), 32);
  out.set(data, 64);
  return out;
}

export const l1MessengerHook: Hook = (input, gasAvailable, req, sys) => {
  const m = new HookMeter(gasAvailable);
  // No payable method; delegation is refused.
  if (req.value !== 0n || isDelegated(req)) return m.revert();
  if (selectorOf(input) !== SEND_TO_L1_SELECTOR || req.isStatic) return m.revert();
  // sendToL1(bytes): the standard offset, a length that fits, whole words after the selector.
  if (input.length < 36 || word(input, 4) !== 32n) return m.revert();
  if (input.length < 68) return m.revert();
  const len = word(input, 36);
  if (len > BigInt(input.length - 68) || (input.length - 4) % 32 !== 0) return m.revert();
  const message = input.subarray(68, 68 + Number(len));
  const hash = sendToL1Inner(sys, m, req.caller, message, input.slice(4));
  if (hash === null) return m.revert();
  return m.ok(hash);
};
