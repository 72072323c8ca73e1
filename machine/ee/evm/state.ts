// Frame state and the host instructions: those that read or change accounts, storage and logs.
import { EMPTY_BYTES } from '../../common/bytes.ts';
import { bytesToBigInt } from '../../common/bytes.ts';
import { ERGS_PER_GAS, MAX_FRAME_ERGS, MAX_FRAME_GAS, splitGas } from '../../system/resources.ts';
import { KECCAK_EMPTY } from '../../system/account.ts';
import { isEmpty, type AccountEntry } from '../../system/io.ts';
import type { System } from '../../system/system.ts';
import { FrameStatus, Preemption, type CallRequest, type DeployRequest } from '../types.ts';
import { restOfBlock, type CodeAnalysis } from './analysis.ts';
import * as G from './gas.ts';
import { Memory } from './memory.ts';
import * as N from '../../system/native.ts';

const WARM_ERGS = G.G_WARM_ACCESS * ERGS_PER_GAS;
const COLD_ACCOUNT_ERGS = G.G_COLD_ACCOUNT_ACCESS * ERGS_PER_GAS;
const COLD_SLOAD_ERGS = G.G_COLD_SLOAD * ERGS_PER_GAS;

export class EvmFrameState {
  readonly stack: bigint[] = new Array<bigint>(G.STACK_LIMIT).fill(0n);
  readonly mem = new Memory();
  sp = 0;
  pc = 0;
  ergs = 0;
  /** Gas held beyond ergs, for transactions above MAX_FRAME_GAS (almost always 0n). */
  reserve = 0n;
  native = 0;
  code!: CodeAnalysis;
  sys!: System;
  /** The account whose storage and balance this frame acts on. */
  self!: AccountEntry;
  address = 0n;
  caller = 0n;
  value = 0n;
  input: Uint8Array = EMPTY_BYTES;
  isStatic = false;
  isConstructor = false;
  returnData: Uint8Array = EMPTY_BYTES;
  status: FrameStatus = FrameStatus.Running;
  output: Uint8Array = EMPTY_BYTES;
  pendingCall: CallRequest | null = null;
  pendingDeploy: DeployRequest | null = null;
  /** Where a pending call's output goes in memory. */
  retOffset = 0;
  retSize = 0;

  /**
   * False while the running block's static gas and native have been charged up front (its entry
   * checks passed): ergs and native then read low by what its remaining instructions will cost.
   * True when each instruction is checked and charged as it runs.
   */
  stepping = true;

  /**
   * A dynamic charge left ergs or native negative, `pc` being the next instruction: give back the
   * block's up-front charge for what has not run and step exactly from here (native may be out
   * only later, or ergs refilled from the reserve). True when the frame is out of gas.
   */
  protected overdrawn(pc: number): boolean {
    if (!this.stepping) this.unblock(pc);
    return this.ergs < 0 && this.exhausted();
  }

  private unblock(pc: number): void {
    const [ergs, native] = restOfBlock(this.code, pc);
    this.ergs += ergs;
    this.native += native;
    this.stepping = true;
  }

  protected end(status: FrameStatus, output: Uint8Array): Preemption {
    this.status = status;
    this.output = output;
    if (status === FrameStatus.Error) {
      this.ergs = 0;
      this.reserve = 0n;
    }
    return this.isConstructor ? Preemption.DeployCompleted : Preemption.CallCompleted;
  }

  /** Exceptional halt before `pc`: native charged up front for instructions after it is returned. */
  protected fail(pc: number): Preemption {
    if (!this.stepping) this.unblock(pc);
    return this.end(FrameStatus.Error, EMPTY_BYTES);
  }

  /** RETURN from a constructor: the EVM's checks on the code to deploy (EIP-3541, EIP-170). */
  protected endConstructor(code: Uint8Array): Preemption {
    if (code.length > G.MAX_CODE_SIZE || (code.length > 0 && code[0] === 0xef)) return this.end(FrameStatus.Error, EMPTY_BYTES);
    this.ergs -= code.length * G.G_CODE_DEPOSIT_BYTE * ERGS_PER_GAS;
    if (this.ergs < 0 && this.exhausted()) return this.end(FrameStatus.Error, EMPTY_BYTES);
    return this.end(FrameStatus.Success, code);
  }

  /**
   * Ergs went negative: refill from the reserve if there is one. True when the frame is really
   * out of gas. Only reached off the hot path (after a charge made ergs negative).
   */
  protected exhausted(): boolean {
    if (this.reserve === 0n) return true;
    const take = this.reserve < MAX_FRAME_GAS ? this.reserve : MAX_FRAME_GAS;
    this.reserve -= take;
    this.ergs += Number(take) * ERGS_PER_GAS;
    return this.ergs < 0 && this.exhausted();
  }

  /** Takes back what a finished sub-frame did not use, keeping ergs within exact range. */
  protected absorb(ergs: number, reserve: bigint): void {
    this.ergs += ergs;
    this.reserve += reserve;
    if (this.ergs > MAX_FRAME_ERGS) this.setTotalGas(this.totalGas());
  }

  /** Total gas left, reserve included. */
  protected totalGas(): bigint {
    return BigInt(Math.floor(this.ergs / ERGS_PER_GAS)) + this.reserve;
  }

  /** Sets the gas left from a total that may exceed what ergs hold exactly. */
  protected setTotalGas(gas: bigint): void {
    const [ergs, reserve] = splitGas(gas);
    this.ergs = ergs;
    this.reserve = reserve;
  }

  /** Charges the EIP-2929 account access and returns the account. */
  protected accessAccount(address: bigint): AccountEntry {
    const io = this.sys.io;
    const a = io.account(address);
    if (io.warmAccount(a)) {
      this.ergs -= COLD_ACCOUNT_ERGS;
      this.native -= N.COLD_EXISTING_STORAGE_READ;
    } else {
      this.ergs -= WARM_ERGS;
      this.native -= N.ACCOUNT_ACCESS;
    }
    return a;
  }

  protected balanceOf(address: bigint): bigint {
    return this.accessAccount(address).props.balance;
  }

  protected extCodeSize(address: bigint): bigint {
    return BigInt(this.accessAccount(address).props.observableLen);
  }

  protected extCodeHash(address: bigint): bigint {
    const a = this.accessAccount(address);
    if (isEmpty(a.props)) return 0n;
    return bytesToBigInt(a.props.observableLen === 0 ? KECCAK_EMPTY : a.props.observableHash);
  }

  protected extCode(address: bigint): Uint8Array {
    const a = this.accessAccount(address);
    return this.sys.io.code(a);
  }

  protected sload(key: bigint): bigint {
    const io = this.sys.io;
    const v = io.sload(this.self, key);
    if (io.lastCold) {
      this.ergs -= COLD_SLOAD_ERGS;
      this.native -= N.COLD_EXISTING_STORAGE_READ;
    } else {
      this.ergs -= WARM_ERGS;
      this.native -= N.WARM_STORAGE_READ;
    }
    return v;
  }

  /** EIP-2200/2929 gas and EIP-3529 refunds. Returns false on the 2300-gas sentry. */
  protected sstore(key: bigint, value: bigint): boolean {
    if (this.ergs <= G.G_SSTORE_SENTRY * ERGS_PER_GAS && this.reserve === 0n) return false;
    const io = this.sys.io;
    const s = io.slot(this.self, key);
    let gas = 0;
    if (io.warmSlot(s)) {
      gas = G.G_COLD_SLOAD;
      this.native -= s.isNew ? N.COLD_NEW_STORAGE_WRITE_EXTRA : N.COLD_EXISTING_STORAGE_WRITE_EXTRA;
    }
    this.native -= N.WARM_STORAGE_READ + N.WARM_STORAGE_WRITE_EXTRA;
    const current = s.value;
    const original = s.original;
    if (current === value) {
      gas += G.G_WARM_ACCESS;
    } else if (original === current) {
      gas += original === 0n ? G.G_SSTORE_SET : G.G_SSTORE_RESET;
      if (original !== 0n && value === 0n) io.addRefund(G.R_SSTORE_CLEAR);
    } else {
      gas += G.G_WARM_ACCESS;
      if (original !== 0n) {
        if (current === 0n) io.addRefund(-G.R_SSTORE_CLEAR);
        else if (value === 0n) io.addRefund(G.R_SSTORE_CLEAR);
      }
      if (original === value) {
        io.addRefund(original === 0n ? G.G_SSTORE_SET - G.G_WARM_ACCESS : G.G_SSTORE_RESET - G.G_WARM_ACCESS);
      }
    }
    this.ergs -= gas * ERGS_PER_GAS;
    if (this.ergs >= 0 || !this.exhausted()) io.writeSlot(this.self, s, value);
    return true;
  }

  protected log(topics: bigint[], offset: number, len: number): void {
    this.native -= N.EVENT_BASE + N.EVENT_PER_TOPIC * topics.length + N.EVENT_PER_BYTE * len;
    this.sys.io.emitLog(this.address, topics, this.mem.slice(offset, len));
  }

  /** SELFDESTRUCT under EIP-6780; the caller has checked the static flag. */
  protected selfdestruct(beneficiary: bigint): void {
    const io = this.sys.io;
    const b = io.account(beneficiary);
    if (io.warmAccount(b)) this.ergs -= COLD_ACCOUNT_ERGS;
    const balance = this.self.props.balance;
    if (balance > 0n && isEmpty(b.props)) this.ergs -= G.G_NEW_ACCOUNT * ERGS_PER_GAS;
    if (this.ergs < 0 && this.exhausted()) return;
    io.touch(b);
    if (b !== this.self) {
      io.setBalance(this.self, 0n);
      io.setBalance(b, b.props.balance + balance);
    } else if (this.self.createdTx === io.tx) {
      io.setBalance(this.self, 0n);
    }
    io.markDestructed(this.self);
  }
}
