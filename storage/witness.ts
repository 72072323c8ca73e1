// Witnesses and proving replay of stored blocks (design.md "witness regeneration", "proving
// mode"). The tape of block n is what a forward run of n asks and is answered, with the proving
// queries answered from the tree as of block n-1. A proving replay is one proving run that reads
// that tape while building it from the stored log and the tree (machine/oracle/tape-builder.ts);
// a witness is only handed out after a second proving run over the finished tape alone agreed.
import { runBlock } from '../machine/bootloader/machine.ts';
import type { Profile } from '../machine/bootloader/profile.ts';
import type { BlockOutput } from '../machine/bootloader/types.ts';
import { bytesEqual, bytesToHex } from '../machine/common/bytes.ts';
import { DEFAULT_BLOB_BASE_FEE, TapeError } from '../machine/oracle/codec.ts';
import { ReplayDivergence } from '../machine/oracle/replaying.ts';
import { TapeOracle } from '../machine/oracle/tape.ts';
import { TapeBuildingOracle } from '../machine/oracle/tape-builder.ts';
import type { FlatTree } from '../machine/tree/flat/tree.ts';
import { treeProofSource } from '../machine/tree/flat/source.ts';
import { outputDigest } from './digest.ts';
import { ChainError, CorruptBlockData, ProvingError } from './errors.ts';
import type { BlockReader, StoredBlock } from './records.ts';

export interface TapeRun {
  /** The proving run's output: commitment after, public input, receipts and state diff. */
  output: BlockOutput;
  tape: Uint32Array;
}

/** Verdict of a proving replay: a proving run over the block's tape, compared with the store. */
export interface ProvingVerdict {
  block: number;
  /** The run verified, and its public input and output digest equal the stored ones. */
  ok: boolean;
  publicInput: string;
  /** null when the tree stage has not stored one. */
  storedPublicInput: string | null;
  /** keccak of the receipts, logs, L2→L1 outputs and state diff the proving run computed. */
  outputDigest: string;
  tapeWords: number;
  detail?: string;
}

/**
 * Block n proven from the store: a proving run reading its tape as the tape is built from the
 * stored forward log and `before` (the tree as of block n-1, left unchanged). Throws
 * ProvingError when the run leaves the stored log, CorruptBlockData for a bad log; anything the
 * proving run itself refuses (a proof that does not verify, …) propagates as thrown.
 */
export function provingRun(reader: BlockReader, n: number, profile: Profile, before: FlatTree): TapeRun {
  const b = checkProvable(reader, n, profile);
  const log = reader.oracleLog(n);
  if (log === null) throw new CorruptBlockData(n, 'oracle_log', 'MISSING', -1, -1, 'the block has no block_logs row');
  const oracle = new TapeBuildingOracle(log, before.commitment(), treeProofSource(before), { blobBaseFee: b.blobBaseFee });
  try {
    const output = runBlock(oracle, profile);
    oracle.finish();
    return { output, tape: oracle.tape };
  } catch (e) {
    if (e instanceof ReplayDivergence) throw new ProvingError('REPLAY_DIVERGED', n, `the proving run left the stored log: ${e.message}`);
    if (e instanceof TapeError) throw new CorruptBlockData(n, 'oracle_log', 'UNDECODABLE', -1, -1, `tape word ${e.position}: ${e.code}: ${e.detail}`);
    throw e;
  }
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
 * Proving replay of stored block n: the proving run, its public input compared with the stored
 * one (when the tree stage stored one) and its output digest with the stored digest.
 */
export function proveStoredBlock(reader: BlockReader, n: number, profile: Profile, before: FlatTree, stored: Uint8Array | null): ProvingVerdict & { tape: Uint32Array } {
  const base = { block: n, storedPublicInput: stored === null ? null : bytesToHex(stored) };
  let run: TapeRun;
  try {
    run = provingRun(reader, n, profile, before);
  } catch (e) {
    if (e instanceof ProvingError || e instanceof CorruptBlockData || e instanceof ChainError) throw e;
    const why = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return { ...base, ok: false, publicInput: '', outputDigest: '', tapeWords: 0, tape: new Uint32Array(0), detail: `the proving run failed: ${why}` };
  }
  const pi = run.output.publicInput!.hash;
  const digest = bytesToHex(outputDigest(run.output));
  const common = { ...base, publicInput: bytesToHex(pi), outputDigest: digest, tapeWords: run.tape.length, tape: run.tape };
  if (stored !== null && !bytesEqual(pi, stored)) return { ...common, ok: false, detail: `public input ${bytesToHex(pi)} differs from the stored ${bytesToHex(stored)}` };
  const storedDigest = bytesToHex(reader.block(n)!.outputDigest);
  if (digest !== storedDigest) return { ...common, ok: false, detail: `output digest ${digest} differs from the stored ${storedDigest}` };
  return { ...common, ok: true };
}

/**
 * A witness is served only once a second, independent proving run over the finished tape alone
 * (a TapeOracle) reproduced the first run's public input and output digest.
 */
export function checkWitness(n: number, v: ProvingVerdict & { tape: Uint32Array }, profile: Profile, blobBaseFee: bigint): Uint32Array {
  if (!v.ok) throw new ProvingError('PROOF_FAILED', n, v.detail ?? 'the proving run did not reproduce the stored results');
  let out: BlockOutput;
  try {
    out = proveTape(v.tape, profile, blobBaseFee);
  } catch (e) {
    throw new ProvingError('PROOF_FAILED', n, `the tape does not prove on its own: ${e instanceof Error ? e.message : String(e)}`);
  }
  const pi = bytesToHex(out.publicInput!.hash);
  if (pi !== v.publicInput) throw new ProvingError('PROOF_FAILED', n, `the tape alone proves public input ${pi}, the building run ${v.publicInput}`);
  const digest = bytesToHex(outputDigest(out));
  if (digest !== v.outputDigest) throw new ProvingError('PROOF_FAILED', n, `the tape alone gives output digest ${digest}, the building run ${v.outputDigest}`);
  return v.tape;
}

/** Genesis ran nothing, and only the zksync profile has a public input. */
export function checkProvable(reader: BlockReader, n: number, profile: Profile): StoredBlock {
  const b = reader.block(n);
  if (b === null) throw new ChainError('BLOCK_NOT_FOUND', `no block ${n}`);
  if (b.profile === 'genesis') throw new ProvingError('NOT_PROVABLE', n, 'the genesis block ran nothing: there is nothing to prove');
  if (profile.name !== 'zksync') throw new ProvingError('NOT_PROVABLE', n, `the ${profile.name} profile has no public input; only zksync blocks are proven`);
  return b;
}

