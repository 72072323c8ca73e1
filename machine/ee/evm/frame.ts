// The EVM interpreter: a baseline dispatch loop over analysed code (evmone style). Stack and
// program counter live in locals; every exit point writes them back.
import { EMPTY_BYTES, bytesToBigInt, viewOf, wordAt } from '../../common/bytes.ts';
import { keccak256Word } from '../../crypto/index.ts';
import { ERGS_PER_GAS } from '../../system/resources.ts';
import type { AccountEntry } from '../../system/io.ts';
import type { System } from '../../system/system.ts';
import { FrameStatus, Preemption, type ExecutionEnvironment } from '../types.ts';
import type { CodeAnalysis } from './analysis.ts';
import * as A from './arithmetic.ts';
import { EvmCalls } from './calls.ts';
import * as G from './gas.ts';
import { IMPOSSIBLE, wordsErgs } from './memory.ts';
import { NATIVE, STACK_MAX, STACK_MIN, STATIC_GAS } from './opcodes.ts';
import * as N from '../../system/native.ts';

const STATIC_ERGS = Float64Array.from(STATIC_GAS, (g) => g * ERGS_PER_GAS);
const M256 = (1n << 256n) - 1n;
const ADDR_MASK = (1n << 160n) - 1n;

export interface FrameInit {
  sys: System;
  code: CodeAnalysis;
  self: AccountEntry;
  caller: bigint;
  value: bigint;
  input: Uint8Array;
  ergs: number;
  /** Gas beyond what ergs hold exactly (see MAX_FRAME_GAS). */
  reserve: bigint;
  native: number;
  isStatic: boolean;
  isConstructor: boolean;
}

export class EvmFrame extends EvmCalls implements ExecutionEnvironment {
  private inputView = viewOf(EMPTY_BYTES);

  init(f: FrameInit): void {
    this.sys = f.sys;
    this.code = f.code;
    this.self = f.self;
    this.address = f.self.address;
    this.caller = f.caller;
    this.value = f.value;
    this.input = f.input;
    this.inputView = viewOf(f.input);
    this.ergs = f.ergs;
    this.reserve = f.reserve;
    this.native = f.native;
    this.isStatic = f.isStatic;
    this.isConstructor = f.isConstructor;
    this.sp = 0;
    this.pc = 0;
    this.mem.bind(f.sys.arena);
    this.returnData = EMPTY_BYTES;
    this.status = FrameStatus.Running;
    this.output = EMPTY_BYTES;
    this.pendingCall = null;
    this.pendingDeploy = null;
  }

  private end(status: FrameStatus, output: Uint8Array): Preemption {
    this.status = status;
    this.output = output;
    if (status === FrameStatus.Error) {
      this.ergs = 0;
      this.reserve = 0n;
    }
    return this.isConstructor ? Preemption.DeployCompleted : Preemption.CallCompleted;
  }

  /** RETURN from a constructor: the EVM's checks on the code to deploy (EIP-3541, EIP-170). */
  private endConstructor(code: Uint8Array): Preemption {
    if (code.length > G.MAX_CODE_SIZE || (code.length > 0 && code[0] === 0xef)) return this.end(FrameStatus.Error, EMPTY_BYTES);
    this.ergs -= code.length * G.G_CODE_DEPOSIT_BYTE * ERGS_PER_GAS;
    if (this.ergs < 0 && this.exhausted()) return this.end(FrameStatus.Error, EMPTY_BYTES);
    return this.end(FrameStatus.Success, code);
  }

  run(): Preemption {
    const stack = this.stack;
    const code = this.code.padded;
    const jumpdests = this.code.jumpdests;
    const pushValues = this.code.pushValues;
    const codeLen = this.code.length;
    const mem = this.mem;
    let sp = this.sp;
    let pc = this.pc;
    for (;;) {
      const op = code[pc];
      if (sp < STACK_MIN[op] || sp > STACK_MAX[op]) {
        this.sp = sp;
        return this.end(FrameStatus.Error, EMPTY_BYTES);
      }
      this.ergs -= STATIC_ERGS[op];
      this.native -= NATIVE[op];
      if (this.ergs < 0 && this.exhausted()) return this.end(FrameStatus.Error, EMPTY_BYTES);
      if (this.native < 0) return this.end(FrameStatus.OutOfNative, EMPTY_BYTES);
      pc++;
      switch (op) {
        case 0x00:
          this.sp = sp;
          return this.isConstructor ? this.endConstructor(EMPTY_BYTES) : this.end(FrameStatus.Success, EMPTY_BYTES);
        case 0x01: sp--; stack[sp - 1] = (stack[sp - 1] + stack[sp]) & M256; break;
        case 0x02: sp--; stack[sp - 1] = (stack[sp - 1] * stack[sp]) & M256; break;
        case 0x03: sp--; stack[sp - 1] = (stack[sp] - stack[sp - 1]) & M256; break;
        case 0x04: { sp--; const b = stack[sp - 1]; stack[sp - 1] = b === 0n ? 0n : stack[sp] / b; break; }
        case 0x05: sp--; stack[sp - 1] = A.sdiv(stack[sp], stack[sp - 1]); break;
        case 0x06: { sp--; const b = stack[sp - 1]; stack[sp - 1] = b === 0n ? 0n : stack[sp] % b; break; }
        case 0x07: sp--; stack[sp - 1] = A.smod(stack[sp], stack[sp - 1]); break;
        case 0x08: { sp -= 2; const n = stack[sp - 1]; stack[sp - 1] = n === 0n ? 0n : (stack[sp + 1] + stack[sp]) % n; break; }
        case 0x09: { sp -= 2; const n = stack[sp - 1]; stack[sp - 1] = n === 0n ? 0n : (stack[sp + 1] * stack[sp]) % n; break; }
        case 0x0a: {
          sp--;
          const e = stack[sp - 1];
          this.ergs -= A.byteLength(e) * G.G_EXP_BYTE * ERGS_PER_GAS;
          if (this.ergs < 0 && this.exhausted()) return this.end(FrameStatus.Error, EMPTY_BYTES);
          stack[sp - 1] = A.exp(stack[sp], e);
          break;
        }
        case 0x0b: sp--; stack[sp - 1] = A.signextend(stack[sp], stack[sp - 1]); break;
        case 0x10: sp--; stack[sp - 1] = stack[sp] < stack[sp - 1] ? 1n : 0n; break;
        case 0x11: sp--; stack[sp - 1] = stack[sp] > stack[sp - 1] ? 1n : 0n; break;
        case 0x12: sp--; stack[sp - 1] = A.slt(stack[sp], stack[sp - 1]) ? 1n : 0n; break;
        case 0x13: sp--; stack[sp - 1] = A.slt(stack[sp - 1], stack[sp]) ? 1n : 0n; break;
        case 0x14: sp--; stack[sp - 1] = stack[sp] === stack[sp - 1] ? 1n : 0n; break;
        case 0x15: stack[sp - 1] = stack[sp - 1] === 0n ? 1n : 0n; break;
        case 0x16: sp--; stack[sp - 1] = stack[sp] & stack[sp - 1]; break;
        case 0x17: sp--; stack[sp - 1] = stack[sp] | stack[sp - 1]; break;
        case 0x18: sp--; stack[sp - 1] = stack[sp] ^ stack[sp - 1]; break;
        case 0x19: stack[sp - 1] = M256 ^ stack[sp - 1]; break;
        case 0x1a: sp--; stack[sp - 1] = A.byteAt(stack[sp], stack[sp - 1]); break;
        case 0x1b: { sp--; const s = stack[sp]; stack[sp - 1] = s >= 256n ? 0n : (stack[sp - 1] << s) & M256; break; }
        case 0x1c: { sp--; const s = stack[sp]; stack[sp - 1] = s >= 256n ? 0n : stack[sp - 1] >> s; break; }
        case 0x1d: sp--; stack[sp - 1] = A.sar(stack[sp], stack[sp - 1]); break;
        case 0x20: {
          sp--;
          const off = stack[sp], len = stack[sp - 1];
          const cost = mem.expand(off, len);
          if (cost === IMPOSSIBLE) return this.end(FrameStatus.Error, EMPTY_BYTES);
          this.ergs -= cost + wordsErgs(len, G.G_KECCAK_WORD);
          if (this.ergs < 0 && this.exhausted()) return this.end(FrameStatus.Error, EMPTY_BYTES);
          if (mem.want !== mem.size) mem.grow();
          const n = Number(len);
          this.native -= N.KECCAK_PER_BLOCK * (Math.floor(n / 136) + 1);
          stack[sp - 1] = keccak256Word(mem.region(n === 0 ? 0 : Number(off), n));
          break;
        }
        case 0x30: stack[sp++] = this.address; break;
        case 0x31: stack[sp - 1] = this.balanceOf(stack[sp - 1] & ADDR_MASK); if (this.ergs < 0 && this.exhausted()) return this.end(FrameStatus.Error, EMPTY_BYTES); break;
        case 0x32: stack[sp++] = this.sys.tx.origin; break;
        case 0x33: stack[sp++] = this.caller; break;
        case 0x34: stack[sp++] = this.value; break;
        case 0x35: {
          const off = stack[sp - 1];
          const input = this.input;
          if (off >= BigInt(input.length)) stack[sp - 1] = 0n;
          else {
            const o = Number(off);
            if (o + 32 <= input.length) stack[sp - 1] = wordAt(this.inputView, o);
            else {
              const w = new Uint8Array(32);
              w.set(input.subarray(o));
              stack[sp - 1] = bytesToBigInt(w);
            }
          }
          break;
        }
        case 0x36: stack[sp++] = BigInt(this.input.length); break;
        case 0x37: case 0x39: case 0x3e: {
          sp -= 3;
          const memOff = stack[sp + 2], srcOff = stack[sp + 1], len = stack[sp];
          const src = op === 0x37 ? this.input : op === 0x39 ? this.code.padded.subarray(0, codeLen) : this.returnData;
          if (op === 0x3e && (srcOff + len > BigInt(src.length))) return this.end(FrameStatus.Error, EMPTY_BYTES);
          const cost = mem.expand(memOff, len);
          if (cost === IMPOSSIBLE) return this.end(FrameStatus.Error, EMPTY_BYTES);
          this.ergs -= cost + wordsErgs(len, G.G_COPY_WORD);
          if (this.ergs < 0 && this.exhausted()) return this.end(FrameStatus.Error, EMPTY_BYTES);
          if (mem.want !== mem.size) mem.grow();
          this.native -= Number(len);
          if (len !== 0n) mem.copyFrom(Number(memOff), src, srcOff, Number(len));
          break;
        }
        case 0x38: stack[sp++] = BigInt(codeLen); break;
        case 0x3a: stack[sp++] = this.sys.tx.gasPrice; break;
        case 0x3b: stack[sp - 1] = this.extCodeSize(stack[sp - 1] & ADDR_MASK); if (this.ergs < 0 && this.exhausted()) return this.end(FrameStatus.Error, EMPTY_BYTES); break;
        case 0x3c: {
          sp -= 4;
          const addr = stack[sp + 3] & ADDR_MASK, memOff = stack[sp + 2], srcOff = stack[sp + 1], len = stack[sp];
          const cost = mem.expand(memOff, len);
          if (cost === IMPOSSIBLE) return this.end(FrameStatus.Error, EMPTY_BYTES);
          this.ergs -= cost + wordsErgs(len, G.G_COPY_WORD);
          if (this.ergs < 0 && this.exhausted()) return this.end(FrameStatus.Error, EMPTY_BYTES);
          if (mem.want !== mem.size) mem.grow();
          const ext = this.extCode(addr);
          if (this.ergs < 0 && this.exhausted()) return this.end(FrameStatus.Error, EMPTY_BYTES);
          this.native -= Number(len);
          if (len !== 0n) mem.copyFrom(Number(memOff), ext, srcOff, Number(len));
          break;
        }
        case 0x3d: stack[sp++] = BigInt(this.returnData.length); break;
        case 0x3f: stack[sp - 1] = this.extCodeHash(stack[sp - 1] & ADDR_MASK); if (this.ergs < 0 && this.exhausted()) return this.end(FrameStatus.Error, EMPTY_BYTES); break;
        case 0x40: stack[sp - 1] = this.sys.blockHash(stack[sp - 1]); break;
        case 0x41: stack[sp++] = this.sys.block.coinbase; break;
        case 0x42: stack[sp++] = this.sys.block.timestamp; break;
        case 0x43: stack[sp++] = this.sys.block.blockNumber; break;
        case 0x44: stack[sp++] = this.sys.block.mixHash; break;
        case 0x45: stack[sp++] = this.sys.block.gasLimit; break;
        case 0x46: stack[sp++] = this.sys.block.chainId; break;
        case 0x47: stack[sp++] = this.self.props.balance; break;
        case 0x48: stack[sp++] = this.sys.block.eip1559BaseFee; break;
        case 0x49: {
          const i = stack[sp - 1];
          const hashes = this.sys.tx.blobHashes;
          stack[sp - 1] = i < BigInt(hashes.length) ? hashes[Number(i)] : 0n;
          break;
        }
        case 0x4a: stack[sp++] = this.sys.block.blobBaseFee; break;
        case 0x50: sp--; break;
        case 0x51: {
          const off = stack[sp - 1];
          const cost = mem.expand(off, 32n);
          if (cost === IMPOSSIBLE) return this.end(FrameStatus.Error, EMPTY_BYTES);
          this.ergs -= cost;
          if (this.ergs < 0 && this.exhausted()) return this.end(FrameStatus.Error, EMPTY_BYTES);
          if (mem.want !== mem.size) mem.grow();
          stack[sp - 1] = mem.load(Number(off));
          break;
        }
        case 0x52: case 0x53: {
          sp -= 2;
          const off = stack[sp + 1];
          const cost = mem.expand(off, op === 0x52 ? 32n : 1n);
          if (cost === IMPOSSIBLE) return this.end(FrameStatus.Error, EMPTY_BYTES);
          this.ergs -= cost;
          if (this.ergs < 0 && this.exhausted()) return this.end(FrameStatus.Error, EMPTY_BYTES);
          if (mem.want !== mem.size) mem.grow();
          if (op === 0x52) mem.store(Number(off), stack[sp]);
          else mem.storeByte(Number(off), Number(stack[sp] & 0xffn));
          break;
        }
        case 0x54:
          stack[sp - 1] = this.sload(stack[sp - 1]);
          if (this.ergs < 0 && this.exhausted()) return this.end(FrameStatus.Error, EMPTY_BYTES);
          break;
        case 0x55:
          sp -= 2;
          if (this.isStatic || !this.sstore(stack[sp + 1], stack[sp]) || (this.ergs < 0 && this.exhausted())) return this.end(FrameStatus.Error, EMPTY_BYTES);
          break;
        case 0x56: {
          const dest = stack[--sp];
          if (dest >= BigInt(codeLen) || jumpdests[Number(dest)] === 0) return this.end(FrameStatus.Error, EMPTY_BYTES);
          pc = Number(dest);
          break;
        }
        case 0x57: {
          sp -= 2;
          if (stack[sp] !== 0n) {
            const dest = stack[sp + 1];
            if (dest >= BigInt(codeLen) || jumpdests[Number(dest)] === 0) return this.end(FrameStatus.Error, EMPTY_BYTES);
            pc = Number(dest);
          }
          break;
        }
        case 0x58: stack[sp++] = BigInt(pc - 1); break;
        case 0x59: stack[sp++] = BigInt(mem.size); break;
        case 0x5a: stack[sp++] = BigInt(Math.floor(this.ergs / ERGS_PER_GAS)) + this.reserve; break;
        case 0x5b: break;
        case 0x5c: this.native -= N.TRANSIENT_ACCESS; stack[sp - 1] = this.sys.io.tload(this.address, stack[sp - 1]); break;
        case 0x5d:
          sp -= 2;
          if (this.isStatic) return this.end(FrameStatus.Error, EMPTY_BYTES);
          this.native -= N.TRANSIENT_ACCESS;
          this.sys.io.tstore(this.self, stack[sp + 1], stack[sp]);
          break;
        case 0x5e: {
          sp -= 3;
          const dst = stack[sp + 2], src = stack[sp + 1], len = stack[sp];
          let cost = mem.expand(src, len);
          if (cost !== IMPOSSIBLE) {
            const c2 = mem.expand(dst, len);
            cost = c2 === IMPOSSIBLE ? IMPOSSIBLE : cost + c2;
          }
          if (cost === IMPOSSIBLE) return this.end(FrameStatus.Error, EMPTY_BYTES);
          this.ergs -= cost + wordsErgs(len, G.G_COPY_WORD);
          if (this.ergs < 0 && this.exhausted()) return this.end(FrameStatus.Error, EMPTY_BYTES);
          if (mem.want !== mem.size) mem.grow();
          if (len !== 0n) mem.move(Number(dst), Number(src), Number(len));
          break;
        }
        case 0x5f: stack[sp++] = 0n; break;
        case 0x60: stack[sp++] = BigInt(code[pc]); pc++; break;
        case 0x61: stack[sp++] = BigInt((code[pc] << 8) | code[pc + 1]); pc += 2; break;
        case 0x62: case 0x63: case 0x64: case 0x65: case 0x66: case 0x67: case 0x68: case 0x69: case 0x6a:
        case 0x6b: case 0x6c: case 0x6d: case 0x6e: case 0x6f: case 0x70: case 0x71: case 0x72: case 0x73:
        case 0x74: case 0x75: case 0x76: case 0x77: case 0x78: case 0x79: case 0x7a: case 0x7b: case 0x7c:
        case 0x7d: case 0x7e: case 0x7f: {
          stack[sp++] = pushValues[pc - 1];
          pc += op - 0x5f;
          break;
        }
        case 0x80: case 0x81: case 0x82: case 0x83: case 0x84: case 0x85: case 0x86: case 0x87:
        case 0x88: case 0x89: case 0x8a: case 0x8b: case 0x8c: case 0x8d: case 0x8e: case 0x8f:
          stack[sp] = stack[sp - (op - 0x7f)];
          sp++;
          break;
        case 0x90: case 0x91: case 0x92: case 0x93: case 0x94: case 0x95: case 0x96: case 0x97:
        case 0x98: case 0x99: case 0x9a: case 0x9b: case 0x9c: case 0x9d: case 0x9e: case 0x9f: {
          const j = sp - 2 - (op - 0x90);
          const t = stack[sp - 1];
          stack[sp - 1] = stack[j];
          stack[j] = t;
          break;
        }
        case 0xa0: case 0xa1: case 0xa2: case 0xa3: case 0xa4: {
          if (this.isStatic) return this.end(FrameStatus.Error, EMPTY_BYTES);
          const nTopics = op - 0xa0;
          sp -= 2;
          const off = stack[sp + 1], len = stack[sp];
          const cost = mem.expand(off, len);
          if (cost === IMPOSSIBLE || len > 0xffffffffn) return this.end(FrameStatus.Error, EMPTY_BYTES);
          this.ergs -= cost + Number(len) * G.G_LOG_BYTE * ERGS_PER_GAS;
          if (this.ergs < 0 && this.exhausted()) return this.end(FrameStatus.Error, EMPTY_BYTES);
          if (mem.want !== mem.size) mem.grow();
          const topics: bigint[] = new Array(nTopics);
          for (let i = 0; i < nTopics; i++) topics[i] = stack[--sp];
          this.log(topics, len === 0n ? 0 : Number(off), Number(len));
          break;
        }
        case 0xf0: case 0xf5: {
          if (this.isStatic) return this.end(FrameStatus.Error, EMPTY_BYTES);
          const value = stack[sp - 1], off = stack[sp - 2], len = stack[sp - 3];
          const salt = op === 0xf5 ? stack[sp - 4] : 0n;
          sp -= op === 0xf5 ? 4 : 3;
          this.sp = sp;
          this.pc = pc;
          if (!this.requestCreate(op, value, off, len, salt)) return this.end(FrameStatus.Error, EMPTY_BYTES);
          return Preemption.DeployRequest;
        }
        case 0xf1: case 0xf2: case 0xf4: case 0xfa: {
          const hasValue = op === 0xf1 || op === 0xf2;
          const gas = stack[sp - 1], to = stack[sp - 2];
          const value = hasValue ? stack[sp - 3] : 0n;
          const base = hasValue ? sp - 4 : sp - 3;
          const argsOff = stack[base], argsLen = stack[base - 1], retOff = stack[base - 2], retLen = stack[base - 3];
          sp = base - 3;
          if (op === 0xf1 && this.isStatic && value !== 0n) return this.end(FrameStatus.Error, EMPTY_BYTES);
          this.sp = sp;
          this.pc = pc;
          if (!this.requestCall(op, gas, to, value, argsOff, argsLen, retOff, retLen)) return this.end(FrameStatus.Error, EMPTY_BYTES);
          return Preemption.CallRequest;
        }
        case 0xf3: case 0xfd: {
          sp -= 2;
          const off = stack[sp + 1], len = stack[sp];
          const cost = mem.expand(off, len);
          if (cost === IMPOSSIBLE) return this.end(FrameStatus.Error, EMPTY_BYTES);
          this.ergs -= cost;
          if (this.ergs < 0 && this.exhausted()) return this.end(FrameStatus.Error, EMPTY_BYTES);
          if (mem.want !== mem.size) mem.grow();
          // A view of the heap: the runner moves it to the caller's return data as the heap is released.
          const out = mem.region(len === 0n ? 0 : Number(off), Number(len));
          this.sp = sp;
          if (op === 0xfd) return this.end(FrameStatus.Revert, out);
          return this.isConstructor ? this.endConstructor(out) : this.end(FrameStatus.Success, out);
        }
        case 0xff: {
          if (this.isStatic) return this.end(FrameStatus.Error, EMPTY_BYTES);
          this.selfdestruct(stack[--sp] & ADDR_MASK);
          if (this.ergs < 0 && this.exhausted()) return this.end(FrameStatus.Error, EMPTY_BYTES);
          this.sp = sp;
          return this.isConstructor ? this.endConstructor(EMPTY_BYTES) : this.end(FrameStatus.Success, EMPTY_BYTES);
        }
        default:
          return this.end(FrameStatus.Error, EMPTY_BYTES);
      }
    }
  }
}
