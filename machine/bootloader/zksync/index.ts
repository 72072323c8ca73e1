// The zksync chain profile: ZKsync OS transaction processing on the zkos machine.
export { ZksyncProfile } from './profile.ts';
export { zkBlockBodies, zkTxBody, type ZkBlockTx } from './build.ts';
export { blockHash, encodeHeader, encodeL2ToL1Log, l2ToL1LogHash, txRollingHash, EMPTY_OMMERS_HASH } from './header.ts';
export { accountCalldata } from './aa.ts';
export { L1DepositError } from './l1.ts';
export { accountDiffLength, slotPubdata, txPubdata, valueDiffLength } from './pubdata.ts';
export * from './constants.ts';
export type { ZkPrepared } from './common.ts';
