// The ZKsync system contracts as hooks (reference §6): registered on top of the precompiles for
// the zksync profile.
import { precompileHooks, type HookTable } from '../table.ts';
import { CONTRACT_DEPLOYER_ADDRESS, L1_MESSENGER_ADDRESS, L2_BASE_TOKEN_ADDRESS } from './addresses.ts';
import { contractDeployerHook } from './contract-deployer.ts';
import { l1MessengerHook } from './l1-messenger.ts';
import { l2BaseTokenHook } from './base-token.ts';

export * from './addresses.ts';
export { abiEncodeBytes, keccakNative, sendToL1Inner } from './l1-messenger.ts';
export { setBytecodeDetailsCalldata } from './contract-deployer.ts';
export { withdrawalReceiver } from './base-token.ts';

export function registerSystemHooks(t: HookTable): HookTable {
  t.register(L1_MESSENGER_ADDRESS, l1MessengerHook);
  t.register(L2_BASE_TOKEN_ADDRESS, l2BaseTokenHook);
  t.register(CONTRACT_DEPLOYER_ADDRESS, contractDeployerHook);
  return t;
}

/** Precompiles 0x01–0x0a plus the system contracts. */
export function zksyncHooks(): HookTable {
  return registerSystemHooks(precompileHooks());
}
