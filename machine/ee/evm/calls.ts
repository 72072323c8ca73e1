// CALL*, CREATE* and their completions: the EVM side of a spawn (reference §3.2, §3.3).
import { EMPTY_BYTES, writeBigInt, bytesToBigInt } from '../../common/bytes.ts';
import { rlpEncode } from '../../common/rlp.ts';
import { bigIntToMinimalBytes } from '../../common/bytes.ts';
import { keccak256 } from '../../crypto/index.ts';
import { ERGS_PER_GAS, splitGas } from '../../system/resources.ts';
import { isEmpty } from '../../system/io.ts';
import { CallModifier } from '../types.ts';
import * as G from './gas.ts';
import { IMPOSSIBLE, wordsErgs } from './memory.ts';
import { Op } from './opcodes.ts';
import { EvmFrameState } from './state.ts';

/** All but one 64th of the ergs left (EIP-150), computed in whole gas as the reference does. */
export function allButOne64th(ergs: number): number {
  return ergs - Math.floor(Math.floor(ergs / ERGS_PER_GAS) / 64) * ERGS_PER_GAS;
}

export function createAddress(deployer: bigint, nonce: bigint): bigint {
  const addr = new Uint8Array(20);
  writeBigInt(addr, 0, deployer, 20);
  const h = keccak256(rlpEncode([addr, bigIntToMinimalBytes(nonce)]));
  return bytesToBigInt(h, 12, 32);
}

export function create2Address(deployer: bigint, salt: bigint, initcode: Uint8Array): bigint {
  const buf = new Uint8Array(85);
  buf[0] = 0xff;
  writeBigInt(buf, 1, deployer, 20);
  writeBigInt(buf, 21, salt, 32);
  buf.set(keccak256(initcode), 53);
  return bytesToBigInt(keccak256(buf), 12, 32);
}

export class EvmCalls extends EvmFrameState {
  /** Prepares a CALL-family request; false means an exceptional halt (out of gas). */
  protected requestCall(op: number, gas: bigint, to: bigint, value: bigint, argsOff: bigint, argsLen: bigint, retOff: bigint, retLen: bigint): boolean {
    to &= (1n << 160n) - 1n;
    const hasValue = (op === Op.CALL || op === Op.CALLCODE) && value !== 0n;
    let cost = this.mem.expand(argsOff, argsLen);
    if (cost === IMPOSSIBLE) return false;
    const retCost = this.mem.expand(retOff, retLen);
    if (retCost === IMPOSSIBLE) return false;
    cost += retCost;
    const io = this.sys.io;
    const target = io.account(to);
    cost += (io.warmAccount(target) ? G.G_COLD_ACCOUNT_ACCESS : G.G_WARM_ACCESS) * ERGS_PER_GAS;
    if (hasValue) {
      cost += G.G_CALL_VALUE * ERGS_PER_GAS;
      if (op === Op.CALL && isEmpty(target.props)) cost += G.G_NEW_ACCOUNT * ERGS_PER_GAS;
    }
    this.ergs -= cost;
    if (this.ergs < 0 && this.exhausted()) return false;
    if (this.mem.want !== this.mem.size) this.mem.grow();
    let pass: number;
    let passReserve = 0n;
    if (this.reserve === 0n) {
      const cap = allButOne64th(this.ergs);
      pass = gas > BigInt(Math.floor(cap / ERGS_PER_GAS)) ? cap : Number(gas) * ERGS_PER_GAS;
      this.ergs -= pass;
    } else {
      // Beyond exact ergs: the same rule in bigint gas.
      const total = this.totalGas();
      const cap = total - total / 64n;
      const passGas = gas < cap ? gas : cap;
      this.setTotalGas(total - passGas);
      [pass, passReserve] = splitGas(passGas);
    }
    const argsStart = argsLen === 0n ? 0 : Number(argsOff);
    // The callee reads its calldata in place: this heap is frozen while the callee runs.
    const input = this.mem.region(argsStart, Number(argsLen));
    this.retOffset = retLen === 0n ? 0 : Number(retOff);
    this.retSize = Number(retLen);
    let modifier: CallModifier;
    let caller = this.address;
    let context = to;
    let callValue = value;
    switch (op) {
      case Op.CALL:
        modifier = this.isStatic ? CallModifier.Static : CallModifier.None;
        break;
      case Op.CALLCODE:
        modifier = this.isStatic ? CallModifier.CallcodeStatic : CallModifier.Callcode;
        context = this.address;
        break;
      case Op.DELEGATECALL:
        modifier = this.isStatic ? CallModifier.DelegateStatic : CallModifier.Delegate;
        caller = this.caller;
        context = this.address;
        callValue = this.value;
        break;
      default:
        modifier = CallModifier.Static;
        callValue = 0n;
        break;
    }
    // Whatever the call gives replaces the return data; the runner reuses their arena space now.
    this.returnData = EMPTY_BYTES;
    this.pendingCall = {
      caller,
      codeAddress: to,
      contextAddress: context,
      value: callValue,
      transfersValue: hasValue,
      input,
      ergs: pass + (hasValue ? G.G_CALL_STIPEND * ERGS_PER_GAS : 0),
      reserve: passReserve,
      modifier,
      isStatic: this.isStatic || op === Op.STATICCALL,
    };
    return true;
  }

  /** Prepares CREATE/CREATE2; false means an exceptional halt. */
  protected requestCreate(op: number, value: bigint, off: bigint, len: bigint, salt: bigint): boolean {
    let cost = this.mem.expand(off, len);
    if (cost === IMPOSSIBLE || len > BigInt(G.MAX_INITCODE_SIZE)) return false;
    cost += wordsErgs(len, G.G_INITCODE_WORD + (op === Op.CREATE2 ? G.G_KECCAK_WORD : 0));
    this.ergs -= cost;
    if (this.ergs < 0 && this.exhausted()) return false;
    if (this.mem.want !== this.mem.size) this.mem.grow();
    // In place, like calldata; the constructor runs a copy (its code analysis).
    const initcode = this.mem.region(len === 0n ? 0 : Number(off), Number(len));
    let pass: number;
    let passReserve = 0n;
    if (this.reserve === 0n) {
      pass = allButOne64th(this.ergs);
      this.ergs -= pass;
    } else {
      const total = this.totalGas();
      this.setTotalGas(total / 64n);
      [pass, passReserve] = splitGas(total - total / 64n);
    }
    const address =
      op === Op.CREATE ? createAddress(this.address, this.self.props.nonce) : create2Address(this.address, salt, initcode);
    this.returnData = EMPTY_BYTES;
    this.pendingDeploy = { deployer: this.address, address, initcode, value, ergs: pass, reserve: passReserve, incrementNonce: true };
    return true;
  }

  /** `output` is this frame's return data in the arena, live until its next spawn or its end. */
  resumeAfterCall(success: boolean, output: Uint8Array, ergsReturned: number, reserveReturned: bigint): void {
    this.pendingCall = null;
    this.absorb(ergsReturned, reserveReturned);
    this.returnData = output;
    const n = Math.min(this.retSize, output.length);
    if (n > 0) this.mem.copyFrom(this.retOffset, output, 0n, n);
    this.stack[this.sp++] = success ? 1n : 0n;
  }

  resumeAfterDeploy(address: bigint | null, output: Uint8Array, ergsReturned: number, reserveReturned: bigint): void {
    this.pendingDeploy = null;
    this.absorb(ergsReturned, reserveReturned);
    this.returnData = address === null ? output : EMPTY_BYTES;
    this.stack[this.sp++] = address ?? 0n;
  }
}
