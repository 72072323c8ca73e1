// Native resource prices of system work (reference §7.3, flat storage model cost constants):
// what proving the access costs, beside the EVM's gas.

export const BLAKE_DELEGATION = 16;
export const WARM_STORAGE_READ = 4000;
export const WARM_STORAGE_WRITE_EXTRA = 1000;
export const COLD_EXISTING_STORAGE_READ = 100000 + BLAKE_DELEGATION * 1320;
export const COLD_NEW_STORAGE_READ = 2 * COLD_EXISTING_STORAGE_READ;
export const COLD_EXISTING_STORAGE_WRITE_EXTRA = 40000 + BLAKE_DELEGATION * 660;
export const COLD_NEW_STORAGE_WRITE_EXTRA = 100000 + BLAKE_DELEGATION * 1300;
export const ACCOUNT_ACCESS = 4000;
export const ACCOUNT_WRITE_EXTRA = 1000;
export const TRANSIENT_ACCESS = 4000;
export const EVENT_BASE = 6000;
export const EVENT_PER_TOPIC = 200;
export const EVENT_PER_BYTE = 2;
/** keccak: per 136-byte block (at least one) plus a fixed part. */
export const KECCAK_PER_BLOCK = 17500;
export const KECCAK_BASE = 2500;
