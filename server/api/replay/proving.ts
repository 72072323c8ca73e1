// Proving replay and witnesses come from the chain's tree stage (storage/chain.ts proveBlock,
// witness). A chain without them answers PRECONDITION_FAILED, so clients can tell "not
// available on this server" from a failure.
import type { Chain } from '../../../storage/chain.ts';
import { ApiError } from '../errors.ts';

/** The verdict of a proving replay: the public input computed from the tape against the stored one. */
export interface ProvingVerdict {
  block: number;
  ok: boolean;
  /** 0x hex. */
  publicInput: string;
  storedPublicInput: string | null;
  detail?: string;
}

interface ProvingChain {
  proveBlock(n: number): ProvingVerdict;
  witness(n: number): Uint32Array;
}

function provingChain(chain: Chain): ProvingChain | null {
  const c = chain as unknown as Partial<ProvingChain>;
  return typeof c.proveBlock === 'function' && typeof c.witness === 'function' ? (c as ProvingChain) : null;
}

function need(chain: Chain): ProvingChain {
  const p = provingChain(chain);
  if (p === null) throw new ApiError('PRECONDITION_FAILED', 'NO_TREE_STAGE', 'proving replay needs the tree stage, which this build of zkos does not have');
  return p;
}

export function proveBlock(chain: Chain, n: number): ProvingVerdict {
  return need(chain).proveBlock(n);
}

export function blockWitness(chain: Chain, n: number): Uint32Array {
  return need(chain).witness(n);
}
