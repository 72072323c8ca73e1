// Re-executing stored blocks for what the store does not keep: a block's pubdata (the machine
// computes it, the store does not hold it) and the state between two transactions of a block
// (the store holds the state after each block only).
//
// - rerun(n): block n from its oracle log alone, its output digest checked against the stored one.
// - prefix(n, k): the first k transactions of block n over the state as of block n-1 (the same
//   forward oracle the sequencer used). Its state diff is the state after transaction k-1
//   relative to the start of the block, exactly as the machine keeps it (journal, rollbacks,
//   fees, refunds); nothing is inferred from the IO events.
//
// Results are cached (a few blocks): a stored block's re-execution never changes.
import { runBlock } from '../../../machine/bootloader/machine.ts';
import type { BlockOutput, TxReceipt } from '../../../machine/bootloader/types.ts';
import { bytesEqual, bytesToHex } from '../../../machine/common/bytes.ts';
import { ReplayingOracle } from '../../../machine/oracle/replaying.ts';
import type { Chain } from '../../../storage/chain.ts';
import { outputDigest } from '../../../storage/digest.ts';
import { ChainError, CorruptBlockData } from '../../../storage/errors.ts';
import { DbOracle } from '../../../storage/oracle.ts';
import type { Profile } from '../../../machine/bootloader/profile.ts';
import { ApiError } from '../errors.ts';

/** A re-execution that does not give what the store says the block gave. */
export class ReExecutionMismatch extends Error {
  override name = 'ReExecutionMismatch';
  readonly code = 'REEXECUTION_MISMATCH';
}

class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly size: number) {}
  get(k: string): V | undefined {
    const v = this.map.get(k);
    if (v !== undefined) {
      this.map.delete(k);
      this.map.set(k, v);
    }
    return v;
  }
  set(k: string, v: V): void {
    this.map.delete(k);
    this.map.set(k, v);
    if (this.map.size > this.size) this.map.delete(this.map.keys().next().value!);
  }
}

export class ReExecutions {
  private readonly full = new Lru<BlockOutput>(8);
  private readonly prefixes = new Lru<BlockOutput>(16);

  constructor(private readonly chain: Chain) {}

  private profileOf(n: number): Profile {
    if (this.chain.reader.block(n) === null) throw new ChainError('BLOCK_NOT_FOUND', `block ${n} is not stored (head is ${this.chain.head()})`);
    return this.chain.profileOf(n);
  }

  /** Block n run again from its oracle log; its output digest must be the stored one. */
  rerun(n: number): BlockOutput {
    const key = String(n);
    const hit = this.full.get(key);
    if (hit !== undefined) return hit;
    const profile = this.profileOf(n);
    const b = this.chain.reader.block(n)!;
    const logs = this.chain.reader.blockLogs(n);
    if (logs === null) throw new CorruptBlockData(n, 'oracle_log', 'MISSING', -1, -1, 'the block has no block_logs row');
    const oracle = new ReplayingOracle(logs.oracleLog, { blobBaseFee: b.blobBaseFee });
    const out = runBlock(oracle, profile);
    oracle.finish();
    const digest = outputDigest(out);
    if (!bytesEqual(digest, b.outputDigest)) {
      throw new ReExecutionMismatch(`block ${n} re-executed to output digest ${bytesToHex(digest)}, the stored one is ${bytesToHex(b.outputDigest)}`);
    }
    this.full.set(key, out);
    return out;
  }

  /**
   * The first k transactions of block n over the state as of block n-1. The last one's result
   * must be the stored one (status and gas), or the run is refused as a mismatch.
   */
  prefix(n: number, k: number): BlockOutput {
    const key = `${n}:${k}`;
    const hit = this.prefixes.get(key);
    if (hit !== undefined) return hit;
    const profile = this.profileOf(n);
    const meta = this.chain.reader.blockContext(n);
    if (meta === null) throw new CorruptBlockData(n, 'oracle_log', 'MISSING', -1, -1, 'the block has no block_logs row');
    const stored = this.chain.reader.transactions(n);
    if (k < 0 || k > stored.length) throw new ApiError('BAD_REQUEST', 'TX_INDEX_OUT_OF_RANGE', `block ${n} has ${stored.length} transactions, not ${k}`);
    const raws = stored.slice(0, k).map((t) => t.raw);
    const out = runBlock(new DbOracle(this.chain.state, n - 1, meta, raws), profile);
    if (k > 0) {
      const want = stored[k - 1].result;
      const got = out.results[k - 1];
      if (!sameResult(want, got)) {
        throw new ReExecutionMismatch(`block ${n} transaction ${k - 1} re-executed to ${describe(got)}, the stored result is ${describe(want)}`);
      }
    }
    this.prefixes.set(key, out);
    return out;
  }
}

type Result = BlockOutput['results'][number];

function sameResult(a: Result, b: Result | undefined): boolean {
  if (b === undefined || a.kind !== b.kind) return false;
  if (a.kind === 'rejected') return b.kind === 'rejected' && a.rejection.error === b.rejection.error;
  const x: TxReceipt = a.receipt;
  const y = (b as Extract<Result, { kind: 'executed' }>).receipt;
  return x.success === y.success && x.gasUsed === y.gasUsed && x.logs.length === y.logs.length && bytesEqual(x.hash, y.hash);
}

function describe(r: Result | undefined): string {
  if (r === undefined) return 'nothing';
  if (r.kind === 'rejected') return `rejected ${r.rejection.error}`;
  return `${r.receipt.success ? 'success' : 'reverted'} with ${r.receipt.gasUsed} gas`;
}
