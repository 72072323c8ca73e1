// Two-dimensional resources (reference §7.1): EE gas kept as ergs, and the native resource.

export const ERGS_PER_GAS = 256;
/** Native is effectively unlimited where a profile does not price it. */
export const UNLIMITED_NATIVE = Number.MAX_SAFE_INTEGER;
/**
 * Ergs are JS numbers. EVM charges are whole gas, so ergs stay multiples of 256, and a double holds
 * every multiple of 256 below 2^61 exactly: gas limits up to 2^53 are exact.
 */
export const MAX_ERGS_SAFE_GAS = Number.MAX_SAFE_INTEGER;

export function gasToErgs(gas: number): number {
  return gas * ERGS_PER_GAS;
}

export function ergsToGas(ergs: number): number {
  return Math.floor(ergs / ERGS_PER_GAS);
}
