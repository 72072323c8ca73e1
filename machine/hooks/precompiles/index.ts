// The Ethereum precompiles 0x01..0x0a (Cancun), as pure synchronous functions indexed by address.
// Every entry is wrapped so that no input can make it throw: an unexpected exception (which would
// be a bug, or a BigInt beyond the engine's size limit under an absurd gas budget) is a failure.
import { ecrecoverPrecompile } from './ecrecover.ts';
import { identityPrecompile, ripemd160Precompile, sha256Precompile } from './hashes.ts';
import { modexpPrecompile } from './modexp.ts';
import { bn254AddPrecompile, bn254MulPrecompile, bn254PairingPrecompile } from './bn254.ts';
import { blake2fPrecompile } from './blake2f.ts';
import { pointEvaluationPrecompile } from './kzg.ts';
import { failure } from './common.ts';
import type { PrecompileFn } from './types.ts';

export type { PrecompileFn, PrecompileOutcome } from './types.ts';

export const PRECOMPILE_COUNT = 10;

function guarded(fn: PrecompileFn): PrecompileFn {
  return (input, gasAvailable) => {
    try {
      return fn(input, gasAvailable);
    } catch {
      return failure(gasAvailable, 0);
    }
  };
}

export const PRECOMPILES: ReadonlyArray<PrecompileFn | undefined> = Object.freeze([
  undefined,
  guarded(ecrecoverPrecompile), // 0x01
  guarded(sha256Precompile), // 0x02
  guarded(ripemd160Precompile), // 0x03
  guarded(identityPrecompile), // 0x04
  guarded(modexpPrecompile), // 0x05
  guarded(bn254AddPrecompile), // 0x06
  guarded(bn254MulPrecompile), // 0x07
  guarded(bn254PairingPrecompile), // 0x08
  guarded(blake2fPrecompile), // 0x09
  guarded(pointEvaluationPrecompile), // 0x0a
]);

/** True for the addresses 0x01..0x0a (as a 160-bit integer). */
export function isPrecompileAddress(address: bigint): boolean {
  return address >= 1n && address <= BigInt(PRECOMPILE_COUNT);
}
