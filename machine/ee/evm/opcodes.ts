// The instruction table: per opcode its static gas, native cost and stack shape. Dynamic costs
// are charged by the instruction itself.
import * as G from './gas.ts';

export const enum Op {
  STOP = 0x00, ADD = 0x01, MUL = 0x02, SUB = 0x03, DIV = 0x04, SDIV = 0x05, MOD = 0x06, SMOD = 0x07,
  ADDMOD = 0x08, MULMOD = 0x09, EXP = 0x0a, SIGNEXTEND = 0x0b,
  LT = 0x10, GT = 0x11, SLT = 0x12, SGT = 0x13, EQ = 0x14, ISZERO = 0x15, AND = 0x16, OR = 0x17,
  XOR = 0x18, NOT = 0x19, BYTE = 0x1a, SHL = 0x1b, SHR = 0x1c, SAR = 0x1d,
  KECCAK256 = 0x20,
  ADDRESS = 0x30, BALANCE = 0x31, ORIGIN = 0x32, CALLER = 0x33, CALLVALUE = 0x34, CALLDATALOAD = 0x35,
  CALLDATASIZE = 0x36, CALLDATACOPY = 0x37, CODESIZE = 0x38, CODECOPY = 0x39, GASPRICE = 0x3a,
  EXTCODESIZE = 0x3b, EXTCODECOPY = 0x3c, RETURNDATASIZE = 0x3d, RETURNDATACOPY = 0x3e, EXTCODEHASH = 0x3f,
  BLOCKHASH = 0x40, COINBASE = 0x41, TIMESTAMP = 0x42, NUMBER = 0x43, PREVRANDAO = 0x44, GASLIMIT = 0x45,
  CHAINID = 0x46, SELFBALANCE = 0x47, BASEFEE = 0x48, BLOBHASH = 0x49, BLOBBASEFEE = 0x4a,
  POP = 0x50, MLOAD = 0x51, MSTORE = 0x52, MSTORE8 = 0x53, SLOAD = 0x54, SSTORE = 0x55, JUMP = 0x56,
  JUMPI = 0x57, PC = 0x58, MSIZE = 0x59, GAS = 0x5a, JUMPDEST = 0x5b, TLOAD = 0x5c, TSTORE = 0x5d,
  MCOPY = 0x5e, PUSH0 = 0x5f, PUSH1 = 0x60, PUSH32 = 0x7f, DUP1 = 0x80, DUP16 = 0x8f, SWAP1 = 0x90,
  SWAP16 = 0x9f, LOG0 = 0xa0, LOG4 = 0xa4,
  CREATE = 0xf0, CALL = 0xf1, CALLCODE = 0xf2, RETURN = 0xf3, DELEGATECALL = 0xf4, CREATE2 = 0xf5,
  STATICCALL = 0xfa, REVERT = 0xfd, INVALID = 0xfe, SELFDESTRUCT = 0xff,
}

/** Static gas per opcode; undefined opcodes are marked by STACK_MIN = 255. */
export const STATIC_GAS = new Uint32Array(256);
/** Items the opcode needs on the stack. */
export const STACK_MIN = new Uint16Array(256).fill(255);
/** Highest stack height at which the opcode can still push its result. */
export const STACK_MAX = new Uint16Array(256);
/**
 * Native resource per opcode (reference §7.3 gives the shape: a flat price per opcode plus a
 * step cost; these figures are ours, proportional to the work each instruction does here).
 */
export const NATIVE = new Uint32Array(256);
export const STEP_NATIVE = 20;
/** Net change of the stack height. */
export const STACK_DELTA = new Int8Array(256);
/**
 * 1 where an instruction is the last of its basic block: it leaves the straight line (jumps,
 * halts, calls), is undefined, or must see the exact gas left (GAS, SSTORE's sentry, the 63/64
 * rule), which the block's up-front charge would understate.
 */
export const ENDS_BLOCK = new Uint8Array(256).fill(1);

function def(op: number, gas: number, pops: number, pushes: number, native: number): void {
  STATIC_GAS[op] = gas;
  STACK_MIN[op] = pops;
  STACK_MAX[op] = G.STACK_LIMIT - Math.max(0, pushes - pops);
  NATIVE[op] = native + STEP_NATIVE;
  STACK_DELTA[op] = pushes - pops;
  ENDS_BLOCK[op] = 0;
}

def(0x00, 0, 0, 0, 0);
def(0x01, G.G_VERYLOW, 2, 1, 140);
def(0x02, G.G_LOW, 2, 1, 400);
def(0x03, G.G_VERYLOW, 2, 1, 140);
for (const op of [0x04, 0x05, 0x06, 0x07]) def(op, G.G_LOW, 2, 1, 1500);
def(0x08, G.G_MID, 3, 1, 2000);
def(0x09, G.G_MID, 3, 1, 2300);
def(0x0a, G.G_EXP, 2, 1, 700);
def(0x0b, G.G_LOW, 2, 1, 300);
for (let op = 0x10; op <= 0x14; op++) def(op, G.G_VERYLOW, 2, 1, 140);
def(0x15, G.G_VERYLOW, 1, 1, 100);
for (let op = 0x16; op <= 0x18; op++) def(op, G.G_VERYLOW, 2, 1, 140);
def(0x19, G.G_VERYLOW, 1, 1, 100);
for (let op = 0x1a; op <= 0x1d; op++) def(op, G.G_VERYLOW, 2, 1, 300);
def(0x20, G.G_KECCAK, 2, 1, 2500);
def(0x30, G.G_BASE, 0, 1, 60);
def(0x31, 0, 1, 1, 500);
for (const op of [0x32, 0x33, 0x34]) def(op, G.G_BASE, 0, 1, 60);
def(0x35, G.G_VERYLOW, 1, 1, 200);
def(0x36, G.G_BASE, 0, 1, 60);
def(0x37, G.G_VERYLOW, 3, 0, 80);
def(0x38, G.G_BASE, 0, 1, 60);
def(0x39, G.G_VERYLOW, 3, 0, 80);
def(0x3a, G.G_BASE, 0, 1, 60);
def(0x3b, 0, 1, 1, 500);
def(0x3c, 0, 4, 0, 580);
def(0x3d, G.G_BASE, 0, 1, 60);
def(0x3e, G.G_VERYLOW, 3, 0, 80);
def(0x3f, 0, 1, 1, 500);
def(0x40, G.G_BLOCKHASH, 1, 1, 200);
for (const op of [0x41, 0x42, 0x43, 0x44, 0x45, 0x46]) def(op, G.G_BASE, 0, 1, 60);
def(0x47, G.G_LOW, 0, 1, 200);
def(0x48, G.G_BASE, 0, 1, 60);
def(0x49, G.G_BLOBHASH, 1, 1, 100);
def(0x4a, G.G_BASE, 0, 1, 60);
def(0x50, G.G_BASE, 1, 0, 20);
def(0x51, G.G_VERYLOW, 1, 1, 100);
def(0x52, G.G_VERYLOW, 2, 0, 100);
def(0x53, G.G_VERYLOW, 2, 0, 100);
def(0x54, 0, 1, 1, 100);
def(0x55, 0, 2, 0, 100);
def(0x56, G.G_MID, 1, 0, 100);
def(0x57, G.G_HIGH, 2, 0, 100);
def(0x58, G.G_BASE, 0, 1, 60);
def(0x59, G.G_BASE, 0, 1, 60);
def(0x5a, G.G_BASE, 0, 1, 60);
def(0x5b, G.G_JUMPDEST, 0, 0, 0);
def(0x5c, G.G_WARM_ACCESS, 1, 1, 300);
def(0x5d, G.G_WARM_ACCESS, 2, 0, 300);
def(0x5e, G.G_VERYLOW, 3, 0, 80);
def(0x5f, G.G_BASE, 0, 1, 50);
for (let n = 1; n <= 32; n++) def(0x5f + n, G.G_VERYLOW, 0, 1, 50 + 8 * n);
for (let n = 1; n <= 16; n++) def(0x7f + n, G.G_VERYLOW, n, n + 1, 60);
for (let n = 1; n <= 16; n++) def(0x8f + n, G.G_VERYLOW, n + 1, n + 1, 90);
for (let n = 0; n <= 4; n++) def(0xa0 + n, G.G_LOG + n * G.G_LOG_TOPIC, n + 2, 0, 500);
def(0xf0, G.G_CREATE, 3, 1, 25000);
def(0xf1, 0, 7, 1, 1500);
def(0xf2, 0, 7, 1, 1500);
def(0xf3, 0, 2, 0, 60);
def(0xf4, 0, 6, 1, 1500);
def(0xf5, G.G_CREATE, 4, 1, 25000);
def(0xfa, 0, 6, 1, 1500);
def(0xfd, 0, 2, 0, 60);
def(0xff, G.G_SELFDESTRUCT, 1, 0, 1500);
// 0xfe INVALID and every other byte stay undefined (STACK_MIN 255): an exceptional halt.
for (const op of [0x00, 0x56, 0x57, 0x5a, 0x55, 0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xfa, 0xfd, 0xff]) ENDS_BLOCK[op] = 1;
