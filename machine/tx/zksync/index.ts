// ZKsync transactions: the ABI-encoded body (codec), its rules (structure), hashes, signatures and
// conversions from what users and L1 send. See types.ts for the shape and the error codes.
export * from './types.ts';
export { decodeZkTransaction, encodeZkTransaction } from './codec.ts';
export { checkZkStructure, validateZkTransaction } from './structure.ts';
export { decodeAccessList, encodeAccessList } from './access-list.ts';
export * from './hash.ts';
export * from './signature.ts';
export * from './convert.ts';
export * from './eip712.ts';
