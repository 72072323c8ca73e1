// Jump-destination analysis, done once per code (keyed by its hash) as evmone's baseline does,
// with PUSH immediates decoded once.
import { bytesToBigInt } from '../../common/bytes.ts';

export interface CodeAnalysis {
  /** The code followed by 33 zero bytes: PUSH data and the implicit STOP never read out of range. */
  padded: Uint8Array;
  length: number;
  /** 1 where a JUMPDEST opcode (not PUSH data) sits. */
  jumpdests: Uint8Array;
  /** Decoded immediates of PUSH3..PUSH32, indexed by the opcode's position. */
  pushValues: bigint[];
}

export function analyze(code: Uint8Array): CodeAnalysis {
  const n = code.length;
  const padded = new Uint8Array(n + 33);
  padded.set(code);
  const jumpdests = new Uint8Array(n);
  const pushValues: bigint[] = [];
  for (let i = 0; i < n; i++) {
    const op = code[i];
    if (op === 0x5b) jumpdests[i] = 1;
    else if (op >= 0x60 && op <= 0x7f) {
      const len = op - 0x5f;
      if (len >= 3) pushValues[i] = bytesToBigInt(padded, i + 1, i + 1 + len);
      i += len;
    }
  }
  return { padded, length: n, jumpdests, pushValues };
}

const MAX_CACHED = 4096;
const byHash = new Map<string, CodeAnalysis>();

/** Cached analysis of deployed code; `hashKey` is its bytecode hash as a string. */
export function analyzeCached(hashKey: string, code: Uint8Array): CodeAnalysis {
  let a = byHash.get(hashKey);
  if (a === undefined) {
    // A plain bound keeps memory flat on long runs; the working set of a chain is far smaller.
    if (byHash.size >= MAX_CACHED) byHash.clear();
    a = analyze(code);
    byHash.set(hashKey, a);
  }
  return a;
}
