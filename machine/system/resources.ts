// Two-dimensional resources (reference §7.1): EE gas kept as ergs, and the native resource.

export const ERGS_PER_GAS = 256;
/** Native is effectively unlimited where a profile does not price it. */
export const UNLIMITED_NATIVE = Number.MAX_SAFE_INTEGER;
/**
 * Ergs are JS numbers. EVM charges are whole gas, so ergs stay multiples of 256, and a double holds
 * every multiple of 256 below 2^61 exactly. Gas beyond MAX_FRAME_GAS (state tests use up to 2^63)
 * is a bigint reserve beside a frame's ergs: GAS and the 63/64 split see the exact total, and the
 * reserve refills the ergs when a charge drives them negative — off the hot path.
 */
export const MAX_FRAME_GAS = 2n ** 51n;
/** Ergs of MAX_FRAME_GAS: two such amounts still add up exactly. */
export const MAX_FRAME_ERGS = Number(MAX_FRAME_GAS) * ERGS_PER_GAS;

export function gasToErgs(gas: number): number {
  return gas * ERGS_PER_GAS;
}

export function ergsToGas(ergs: number): number {
  return Math.floor(ergs / ERGS_PER_GAS);
}

/** Splits a gas amount into exact ergs (at most MAX_FRAME_GAS of it) and the reserve beyond. */
export function splitGas(gas: bigint): [ergs: number, reserve: bigint] {
  if (gas <= MAX_FRAME_GAS) return [Number(gas) * ERGS_PER_GAS, 0n];
  return [Number(MAX_FRAME_GAS) * ERGS_PER_GAS, gas - MAX_FRAME_GAS];
}
