// Hash and signature primitives. The WebAssembly (our keccak, hash-wasm's blake2s and sha256) and
// native (secp256k1) backends are 5-25x faster than pure JS. keccak loads with its module
// (keccak.ts); the others once at start-up through initCrypto(). Until then, and if they cannot
// load, the audited @noble implementations give the same answers, only slower.
import { keccak256, keccak256Word, keccakBackend } from './keccak.ts';
import { loadSecp256k1, secp256k1Backend } from './secp256k1.ts';
import { createBLAKE2s, createSHA256, type IHasher } from 'hash-wasm';
import { blake2s as nobleBlake2s } from '@noble/hashes/blake2.js';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { ripemd160 as nobleRipemd160 } from '@noble/hashes/legacy.js';

let wasmBlake2s: IHasher | null = null;
let wasmSha256: IHasher | null = null;

export async function initCrypto(): Promise<void> {
  loadSecp256k1();
  if (wasmBlake2s) return;
  try {
    [wasmBlake2s, wasmSha256] = await Promise.all([createBLAKE2s(256), createSHA256()]);
  } catch {
    wasmBlake2s = wasmSha256 = null;
  }
}

export { keccak256, keccak256Word };
export {
  privateKeyToAddress, publicKeyToAddress, recoverCompact, recoverCompactBatch, recoverPublicKey, SECP256K1_N, setRecoveryAhead, signerAhead, signHash,
  type KnownSigner, type RecoveryAhead,
} from './secp256k1.ts';

/** Which implementations loaded (a fallback is silent otherwise). */
export function cryptoBackends(): { keccak: 'wasm' | 'js'; secp256k1: 'native' | 'js' } {
  return { keccak: keccakBackend(), secp256k1: secp256k1Backend() };
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
