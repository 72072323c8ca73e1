// The flat Blake2s state tree of ZKsync OS (reference §4): hashing, the in-memory tree, the
// proving-side batch verification, and key derivation.
export * from './hash.ts';
export * from './tree.ts';
export * from './source.ts';
export * from './verify.ts';
export * from './keys.ts';
