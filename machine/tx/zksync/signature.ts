// Recovering the signer of a ZKsync transaction (types 0/1/2/0x71), as EOA validation does it
// (reference/zksync-os.md §2.6 step 13, `account_models/eoa.rs`): the signature is r ‖ s ‖ v with
// v = 27/28; s > n/2 is rejected first (MalleableSignature), then ecrecover over the signed hash.
// Validation compares the recovered signer with `from` (IncorrectFrom); this module only recovers.
import { publicKeyToAddress, recoverPublicKey, SECP256K1_N } from '../../crypto/index.ts';
import { splitZkSignature, zkSignedHash } from './hash.ts';
import { isL1OrUpgradeType, ZK_SIGNATURE_LENGTH, type ZkTransaction } from './types.ts';

const HALF_N = SECP256K1_N / 2n;

/**
 * Why no signer recovers:
 *   NOT_SIGNED           a 0xFF / 0xFE transaction (no signature by design)
 *   BAD_SIGNATURE_LENGTH the signature is not 65 bytes
 *   MALLEABLE_SIGNATURE  s > n/2 (validation error MalleableSignature)
 *   INVALID_V            v is neither 27 nor 28
 *   INVALID_SIGNATURE    r or s is zero or ≥ n, or no public key recovers
 * All but MALLEABLE_SIGNATURE surface in validation as IncorrectFrom (ecrecover yields nothing).
 */
export type ZkSignatureErrorCode = 'NOT_SIGNED' | 'BAD_SIGNATURE_LENGTH' | 'MALLEABLE_SIGNATURE' | 'INVALID_V' | 'INVALID_SIGNATURE';

export type ZkSignerRecovery =
  | { ok: true; signer: bigint; signedHash: Uint8Array }
  | { ok: false; code: ZkSignatureErrorCode; signedHash: Uint8Array | null };

/**
 * Recovers who signed `tx` for the block's chain id. Pass `signedHash` when it is already computed
 * (zkTxHashes), to hash once.
 */
export function recoverZkSigner(tx: ZkTransaction, chainId: bigint, signedHash?: Uint8Array | null): ZkSignerRecovery {
  if (isL1OrUpgradeType(tx.txType)) return { ok: false, code: 'NOT_SIGNED', signedHash: null };
  const hash = signedHash ?? zkSignedHash(tx, chainId);
  if (hash === null) return { ok: false, code: 'NOT_SIGNED', signedHash: null };
  if (tx.signature.length !== ZK_SIGNATURE_LENGTH) return { ok: false, code: 'BAD_SIGNATURE_LENGTH', signedHash: hash };
  const { r, s, v } = splitZkSignature(tx.signature);
  if (s > HALF_N) return { ok: false, code: 'MALLEABLE_SIGNATURE', signedHash: hash };
  if (v !== 27 && v !== 28) return { ok: false, code: 'INVALID_V', signedHash: hash };
  const pub = recoverPublicKey(hash, r, s, v - 27);
  if (pub === null) return { ok: false, code: 'INVALID_SIGNATURE', signedHash: hash };
  return { ok: true, signer: publicKeyToAddress(pub), signedHash: hash };
}

/** The signer's address, or null when none recovers (see recoverZkSigner for the reason). */
export function recoverZkSender(tx: ZkTransaction, chainId: bigint): bigint | null {
  const res = recoverZkSigner(tx, chainId);
  return res.ok ? res.signer : null;
}

/** The 65-byte r ‖ s ‖ (27 + recid) signature a ZKsync body carries. */
export function packZkSignature(r: bigint, s: bigint, recid: number): Uint8Array {
  const out = new Uint8Array(ZK_SIGNATURE_LENGTH);
  for (let i = 31, rr = r, ss = s; i >= 0; i--, rr >>= 8n, ss >>= 8n) {
    out[i] = Number(rr & 0xffn);
    out[32 + i] = Number(ss & 0xffn);
  }
  out[64] = 27 + recid;
  return out;
}
