// Witnesses and proving replay of stored blocks (design.md "witness regeneration", "proving
// mode"). The tape of block n is what a forward run of n asks and is answered, with the proving
// queries answered from the tree as of block n-1: so it is built by replaying n from its stored
// log (which must still match, event for event) with a tree proof source beside it. A tape is
// only handed out after a proving run over it alone reproduced the public input.
import { runBlock } from '../machine/bootloader/machine.ts';
import type { Profile } from '../machine/bootloader/profile.ts';
import type { BlockOutput } from '../machine/bootloader/types.ts';
import { bytesEqual, bytesToHex } from '../machine/common/bytes.ts';
import { DEFAULT_BLOB_BASE_FEE } from '../machine/oracle/codec.ts';
import { withProofs } from '../machine/oracle/proving.ts';
import { RecordingOracle } from '../machine/oracle/recording.ts';
import { TapeOracle, tapeFromLog } from '../machine/oracle/tape.ts';
import type { FlatTree } from '../machine/tree/flat/tree.ts';
import { treeProofSource } from '../machine/tree/flat/source.ts';
import { outputDigest } from './digest.ts';
import { ChainError, ProvingError } from './errors.ts';
import type { BlockReader } from './records.ts';
import { replayRun } from './replay.ts';

export interface TapeRun {
  /** The forward run's output, with the commitment after and the public input it computed. */
  output: BlockOutput;
  tape: Uint32Array;
}

/** Verdict of a proving replay: a proving run over the block's tape, compared with the store. */
export interface ProvingVerdict {
  block: number;
  /** The proving run verified and its public input equals the stored one (or the tape's own when none is stored). */
  ok: boolean;
  publicInput: string;
  storedPublicInput: string | null;
  /** keccak of the receipts, logs, L2→L1 outputs and state diff the proving run computed. */
  outputDigest: string;
  tapeWords: number;
  detail?: string;
}

/**
 * Block n's tape: a replay from its stored log with the proving queries answered from `before`
 * (the tree as of block n-1, left unchanged). Throws ProvingError when the replay diverges.
 */
export function buildTape(reader: BlockReader, n: number, profile: Profile, before: FlatTree): TapeRun {
  checkProvable(reader, n, profile);
  let recorder: RecordingOracle | null = null;
  const { verdict, output } = replayRun(reader, n, profile, (o) => {
    recorder = new RecordingOracle(withProofs(o, before.commitment(), treeProofSource(before)));
    return recorder;
  });
  if (!verdict.identical || output === null || recorder === null) {
    throw new ProvingError('REPLAY_DIVERGED', n, `the run building the tape left the stored log (${JSON.stringify(verdict, bigints)})`);
  }
  return { output, tape: tapeFromLog((recorder as RecordingOracle).log) };
}

/** Proving mode over a tape alone: every word consumed, every read verified. */
export function proveTape(tape: Uint32Array, profile: Profile, blobBaseFee: bigint = DEFAULT_BLOB_BASE_FEE): BlockOutput {
  if (profile.name !== 'zksync') throw new ProvingError('NOT_PROVABLE', -1, `the ${profile.name} profile has no public input; only zksync blocks are proven`);
  const oracle = new TapeOracle(tape, { blobBaseFee });
  const out = runBlock(oracle, profile); // a tape oracle always proves: the output has its public input
  oracle.finish();
  return out;
}

/**
 * Builds block n's tape from `before`, proves it, and compares the public input with the stored
 * one (when the tree stage stored one) and with the forward run's.
 */
export function proveStoredBlock(reader: BlockReader, n: number, profile: Profile, before: FlatTree, stored: Uint8Array | null): ProvingVerdict & { tape: Uint32Array; output: BlockOutput | null } {
  const { output: forward, tape } = buildTape(reader, n, profile, before);
  const expected = stored ?? forward.publicInput!.hash;
  const base = { block: n, storedPublicInput: stored === null ? null : bytesToHex(stored), tapeWords: tape.length, tape };
  let proved: BlockOutput;
  try {
    proved = proveTape(tape, profile, reader.block(n)!.blobBaseFee);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { ...base, ok: false, publicInput: '', outputDigest: '', output: null, detail: `the proving run failed: ${why}` };
  }
  const pi = proved.publicInput!.hash;
  const digest = bytesToHex(outputDigest(proved));
  const common = { ...base, publicInput: bytesToHex(pi), outputDigest: digest, output: proved };
  if (!bytesEqual(pi, expected)) {
    return { ...common, ok: false, detail: `public input ${bytesToHex(pi)} differs from the ${stored === null ? "forward run's" : 'stored'} ${bytesToHex(expected)}` };
  }
  if (!bytesEqual(pi, forward.publicInput!.hash)) {
    return { ...common, ok: false, detail: `the forward run over the same tree gave public input ${bytesToHex(forward.publicInput!.hash)}` };
  }
  if (digest !== bytesToHex(reader.block(n)!.outputDigest)) {
    return { ...common, ok: false, detail: `output digest ${digest} differs from the stored ${bytesToHex(reader.block(n)!.outputDigest)}` };
  }
  return { ...common, ok: true };
}

/** Genesis ran nothing, and only the zksync profile has a public input. */
export function checkProvable(reader: BlockReader, n: number, profile: Profile): void {
  const b = reader.block(n);
  if (b === null) throw new ChainError('BLOCK_NOT_FOUND', `no block ${n}`);
  if (b.profile === 'genesis') throw new ProvingError('NOT_PROVABLE', n, 'the genesis block ran nothing: there is nothing to prove');
  if (profile.name !== 'zksync') throw new ProvingError('NOT_PROVABLE', n, `the ${profile.name} profile has no public input; only zksync blocks are proven`);
}

const bigints = (_k: string, v: unknown): unknown => (typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? bytesToHex(v) : v);
