// Contracts that exercise the memory arena (machine/system/arena.ts): a deep call chain whose
// frames check their heaps, and a script that records the return data after every kind of spawn.
import { bytesToBigInt, hexToBytes } from '../../machine/common/bytes.ts';
import { keccak256 } from '../../machine/crypto/index.ts';
import type { PreStateAccount } from '../../machine/oracle/memory.ts';
import { assemble, label, ref, type AsmItem } from '../zksync/asm.ts';

export const KiB = 1024;
export const fill = (byte: number, n: number): Uint8Array => new Uint8Array(n).fill(byte);
export const word = (v: bigint): Uint8Array => hexToBytes('0x' + v.toString(16).padStart(64, '0'));
export const hashOf = (b: Uint8Array): bigint => bytesToBigInt(keccak256(b));
const wordOf = (byte: number) => bytesToBigInt(fill(byte, 32));

/** CALL(gas, to, 0, argsOff, argsLen, 0, 0), all gas unless `gas` says: leaves the success flag. */
export const call = (to: bigint, argsOff = 0, argsLen = 0, gas?: number): AsmItem[] => [0, 0, argsLen, argsOff, 0, to, gas ?? 'GAS', 'CALL'];
/** slot = RETURNDATASIZE, slot+1 = keccak(return data) read through RETURNDATACOPY. */
export const recordReturnData = (slot: number): AsmItem[] => [
  'RETURNDATASIZE', slot, 'SSTORE',
  'RETURNDATASIZE', 0, 0x100, 'RETURNDATACOPY',
  'RETURNDATASIZE', 0x100, 'KECCAK256', slot + 1, 'SSTORE',
];

const code = (c: Uint8Array, nonce = 0n): PreStateAccount => ({ balance: 0n, nonce, code: c, storage: new Map() });

// ---- a deep call chain ---------------------------------------------------------------------------

export const DEEP = 0xd0001n;
export const DRIVER = 0xd0002n;
export const DEPTH = 100;
/**
 * DEEP(n): z = MLOAD(32) (fresh memory: must be 0); mem[0] = n; MSTORE8(64 + 32n, 0xff), so the
 * heap of depth n is 96 + 32n bytes; if n > 0, CALL self with n - 1; then slot n = 1 iff z was 0
 * and mem[0] and the 0xff byte survived the callees.
 */
const DEEP_CODE = assemble(
  32, 'MLOAD', 0, 'CALLDATALOAD', 'DUP1', 0, 'MSTORE',
  0xff, 'DUP2', 32, 'MUL', 64, 'ADD', '0x53',
  'DUP1', 'ISZERO', ref('end'), 'JUMPI',
  1, 'DUP2', 'SUB', 32, 'MSTORE',
  0, 0, 32, 32, 0, 'ADDRESS', 'GAS', 'CALL', 'POP',
  label('end'),
  0, 'MLOAD', 'DUP2', 'EQ', 'DUP3', 'ISZERO', 'AND',
  'DUP2', 32, 'MUL', 64, 'ADD', 'MLOAD', 248, 'SHR', 0xff, 'EQ', 'AND',
  'SWAP1', 'SSTORE', 'STOP',
);
/** Runs the chain twice: the second one's heaps land on the first one's dirty space. */
const DRIVER_CODE = assemble(DEPTH, 0, 'MSTORE', ...call(DEEP, 0, 32), 'POP', ...call(DEEP, 0, 32), 'POP', 'STOP');

export function deepChain(): Map<bigint, PreStateAccount> {
  return new Map([
    [DEEP, code(DEEP_CODE)],
    [DRIVER, code(DRIVER_CODE)],
  ]);
}

// ---- return data after every kind of spawn -------------------------------------------------------

export const A = 0xa0001n;
export const NESTED = 0xa0002n;
const RETX = 0xa0003n;
const REVERTER = 0xa0004n;
const FAILER = 0xa0005n;
const NOBODY = 0xa00ffn;
export const IDENTITY = 4n;
/** Returns 64 bytes: 32 × 0xaa, then its calldata word. */
const RETX_CODE = assemble(wordOf(0xaa), 0, 'MSTORE', 0, 'CALLDATALOAD', 32, 'MSTORE', 64, 0, 'RETURN');
/** Calls RETX (calldata 0xbb), records what it sees in slots 0/1, then returns 40 bytes: 32 × 0xcc, 8 × 0xdd. */
const NESTED_CODE = assemble(
  0xbb, 0, 'MSTORE', ...call(RETX, 0, 32), 'POP', ...recordReturnData(0),
  wordOf(0xcc), 0x200, 'MSTORE', wordOf(0xdd), 0x220, 'MSTORE', 40, 0x200, 'RETURN',
);
/** Reverts with 48 bytes: 32 × 0xee, 16 × 0xef. */
const REVERTER_CODE = assemble(wordOf(0xee), 0, 'MSTORE', wordOf(0xef), 32, 'MSTORE', 48, 0, 'REVERT');
/** Initcode reverting with 16 × 0x11; initcode returning 10 bytes of runtime code (10 × 0x60). */
const INIT_REVERT = hexToBytes('0x6f' + '11'.repeat(16) + '5f52' + '6010' + '6010' + 'fd');
const INIT_DEPLOY = hexToBytes('0x69' + '60'.repeat(10) + '5f52' + '600a' + '6016' + 'f3');
/** Slots 10..32 of A: what each spawn left (see the expectations in test/bootloader/arena.test.ts). */
const A_CODE = assemble(
  ...call(NESTED), 10, 'SSTORE', ...recordReturnData(11), // after a call whose callee made a nested call
  1, 0x8000, 'MSTORE', ...recordReturnData(13), // the heap grew by 32 KiB: the return data are intact
  ...call(REVERTER), 15, 'SSTORE', ...recordReturnData(16), // after a revert
  ...call(NOBODY), 18, 'SSTORE', ...recordReturnData(19), // a call to no code: empty
  0, 0, 100, 0x7fc0, IDENTITY, 'GAS', 'STATICCALL', 21, 'SSTORE', ...recordReturnData(22), // a precompile's output
  bytesToBigInt(INIT_REVERT), 0x300, 'MSTORE', INIT_REVERT.length, 0x320 - INIT_REVERT.length, 0, '0xf0', 24, 'SSTORE', ...recordReturnData(25),
  bytesToBigInt(INIT_DEPLOY), 0x340, 'MSTORE', INIT_DEPLOY.length, 0x360 - INIT_DEPLOY.length, 0, '0xf0', 27, 'SSTORE', ...recordReturnData(28),
  ...call(RETX), 'POP', ...call(FAILER, 0, 0, 5000), 30, 'SSTORE', ...recordReturnData(31), // an exceptional halt empties them
  'STOP',
);

export function returnDataScript(): Map<bigint, PreStateAccount> {
  return new Map([
    [A, code(A_CODE, 1n)],
    [NESTED, code(NESTED_CODE)],
    [RETX, code(RETX_CODE)],
    [REVERTER, code(REVERTER_CODE)],
    [FAILER, code(assemble('INVALID'))],
  ]);
}

// ---- memory hogs ---------------------------------------------------------------------------------

/** MSTORE(calldata word, 1): a heap of that many bytes (+32). */
export const HOG = 0xb0001n;
export const HOG_CODE = assemble(1, 0, 'CALLDATALOAD', 'MSTORE', 'STOP');
