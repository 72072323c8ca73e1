// Hash and signature primitives. The WebAssembly (our keccak, hash-wasm's blake2s and sha256) and
// native (secp256k1) backends are 5-25x faster than pure JS. keccak loads with its module
// (keccak.ts); the others once at start-up through initCrypto(). Until then, and if they cannot
// load, the audited @noble implementations give the same answers, only slower.
import { bytesToBigInt, writeBigInt } from '../common/bytes.ts';
import { keccak256, keccak256Word, keccakBackend } from './keccak.ts';
import { createRequire } from 'node:module';
import { createBLAKE2s, createSHA256, type IHasher } from 'hash-wasm';
import { blake2s as nobleBlake2s } from '@noble/hashes/blake2.js';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { ripemd160 as nobleRipemd160 } from '@noble/hashes/legacy.js';
import { secp256k1 as nobleSecp } from '@noble/curves/secp256k1.js';

let wasmBlake2s: IHasher | null = null;
let wasmSha256: IHasher | null = null;

interface NativeSecp {
  ecdsaRecover(sig: Uint8Array, recid: number, msg32: Uint8Array, compressed: boolean): Uint8Array;
  publicKeyCreate(priv: Uint8Array, compressed: boolean): Uint8Array;
  ecdsaSign(msg32: Uint8Array, priv: Uint8Array): { signature: Uint8Array; recid: number };
}
let nativeSecp: NativeSecp | null = null;

export async function initCrypto(): Promise<void> {
  if (wasmBlake2s) return;
  try {
    [wasmBlake2s, wasmSha256] = await Promise.all([createBLAKE2s(256), createSHA256()]);
  } catch {
    wasmBlake2s = wasmSha256 = null;
  }
  try {
    // The package's own index silently falls back to elliptic.js; load the binding explicitly.
    nativeSecp = createRequire(import.meta.url)('secp256k1/bindings') as NativeSecp;
  } catch {
    nativeSecp = null;
  }
}

export { keccak256, keccak256Word };

/** Which implementations loaded (a fallback is silent otherwise). */
export function cryptoBackends(): { keccak: 'wasm' | 'js'; secp256k1: 'native' | 'js' } {
  return { keccak: keccakBackend(), secp256k1: nativeSecp !== null ? 'native' : 'js' };
}

export function blake2s(data: Uint8Array): Uint8Array {
  if (wasmBlake2s) {
    wasmBlake2s.init();
    wasmBlake2s.update(data);
    return wasmBlake2s.digest('binary');
  }
  return nobleBlake2s(data);
}

export function sha256(data: Uint8Array): Uint8Array {
  if (wasmSha256) {
    wasmSha256.init();
    wasmSha256.update(data);
    return wasmSha256.digest('binary');
  }
  return nobleSha256(data);
}

export function ripemd160(data: Uint8Array): Uint8Array {
  return nobleRipemd160(data);
}

export const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/**
 * Recovers the uncompressed public key (64 bytes, without the 0x04 prefix) from a 32-byte message
 * hash and (r, s, recid). Returns null when the signature is not valid for any key.
 */
export function recoverPublicKey(msgHash: Uint8Array, r: bigint, s: bigint, recid: number): Uint8Array | null {
  if (r === 0n || s === 0n || r >= SECP256K1_N || s >= SECP256K1_N || (recid !== 0 && recid !== 1)) return null;
  const sig = new Uint8Array(64);
  writeBigInt(sig, 0, r, 32);
  writeBigInt(sig, 32, s, 32);
  if (ahead !== null) {
    const known = ahead.lookup(msgHash, sig, recid);
    if (known !== undefined) return known;
  }
  return recoverCompact(msgHash, sig, recid);
}

/** Recovery from a 64-byte compact (r ‖ s) signature, always computed here. */
export function recoverCompact(msgHash: Uint8Array, sig: Uint8Array, recid: number): Uint8Array | null {
  try {
    if (nativeSecp) return nativeSecp.ecdsaRecover(sig, recid, msgHash, false).subarray(1);
    const pub = nobleSecp.Signature.fromBytes(sig, 'compact').addRecoveryBit(recid).recoverPublicKey(msgHash);
    return pub.toBytes(false).subarray(1);
  } catch {
    return null;
  }
}

/**
 * Public keys recovered ahead of time by this same code on another thread (the sender-recovery
 * worker of storage/senders). `lookup` answers only for exactly the hash, signature and recid it
 * recovered — undefined otherwise — so results cannot differ from recovering here; it only moves
 * the work to the second core. Pure functions stay pure: this is a cache, not an input.
 */
export interface RecoveryAhead {
  lookup(msgHash: Uint8Array, sig: Uint8Array, recid: number): Uint8Array | null | undefined;
  /**
   * For a raw signed Ethereum transaction decoded ahead by the same decoder: what its signature
   * gave (signing hash, signer). Undefined when not known; answers only for these bytes.
   */
  signer?(raw: Uint8Array): KnownSigner | undefined;
}

export interface KnownSigner {
  signingHash: Uint8Array;
  from: bigint;
}

let ahead: RecoveryAhead | null = null;

/** What the installed cache knows of this raw transaction's signature; undefined without one. */
export function signerAhead(raw: Uint8Array): KnownSigner | undefined {
  return ahead === null || ahead.signer === undefined ? undefined : ahead.signer(raw);
}

/** Installs (or with null removes) the recovery cache; returns the previous one. */
export function setRecoveryAhead(a: RecoveryAhead | null): RecoveryAhead | null {
  const prev = ahead;
  ahead = a;
  return prev;
}

/** The Ethereum address of a 64-byte uncompressed public key, as a 160-bit integer. */
export function publicKeyToAddress(pub64: Uint8Array): bigint {
  return bytesToBigInt(keccak256(pub64), 12, 32);
}

export function privateKeyToAddress(priv: Uint8Array): bigint {
  const pub = nativeSecp ? nativeSecp.publicKeyCreate(priv, false) : nobleSecp.getPublicKey(priv, false);
  return publicKeyToAddress(pub.subarray(1));
}

/** Signs a 32-byte hash; used by tools and tests that build transactions, never by the machine. */
export function signHash(msgHash: Uint8Array, priv: Uint8Array): { r: bigint; s: bigint; recid: number } {
  let sig: Uint8Array;
  let recid: number;
  if (nativeSecp) {
    const out = nativeSecp.ecdsaSign(msgHash, priv);
    sig = out.signature;
    recid = out.recid;
  } else {
    const s = nobleSecp.sign(msgHash, priv, { prehash: false, format: 'recovered' });
    recid = s[0];
    sig = s.subarray(1);
  }
  return { r: bytesToBigInt(sig, 0, 32), s: bytesToBigInt(sig, 32, 64), recid };
}
