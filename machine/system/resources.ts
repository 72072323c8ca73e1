// Two-dimensional resources (reference §7.1): EE gas kept as ergs, and the native resource.

export const ERGS_PER_GAS = 256;
/** Native is effectively unlimited where a profile does not price it. */
export const UNLIMITED_NATIVE = Number.MAX_SAFE_INTEGER;
/**
 * Ergs are JS numbers. EVM charges are whole gas, so ergs stay multiples of 256, and a double holds
 * every multiple of 256 below 2^61 exactly. A transaction's gas beyond this stays in reserve with
 * the bootloader and comes back unused: only GAS and the 63/64 split of frames above it could
 * tell, and no frame can spend 2^52 gas.
 */
export const MAX_FRAME_GAS = 2n ** 52n;

export function gasToErgs(gas: number): number {
  return gas * ERGS_PER_GAS;
}

export function ergsToGas(ergs: number): number {
  return Math.floor(ergs / ERGS_PER_GAS);
}
