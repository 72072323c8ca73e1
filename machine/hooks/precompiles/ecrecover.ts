// 0x01 ECRECOVER: the address that signed a 32-byte hash, from (hash, v, r, s).
import { publicKeyToAddress, recoverPublicKey } from '../../crypto/index.ts';
import { emptyOutput, failure, padRight, readUint, success, writeUint } from './common.ts';
import type { PrecompileOutcome } from './types.ts';

export const ECRECOVER_GAS = 3000;
// Native (ZKsync OS): the recovery itself plus four keccak/field rounds around it.
export const ECRECOVER_NATIVE = 350_000 + 4 * 43_000;

const INPUT_LEN = 128;

export function ecrecoverPrecompile(input: Uint8Array, gasAvailable: number): PrecompileOutcome {
  if (ECRECOVER_GAS > gasAvailable) return failure(gasAvailable, 0);
  const buf = padRight(input, INPUT_LEN);
  // v is a full 32-byte word that must equal 27 or 28: bytes 32..62 zero.
  for (let i = 32; i < 63; i++) if (buf[i] !== 0) return success(ECRECOVER_GAS, ECRECOVER_NATIVE, emptyOutput());
  const v = buf[63];
  if (v !== 27 && v !== 28) return success(ECRECOVER_GAS, ECRECOVER_NATIVE, emptyOutput());
  const r = readUint(buf, 64, 32);
  const s = readUint(buf, 96, 32);
  // recoverPublicKey rejects r or s outside [1, n) and signatures that recover no key.
  const pub = recoverPublicKey(buf.slice(0, 32), r, s, v - 27);
  if (pub === null) return success(ECRECOVER_GAS, ECRECOVER_NATIVE, emptyOutput());
  const out = new Uint8Array(32);
  writeUint(out, 12, 20, publicKeyToAddress(pub));
  return success(ECRECOVER_GAS, ECRECOVER_NATIVE, out);
}
