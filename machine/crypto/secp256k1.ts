// secp256k1: public-key recovery (the machine's), signing and key derivation (tools' and tests').
// Recovery runs on our batch addon (native/recover.c, built at install from the libsecp256k1 the
// `secp256k1` package vendors): over a batch it shares the two modular inversions of every key,
// ~38 µs a key against ~53 for the package's single recovery. Signing uses the package itself.
// Until loadSecp256k1() (initCrypto) and if neither loads, @noble/curves gives the same answers.
import { createRequire } from 'node:module';
import { secp256k1 as nobleSecp } from '@noble/curves/secp256k1.js';
import { bytesToBigInt, writeBigInt } from '../common/bytes.ts';
import { keccak256 } from './keccak.ts';

interface NativeSecp {
  publicKeyCreate(priv: Uint8Array, compressed: boolean): Uint8Array;
  ecdsaSign(msg32: Uint8Array, priv: Uint8Array): { signature: Uint8Array; recid: number };
}
interface NativeBatch {
  /** For n signatures: sigs 64n bytes (r ‖ s), recids n, msgs 32n; writes out 64n (x ‖ y) and ok n. */
  recover(sigs: Uint8Array, recids: Uint8Array, msgs: Uint8Array, out: Uint8Array, ok: Uint8Array): void;
}
let nativeSecp: NativeSecp | null = null;
let nativeBatch: NativeBatch | null = null;

export function loadSecp256k1(): void {
  const require = createRequire(import.meta.url);
  try {
    // The package's own index silently falls back to elliptic.js; load the binding explicitly.
    nativeSecp ??= require('secp256k1/bindings') as NativeSecp;
  } catch {
    nativeSecp = null;
  }
  try {
    nativeBatch ??= require('./native/build/Release/zkos_recover.node') as NativeBatch;
  } catch {
    nativeBatch = null;
  }
}

/** Which implementation recovers keys: our batch addon, or @noble/curves. */
export function secp256k1Backend(): 'native' | 'js' {
  return nativeBatch !== null ? 'native' : 'js';
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

// One recovery's buffers, reused: the addon reads and writes them in place.
const oneSig = new Uint8Array(64);
const oneRecid = new Uint8Array(1);
const oneOut = new Uint8Array(64);
const oneOk = new Uint8Array(1);

/** Recovery from a 64-byte compact (r ‖ s) signature and recid 0..3, always computed here. */
export function recoverCompact(msgHash: Uint8Array, sig: Uint8Array, recid: number): Uint8Array | null {
  if (msgHash.length !== 32 || sig.length !== 64 || !(recid >= 0 && recid <= 3)) return null;
  if (nativeBatch !== null) {
    oneSig.set(sig);
    oneRecid[0] = recid;
    nativeBatch.recover(oneSig, oneRecid, msgHash, oneOut, oneOk);
    return oneOk[0] === 1 ? oneOut.slice() : null;
  }
  return nobleRecover(msgHash, sig, recid);
}

function nobleRecover(msgHash: Uint8Array, sig: Uint8Array, recid: number): Uint8Array | null {
  try {
    const pub = nobleSecp.Signature.fromBytes(sig, 'compact').addRecoveryBit(recid).recoverPublicKey(msgHash);
    return pub.toBytes(false).subarray(1);
  } catch {
    return null;
  }
}

/**
 * Recovers many keys at once; the same answers as recoverCompact on each. `sigs` holds n compact
 * signatures (64n bytes), `msgHashes` their 32-byte hashes (32n), `recids` one byte each. Returns
 * n entries, each the key (a view into one shared 64n-byte buffer) or null.
 */
export function recoverCompactBatch(msgHashes: Uint8Array, sigs: Uint8Array, recids: Uint8Array): (Uint8Array | null)[] {
  const n = recids.length;
  if (sigs.length !== 64 * n || msgHashes.length !== 32 * n) throw new RangeError(`batch of ${n}: ${sigs.length} signature bytes, ${msgHashes.length} hash bytes`);
  const keys: (Uint8Array | null)[] = new Array(n);
  if (nativeBatch !== null) {
    const out = new Uint8Array(64 * n);
    const ok = new Uint8Array(n);
    nativeBatch.recover(sigs, recids, msgHashes, out, ok);
    for (let i = 0; i < n; i++) keys[i] = ok[i] === 1 ? out.subarray(64 * i, 64 * i + 64) : null;
    return keys;
  }
  for (let i = 0; i < n; i++) {
    keys[i] = recids[i] > 3 ? null : nobleRecover(msgHashes.subarray(32 * i, 32 * i + 32), sigs.subarray(64 * i, 64 * i + 64), recids[i]);
  }
  return keys;
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
   * gave (signing hash, signer). Undefined when not known; answers only for these bytes. Decoded
   * on the same thread, the answer is the whole authenticated transaction (machine/tx/ethereum.ts).
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
