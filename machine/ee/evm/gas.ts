// Cancun gas schedule, in gas units. The interpreter charges ergs (gas × ERGS_PER_GAS).

export const G_ZERO = 0;
export const G_JUMPDEST = 1;
export const G_BASE = 2;
export const G_VERYLOW = 3;
export const G_LOW = 5;
export const G_MID = 8;
export const G_HIGH = 10;
export const G_EXP = 10;
export const G_EXP_BYTE = 50;
export const G_KECCAK = 30;
export const G_KECCAK_WORD = 6;
export const G_COPY_WORD = 3;
export const G_BLOCKHASH = 20;
export const G_WARM_ACCESS = 100;
export const G_COLD_SLOAD = 2100;
export const G_COLD_ACCOUNT_ACCESS = 2600;
export const G_SSTORE_SET = 20000;
export const G_SSTORE_RESET = 2900;
export const G_SSTORE_SENTRY = 2300;
export const R_SSTORE_CLEAR = 4800;
export const G_LOG = 375;
export const G_LOG_TOPIC = 375;
export const G_LOG_BYTE = 8;
export const G_CREATE = 32000;
export const G_INITCODE_WORD = 2;
export const G_CODE_DEPOSIT_BYTE = 200;
export const G_CALL_VALUE = 9000;
export const G_CALL_STIPEND = 2300;
export const G_NEW_ACCOUNT = 25000;
export const G_SELFDESTRUCT = 5000;
export const G_MEMORY = 3;
export const MEMORY_QUAD_DIVISOR = 512;
export const G_BLOBHASH = 3;

export const MAX_CODE_SIZE = 24576;
export const MAX_INITCODE_SIZE = 2 * MAX_CODE_SIZE;
export const STACK_LIMIT = 1024;
export const CALL_DEPTH_LIMIT = 1024;
/** EIP-3529: refunds are capped at gas used / 5. */
export const REFUND_QUOTIENT = 5;
