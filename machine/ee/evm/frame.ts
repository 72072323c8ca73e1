// The EVM interpreter: a dispatch loop over analysed code (evmone style). Stack and program
// counter live in locals; every exit point writes them back. Static gas, native and stack bounds
// are checked once per basic block (analysis.ts); a block whose entry checks fail, or in which a
// dynamic charge overdraws, runs step by step with the checks per instruction.
import { EMPTY_BYTES, viewOf } from '../../common/bytes.ts';
import { keccak256Word } from '../../crypto/index.ts';
import { ERGS_PER_GAS } from '../../system/resources.ts';
import type { AccountEntry } from '../../system/io.ts';
import type { System } from '../../system/system.ts';
import * as N from '../../system/native.ts';
import { FrameStatus, type ExecutionEnvironment, type Preemption } from '../types.ts';
import type { CodeAnalysis } from './analysis.ts';
import * as A from './arithmetic.ts';
import * as G from './gas.ts';
import { CONTINUE, EvmHost } from './host.ts';
import { IMPOSSIBLE, wordsErgs } from './memory.ts';
import { NATIVE, STACK_MAX, STACK_MIN, STATIC_GAS } from './opcodes.ts';

const STATIC_ERGS = Float64Array.from(STATIC_GAS, (g) => g * ERGS_PER_GAS);
const M256 = (1n << 256n) - 1n;
const TWO256 = 1n << 256n;

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

export class EvmFrame extends EvmHost implements ExecutionEnvironment {
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
    this.stepping = true;
  }

  run(): Preemption {
    const stack = this.stack;
    const a = this.code;
    const ops = a.ops;
    const pushValues = a.pushValues;
    const blockErgs = a.blockErgs;
    const blockNative = a.blockNative;
    const blockMinSp = a.blockMinSp;
    const blockMaxSp = a.blockMaxSp;
    const codeLen = BigInt(a.length);
    const mem = this.mem;
    let sp = this.sp;
    let pc = this.pc;
    for (;;) {
      const w = ops[pc];
      const op = w & 0xff;
      if (w > 0xff) {
        // A block starts here: charge it whole when it surely fits, else step through it.
        const b = w >> 8;
        const e = blockErgs[b];
        const nat = blockNative[b];
        if (sp >= blockMinSp[b] && sp <= blockMaxSp[b] && this.ergs >= e && this.native >= nat) {
          this.ergs -= e;
          this.native -= nat;
          this.stepping = false;
        } else this.stepping = true;
      }
      if (this.stepping) {
        if (sp < STACK_MIN[op] || sp > STACK_MAX[op]) {
          this.sp = sp;
          return this.end(FrameStatus.Error, EMPTY_BYTES);
        }
        this.ergs -= STATIC_ERGS[op];
        this.native -= NATIVE[op];
        if (this.ergs < 0 && this.exhausted()) return this.end(FrameStatus.Error, EMPTY_BYTES);
        if (this.native < 0) return this.end(FrameStatus.OutOfNative, EMPTY_BYTES);
      }
      pc++;
      switch (op) {
        case 0x00:
          this.sp = sp;
          return this.isConstructor ? this.endConstructor(EMPTY_BYTES) : this.end(FrameStatus.Success, EMPTY_BYTES);
        // Sums and differences wrap with one compare; the mask would cost another bigint operation.
        case 0x01: { sp--; const r = stack[sp - 1] + stack[sp]; stack[sp - 1] = r > M256 ? r - TWO256 : r; break; }
        case 0x02: sp--; stack[sp - 1] = (stack[sp - 1] * stack[sp]) & M256; break;
        case 0x03: { sp--; const r = stack[sp] - stack[sp - 1]; stack[sp - 1] = r < 0n ? r + TWO256 : r; break; }
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
          if (this.ergs < 0 && this.overdrawn(pc)) return this.fail(pc);
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
          if (cost === IMPOSSIBLE) return this.fail(pc);
          this.ergs -= cost + wordsErgs(len, G.G_KECCAK_WORD);
          if (this.ergs < 0 && this.overdrawn(pc)) return this.fail(pc);
          if (mem.want !== mem.size) mem.grow();
          const n = Number(len);
          this.native -= N.KECCAK_PER_BLOCK * (Math.floor(n / 136) + 1);
          if (this.native < 0) this.overdrawn(pc);
          stack[sp - 1] = keccak256Word(mem.hashInput(n === 0 ? 0 : Number(off), n));
          break;
        }
        case 0x50: sp--; break;
        case 0x51: {
          const off = stack[sp - 1];
          const o = Number(off);
          // Within the memory already paid for (the usual case) nothing is charged.
          if (o + 32 > mem.size) {
            const cost = mem.expand(off, 32n);
            if (cost === IMPOSSIBLE) return this.fail(pc);
            this.ergs -= cost;
            if (this.ergs < 0 && this.overdrawn(pc)) return this.fail(pc);
            mem.grow();
          }
          stack[sp - 1] = mem.load(o);
          break;
        }
        case 0x52: case 0x53: {
          sp -= 2;
          const off = stack[sp + 1];
          const o = Number(off);
          const len = op === 0x52 ? 32 : 1;
          if (o + len > mem.size) {
            const cost = mem.expand(off, op === 0x52 ? 32n : 1n);
            if (cost === IMPOSSIBLE) return this.fail(pc);
            this.ergs -= cost;
            if (this.ergs < 0 && this.overdrawn(pc)) return this.fail(pc);
            mem.grow();
          }
          if (op === 0x52) mem.store(o, stack[sp]);
          else mem.storeByte(o, Number(stack[sp] & 0xffn));
          break;
        }
        case 0x56: {
          const dest = stack[--sp];
          // Every JUMPDEST (and no PUSH data) reads as 0x5b in ops.
          if (dest >= codeLen || (ops[Number(dest)] & 0xff) !== 0x5b) return this.fail(pc);
          pc = Number(dest);
          break;
        }
        case 0x57: {
          sp -= 2;
          if (stack[sp] !== 0n) {
            const dest = stack[sp + 1];
            if (dest >= codeLen || (ops[Number(dest)] & 0xff) !== 0x5b) return this.fail(pc);
            pc = Number(dest);
          }
          break;
        }
        case 0x58: stack[sp++] = BigInt(pc - 1); break;
        case 0x59: stack[sp++] = BigInt(mem.size); break;
        // The last instruction of its block: ergs are exact here.
        case 0x5a: stack[sp++] = BigInt(Math.floor(this.ergs / ERGS_PER_GAS)) + this.reserve; break;
        case 0x5b: break;
        case 0x5f: stack[sp++] = 0n; break;
        case 0x60: case 0x61: case 0x62: case 0x63: case 0x64: case 0x65: case 0x66: case 0x67:
        case 0x68: case 0x69: case 0x6a: case 0x6b: case 0x6c: case 0x6d: case 0x6e: case 0x6f:
        case 0x70: case 0x71: case 0x72: case 0x73: case 0x74: case 0x75: case 0x76: case 0x77:
        case 0x78: case 0x79: case 0x7a: case 0x7b: case 0x7c: case 0x7d: case 0x7e: case 0x7f:
          stack[sp++] = pushValues[ops[pc] >> 8];
          pc += op - 0x5f;
          break;
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
        case 0xf3: case 0xfd: {
          sp -= 2;
          const off = stack[sp + 1], len = stack[sp];
          const cost = mem.expand(off, len);
          if (cost === IMPOSSIBLE) return this.fail(pc);
          this.ergs -= cost;
          if (this.ergs < 0 && this.overdrawn(pc)) return this.fail(pc);
          if (mem.want !== mem.size) mem.grow();
          // A view of the heap: the runner moves it to the caller's return data as the heap is released.
          const out = mem.region(len === 0n ? 0 : Number(off), Number(len));
          this.sp = sp;
          if (op === 0xfd) return this.end(FrameStatus.Revert, out);
          return this.isConstructor ? this.endConstructor(out) : this.end(FrameStatus.Success, out);
        }
        default: {
          this.sp = sp;
          this.pc = pc;
          const r = this.hostOp(op);
          if (r !== CONTINUE) return r as Preemption;
          sp = this.sp;
        }
      }
    }
  }
}
