// The contract deployer at 0x8006 (reference §6, `contract_deployer.rs`):
// `setBytecodeDetailsEVM(address,bytes32,uint32,bytes32)` installs EVM code by reference (its
// blake2s hash, length and keccak hash); only the complex upgrader 0x800f may call it, in practice
// from an upgrade transaction. The bytes are published out of band (§4.9).
import { MAX_CODE_SIZE } from '../../ee/evm/gas.ts';
import { bigIntToBytes } from '../../common/bytes.ts';
import * as N from '../../system/native.ts';
import type { Hook } from '../table.ts';
import { COMPLEX_UPGRADER_ADDRESS, SET_BYTECODE_DETAILS_EVM_SELECTOR } from './addresses.ts';
import { addressPaddingClean, HookMeter, isDelegated, selectorOf, word } from './common.ts';

export const contractDeployerHook: Hook = (input, gasAvailable, req, sys) => {
  const m = new HookMeter(gasAvailable);
  if (isDelegated(req) || req.isStatic) return m.revert();
  if (selectorOf(input) !== SET_BYTECODE_DETAILS_EVM_SELECTOR || req.caller !== COMPLEX_UPGRADER_ADDRESS) return m.revert();
  if (input.length < 4 + 128 || !addressPaddingClean(input, 4)) return m.revert();
  const address = word(input, 4);
  const bytecodeHash = input.slice(36, 68);
  const len = word(input, 68);
  const observableHash = input.slice(100, 132);
  if (len > BigInt(MAX_CODE_SIZE)) return m.revert();
  m.native += N.ACCOUNT_ACCESS + N.ACCOUNT_WRITE_EXTRA;
  const io = sys.io;
  io.setBytecodeDetails(io.account(address), { bytecodeHash, bytecodeLen: Number(len), observableHash, observableLen: Number(len) });
  return m.ok(new Uint8Array(0));
};

/** Calldata of setBytecodeDetailsEVM (for tools and tests). */
export function setBytecodeDetailsCalldata(address: bigint, bytecodeHash: Uint8Array, len: number, observableHash: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 128);
  out.set(bigIntToBytes(BigInt(SET_BYTECODE_DETAILS_EVM_SELECTOR), 4), 0);
  out.set(bigIntToBytes(address, 32), 4);
  out.set(bytecodeHash, 36);
  out.set(bigIntToBytes(BigInt(len), 32), 68);
  out.set(observableHash, 100);
  return out;
}
