// Native account abstraction (reference §2.6 steps 8, 13 and the paymaster extras): the
// bootloader calls account and paymaster methods as 0x8001 with calldata
//   selector ‖ txHash ‖ suggestedSignedHash ‖ BE(0x60, 32) ‖ transaction body.
import { bigIntToBytes, bytesToBigInt, bytesToHex } from '../../common/bytes.ts';
import { FrameStatus } from '../../ee/types.ts';
import type { TxEnv } from '../profile.ts';
import { meteredCall, type ZkPrepared } from './common.ts';
import {
  BOOTLOADER_FORMAL_ADDRESS,
  ERC20_ALLOWANCE_SELECTOR,
  ERC20_APPROVE_SELECTOR,
  MAX_PAYMASTER_CONTEXT_LEN_BYTES,
  PAYMASTER_APPROVAL_BASED_FLOW_SELECTOR,
  PAYMASTER_GENERAL_FLOW_SELECTOR,
  TX_CALLDATA_OFFSET,
  VALIDATE_AND_PAY_FOR_PAYMASTER_SELECTOR,
} from './constants.ts';
import { reject, type TxMeter } from './meter.ts';

const ADDRESS_LIMIT = 1n << 160n;

export function selectorOf(b: Uint8Array): number {
  return b.length < 4 ? -1 : ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
}

function word(b: Uint8Array, offset: number): bigint {
  return bytesToBigInt(b, offset, offset + 32);
}

/** selector ‖ txHash ‖ suggestedSignedHash ‖ BE(0x60,32) ‖ body. */
export function accountCalldata(selector: number, p: Pick<ZkPrepared, 'txHash' | 'signedHash' | 'body'>): Uint8Array {
  const out = new Uint8Array(4 + 96 + p.body.length);
  out.set(bigIntToBytes(BigInt(selector), 4), 0);
  out.set(p.txHash, 4);
  out.set(p.signedHash, 36);
  out.set(bigIntToBytes(BigInt(TX_CALLDATA_OFFSET), 32), 68);
  out.set(p.body, 100);
  return out;
}

/** A call made during validation: its failure rejects the transaction. Returns the output. */
export function validationCall(env: TxEnv, m: TxMeter, caller: bigint, target: bigint, input: Uint8Array, method: string, isStatic = false): Uint8Array {
  const o = meteredCall(env, m, caller, target, input, 0n, isStatic);
  if (o.status === FrameStatus.OutOfNative) reject('OutOfNativeResourcesDuringValidation', `out of native in ${method}`);
  if (o.status === FrameStatus.Error && m.ergs === 0) reject('OutOfGasDuringValidation', `out of gas in ${method}`);
  if (o.status !== FrameStatus.Success) reject('Revert', `${method} reverted: ${bytesToHex(o.output)}`);
  return o.output;
}

/** Calls an account method of the transaction's own body (validate, pay, prepare, execute). */
export function accountMethod(env: TxEnv, p: ZkPrepared, target: bigint, selector: number, method: string): Uint8Array {
  return validationCall(env, p.meter, BOOTLOADER_FORMAL_ADDRESS, target, accountCalldata(selector, p), method);
}

/**
 * validateAndPayForPaymasterTransaction must return (bytes4 magic, bytes context) with the magic
 * equal to its own selector and a context of at most 1056 bytes (Era's bootloader checks).
 */
export function checkPaymasterReturn(out: Uint8Array): Uint8Array {
  const len = BigInt(out.length);
  if (out.length < 64) reject('PaymasterReturnDataTooShort', `${out.length} bytes returned, at least 64 needed`);
  if (selectorOf(out) !== VALIDATE_AND_PAY_FOR_PAYMASTER_SELECTOR) reject('PaymasterInvalidMagic', `magic ${bytesToHex(out.subarray(0, 4))}`);
  const offset = word(out, 32);
  if (offset > len || offset + 32n > len) reject('PaymasterContextInvalid', `context offset ${offset} outside ${out.length} bytes`);
  const ctxLen = word(out, Number(offset));
  if (ctxLen > BigInt(MAX_PAYMASTER_CONTEXT_LEN_BYTES)) reject('PaymasterContextOffsetTooLong', `context of ${ctxLen} bytes, at most ${MAX_PAYMASTER_CONTEXT_LEN_BYTES}`);
  if (offset + 32n + ctxLen > len) reject('PaymasterContextInvalid', `context of ${ctxLen} bytes runs past the ${out.length} returned`);
  return out.slice(Number(offset) + 32, Number(offset) + 32 + Number(ctxLen));
}

function erc20Call(selector: number, a: bigint, b: bigint): Uint8Array {
  const out = new Uint8Array(68);
  out.set(bigIntToBytes(BigInt(selector), 4), 0);
  out.set(bigIntToBytes(a, 32), 4);
  out.set(bigIntToBytes(b, 32), 36);
  return out;
}

/**
 * prepareForPaymaster for an EOA sender, done by the bootloader as Era's default account does:
 * the general flow needs nothing; the approval-based flow approves `minAllowance` of `token` to
 * the paymaster when the current allowance is lower (calls made as the sender).
 */
export function eoaPrepareForPaymaster(env: TxEnv, p: ZkPrepared): void {
  const { tx, meter } = p;
  const input = tx.paymasterInput;
  const flow = selectorOf(input);
  if (flow === PAYMASTER_GENERAL_FLOW_SELECTOR) return;
  if (flow !== PAYMASTER_APPROVAL_BASED_FLOW_SELECTOR) reject('Revert', `prepareForPaymaster: unsupported paymaster flow ${bytesToHex(input.subarray(0, 4))}`);
  if (input.length < 68) reject('Revert', 'prepareForPaymaster: approval-based input too short');
  const token = word(input, 4);
  if (token >= ADDRESS_LIMIT) reject('Revert', 'prepareForPaymaster: token is not an address');
  const minAllowance = word(input, 36);
  const out = validationCall(env, meter, tx.from, token, erc20Call(ERC20_ALLOWANCE_SELECTOR, tx.from, tx.paymaster), 'allowance', true);
  if (out.length < 32) reject('Revert', 'allowance returned less than 32 bytes');
  if (word(out, 0) >= minAllowance) return;
  const ok = validationCall(env, meter, tx.from, token, erc20Call(ERC20_APPROVE_SELECTOR, tx.paymaster, minAllowance), 'approve');
  if (ok.length > 0 && (ok.length < 32 || word(ok, 0) !== 1n)) reject('Revert', 'approve did not return true');
}
