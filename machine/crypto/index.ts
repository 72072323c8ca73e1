// Hash and signature primitives. The WebAssembly (hash-wasm) and native (secp256k1) backends are
// 5-25x faster than pure JS; they load once at start-up through initCrypto(). Until then, and if
// they cannot load, the audited @noble implementations give the same answers, only slower.
import { readFileSync } from 'node:fs';
import { bytesEqual, bytesToBigInt, wordAt, writeBigInt } from '../common/bytes.ts';
import { createRequire } from 'node:module';
import { createKeccak, createBLAKE2s, createSHA256, type IHasher } from 'hash-wasm';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { blake2s as nobleBlake2s } from '@noble/hashes/blake2.js';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { ripemd160 as nobleRipemd160 } from '@noble/hashes/legacy.js';
import { secp256k1 as nobleSecp } from '@noble/curves/secp256k1.js';

let wasmKeccak: IHasher | null = null;
let wasmBlake2s: IHasher | null = null;
let wasmSha256: IHasher | null = null;

interface NativeSecp {
  ecdsaRecover(sig: Uint8Array, recid: number, msg32: Uint8Array, compressed: boolean): Uint8Array;
  publicKeyCreate(priv: Uint8Array, compressed: boolean): Uint8Array;
  ecdsaSign(msg32: Uint8Array, priv: Uint8Array): { signature: Uint8Array; recid: number };
}
let nativeSecp: NativeSecp | null = null;

export async function initCrypto(): Promise<void> {
  if (wasmKeccak) return;
  try {
    [wasmKeccak, wasmBlake2s, wasmSha256] = await Promise.all([createKeccak(256), createBLAKE2s(256), createSHA256()]);
  } catch {
    wasmKeccak = wasmBlake2s = wasmSha256 = null;
  }
  directKeccak = wasmKeccak === null ? null : await loadDirectKeccak(wasmKeccak);
  try {
    // The package's own index silently falls back to elliptic.js; load the binding explicitly.
    nativeSecp = createRequire(import.meta.url)('secp256k1/bindings') as NativeSecp;
  } catch {
    nativeSecp = null;
  }
}

/**
 * hash-wasm's keccak module driven through its exports (Hash_Init / Hash_Update / Hash_Final over
 * its buffer), not through the IHasher wrapper: the wrapper's per-call views, checks and hex
 * digest cost about 3x the permutation for the EVM's 64-byte KECCAK256. The module is the one the
 * package ships (read from its bundle at start-up) and must agree with the wrapper on a set of
 * lengths before it is used; otherwise the wrapper is.
 */
interface DirectKeccak {
  init(bits: number): void;
  update(len: number): void;
  final(padding: number): void;
  /** The module's I/O buffer and a view of the same memory. */
  buf: Uint8Array;
  view: DataView;
}
let directKeccak: DirectKeccak | null = null;
/** The module reads at most this many bytes per update (its buffer's size). */
const DIRECT_CHUNK = 16 * 1024;
const KECCAK_PADDING = 0x01;

async function loadDirectKeccak(reference: IHasher): Promise<DirectKeccak | null> {
  try {
    const bundle = readFileSync(createRequire(import.meta.url).resolve('hash-wasm/dist/keccak.umd.min.js'), 'utf8');
    const m = /name:"sha3",data:"([A-Za-z0-9+/=]+)"/.exec(bundle);
    if (m === null) return null;
    const { instance } = await WebAssembly.instantiate(Buffer.from(m[1], 'base64'), {});
    const ex = instance.exports as Record<string, unknown>;
    const memory = ex.memory as WebAssembly.Memory;
    const at = (ex.Hash_GetBuffer as () => number)();
    const k: DirectKeccak = {
      init: ex.Hash_Init as (bits: number) => void,
      update: ex.Hash_Update as (len: number) => void,
      final: ex.Hash_Final as (padding: number) => void,
      buf: new Uint8Array(memory.buffer, at, DIRECT_CHUNK),
      view: new DataView(memory.buffer, at, 32),
    };
    for (const len of [0, 1, 31, 32, 64, 135, 136, 137, 272, 5000, DIRECT_CHUNK + 7]) {
      const data = new Uint8Array(len).map((_, i) => (i * 131 + len) & 0xff);
      reference.init();
      reference.update(data);
      if (!bytesEqual(directDigest(k, data), reference.digest('binary'))) return null;
    }
    return k;
  } catch {
    return null;
  }
}

function directAbsorb(k: DirectKeccak, data: Uint8Array): void {
  k.init(256);
  for (let p = 0; p < data.length; p += DIRECT_CHUNK) {
    const n = Math.min(DIRECT_CHUNK, data.length - p);
    if (n <= 128) for (let i = 0; i < n; i++) k.buf[i] = data[p + i];
    else k.buf.set(data.subarray(p, p + n));
    k.update(n);
  }
  k.final(KECCAK_PADDING);
}

function directDigest(k: DirectKeccak, data: Uint8Array): Uint8Array {
  directAbsorb(k, data);
  return k.buf.slice(0, 32);
}

/** Which implementations initCrypto loaded (a fallback is silent otherwise). */
export function cryptoBackends(): { keccak: 'wasm-direct' | 'wasm' | 'js'; secp256k1: 'native' | 'js' } {
  return { keccak: directKeccak !== null ? 'wasm-direct' : wasmKeccak !== null ? 'wasm' : 'js', secp256k1: nativeSecp !== null ? 'native' : 'js' };
}

export function keccak256(data: Uint8Array): Uint8Array {
  if (directKeccak !== null) return directDigest(directKeccak, data);
  if (wasmKeccak) {
    wasmKeccak.init();
    wasmKeccak.update(data);
    return wasmKeccak.digest('binary');
  }
  return keccak_256(data);
}

/** keccak256 as a 256-bit integer (KECCAK256 pushes it): the hex digest skips a byte round trip. */
export function keccak256Word(data: Uint8Array): bigint {
  const k = directKeccak;
  if (k !== null) {
    directAbsorb(k, data);
    return wordAt(k.view, 0);
  }
  if (wasmKeccak) {
    wasmKeccak.init();
    wasmKeccak.update(data);
    return BigInt('0x' + wasmKeccak.digest('hex'));
  }
  return bytesToBigInt(keccak_256(data));
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
   * gave (signing hash, signer, tx hash). Undefined when not known; answers only for these bytes.
   */
  signer?(raw: Uint8Array): KnownSigner | undefined;
}

export interface KnownSigner {
  signingHash: Uint8Array;
  from: bigint;
  hash: Uint8Array;
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
