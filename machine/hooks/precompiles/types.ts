export interface PrecompileOutcome {
  ok: boolean;        // false = failure: the caller treats all gasAvailable as consumed, output empty
  gasUsed: number;    // gas units (not ergs); on failure set it to gasAvailable
  native: number;     // native resource cost (see below)
  output: Uint8Array; // empty on failure
}
/** gasAvailable is in gas units and always <= 2^53. Must never throw on any input. */
export type PrecompileFn = (input: Uint8Array, gasAvailable: number) => PrecompileOutcome;
