// Proving replay and witnesses of stored blocks, from the chain's tree stage (storage/chain.ts
// proveBlock and witness). The API hands out the verdict without the tape, and the tape only
// through the witness procedure.
import type { Chain } from '../../../storage/chain.ts';
import type { ProvingVerdict } from '../../../storage/witness.ts';

export type { ProvingVerdict };

export function proveBlock(chain: Chain, n: number): ProvingVerdict {
  const { tape: _tape, ...verdict } = chain.proveBlock(n);
  return verdict;
}

export function blockWitness(chain: Chain, n: number): Uint32Array {
  return chain.witness(n);
}
