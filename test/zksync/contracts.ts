// Hand-assembled contracts for the zksync tests (no Solidity): an account-abstraction account, a
// paymaster, a call forwarder, a reverter and a storage burner. Account methods read the
// transaction from their calldata: selector(4) ‖ txHash ‖ signedHash ‖ 0x60 ‖ body, so body word
// k sits at 100 + 32·k (from 132, to 164, gas_limit 196, max_fee 260, value 388, data offset 548,
// paymaster_input offset 644).
import { assemble, label, ref } from './asm.ts';

const SELECTOR = ['PUSH0', 'CALLDATALOAD', 0xe0, 'SHR'] as const;
/** Pays gas_limit × max_fee_per_gas to the caller (0x8001), or reverts. */
const PAY_FEE = ['PUSH0', 'PUSH0', 'PUSH0', 'PUSH0', 260, 'CALLDATALOAD', 196, 'CALLDATALOAD', 'MUL', 'CALLER', 'GAS', 'CALL', 'ISZERO', ref('fail'), 'JUMPI'] as const;
const BUBBLE = ['RETURNDATASIZE', 'PUSH0', 'PUSH0', 'RETURNDATACOPY', 'RETURNDATASIZE', 'PUSH0', 'REVERT'] as const;

/** Account modes (storage slot 0). */
export const ACCOUNT_OK = 0n;
export const ACCOUNT_VALIDATE_REVERTS = 1n;
export const ACCOUNT_BAD_MAGIC = 2n;
export const ACCOUNT_PAYS_NOTHING = 3n;

/**
 * validateTransaction returns the magic; payForTransaction pays the maximum fee;
 * executeTransaction calls `to` with `value` and `data` from the account; prepareForPaymaster does
 * nothing; anything else (plain value transfers, refunds) is accepted.
 */
export const ACCOUNT = assemble(
  ...SELECTOR,
  'DUP1', 0x202bcce7, 'EQ', ref('validate'), 'JUMPI',
  'DUP1', 0xe2f318e3, 'EQ', ref('pay'), 'JUMPI',
  'DUP1', 0xdf9c1589, 'EQ', ref('execute'), 'JUMPI',
  'STOP',
  label('validate'),
  'PUSH0', 'SLOAD', 'DUP1', 1, 'EQ', ref('fail'), 'JUMPI',
  2, 'EQ', ref('badmagic'), 'JUMPI',
  0x202bcce7, 0xe0, 'SHL', 'PUSH0', 'MSTORE', 32, 'PUSH0', 'RETURN',
  label('badmagic'),
  0xdeadbeef, 0xe0, 'SHL', 'PUSH0', 'MSTORE', 32, 'PUSH0', 'RETURN',
  label('fail'),
  'PUSH0', 'PUSH0', 'REVERT',
  label('pay'),
  'PUSH0', 'SLOAD', 3, 'EQ', ref('done'), 'JUMPI',
  ...PAY_FEE,
  label('done'),
  'STOP',
  label('execute'),
  548, 'CALLDATALOAD', 100, 'ADD',
  'DUP1', 'CALLDATALOAD',
  'DUP1', 'DUP3', 32, 'ADD', 'PUSH0', 'CALLDATACOPY',
  'PUSH0', 'PUSH0', 'DUP3', 'PUSH0', 388, 'CALLDATALOAD', 164, 'CALLDATALOAD', 'GAS', 'CALL',
  ref('done'), 'JUMPI',
  ...BUBBLE,
);

/** Paymaster modes (storage slot 0). */
export const PAYMASTER_OK = 0n;
export const PAYMASTER_SHORT_RETURN = 1n;
export const PAYMASTER_BAD_MAGIC = 2n;
export const PAYMASTER_BAD_OFFSET = 3n;
export const PAYMASTER_CONTEXT_TOO_LONG = 4n;
/** Approval-based flow: also pulls minAllowance of the token from the sender (transferFrom). */
export const PAYMASTER_APPROVAL = 5n;

const RETURN_3 = (magic: number, offset: number, len: number) =>
  [magic, 0xe0, 'SHL', 'PUSH0', 'MSTORE', offset, 32, 'MSTORE', len, 64, 'MSTORE', 96, 'PUSH0', 'RETURN'] as const;

/** validateAndPayForPaymasterTransaction pays the maximum fee and returns (magic, context ""). */
export const PAYMASTER = assemble(
  ...SELECTOR,
  0x038a24bc, 'EQ', ref('vp'), 'JUMPI',
  'STOP',
  label('vp'),
  'PUSH0', 'SLOAD',
  'DUP1', 5, 'EQ', ref('approval'), 'JUMPI',
  label('paid'),
  ...PAY_FEE,
  'DUP1', 1, 'EQ', ref('short'), 'JUMPI',
  'DUP1', 2, 'EQ', ref('badmagic'), 'JUMPI',
  'DUP1', 3, 'EQ', ref('badoffset'), 'JUMPI',
  'DUP1', 4, 'EQ', ref('toolong'), 'JUMPI',
  ...RETURN_3(0x038a24bc, 0x40, 0),
  label('short'),
  0x038a24bc, 0xe0, 'SHL', 'PUSH0', 'MSTORE', 32, 'PUSH0', 'RETURN',
  label('badmagic'),
  ...RETURN_3(0x12345678, 0x40, 0),
  label('badoffset'),
  ...RETURN_3(0x038a24bc, 0x1000, 0),
  label('toolong'),
  ...RETURN_3(0x038a24bc, 0x40, 2000),
  label('fail'),
  'PUSH0', 'PUSH0', 'REVERT',
  label('approval'),
  0x23b872dd, 0xe0, 'SHL', 0x100, 'MSTORE',
  132, 'CALLDATALOAD', 0x104, 'MSTORE',
  'ADDRESS', 0x124, 'MSTORE',
  644, 'CALLDATALOAD', 168, 'ADD', 'CALLDATALOAD', 0x144, 'MSTORE',
  32, 'PUSH0', 100, 0x100, 'PUSH0', 644, 'CALLDATALOAD', 136, 'ADD', 'CALLDATALOAD', 'GAS', 'CALL',
  'ISZERO', ref('fail'), 'JUMPI',
  ref('paid'), 'JUMP',
);

/** Forwards its calldata and value to `target`; returns 32 bytes of its output, or bubbles a revert. */
export function forwarder(target: bigint, revertAfter = false): Uint8Array {
  return assemble(
    'CALLDATASIZE', 'PUSH0', 'PUSH0', 'CALLDATACOPY',
    32, 'PUSH0', 'CALLDATASIZE', 'PUSH0', 'CALLVALUE', target, 'GAS', 'CALL',
    'ISZERO', ref('fail'), 'JUMPI',
    ...(revertAfter ? ['PUSH0', 'PUSH0', 'REVERT'] : [32, 'PUSH0', 'RETURN']),
    label('fail'),
    ...BUBBLE,
  );
}

/** Writes slot 0 then reverts with the word 0xbeef. */
export const REVERTER = assemble(1, 'PUSH0', 'SSTORE', 0xbeef, 'PUSH0', 'MSTORE', 32, 'PUSH0', 'REVERT');

/** Writes slots 1, 2, 3, … forever: stops on gas or on native, whichever runs out first. */
export const BURNER = assemble(1, label('loop'), 'DUP1', 'DUP1', 'SSTORE', 1, 'ADD', ref('loop'), 'JUMP');
