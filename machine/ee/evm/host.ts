// The instructions outside the interpreter's hot core: environment and block reads, copies,
// storage, logs, calls and creates. They run through this.sp and this.pc rather than the loop's
// locals; none of them is frequent enough for the difference to matter.
import { EMPTY_BYTES, bytesToBigInt, viewOf, wordAt } from '../../common/bytes.ts';
import { ERGS_PER_GAS } from '../../system/resources.ts';
import * as N from '../../system/native.ts';
import { FrameStatus, Preemption } from '../types.ts';
import { EvmCalls } from './calls.ts';
import * as G from './gas.ts';
import { IMPOSSIBLE, wordsErgs } from './memory.ts';

const ADDR_MASK = (1n << 160n) - 1n;
/** hostOp's answer when the interpreter goes on with the next instruction. */
export const CONTINUE = 0;

export class EvmHost extends EvmCalls {
  protected inputView = viewOf(EMPTY_BYTES);

  /** Runs `op` (its static cost paid; this.pc is the next instruction): CONTINUE or how the frame stops. */
  protected hostOp(op: number): number {
    const stack = this.stack;
    const pc = this.pc;
    let sp = this.sp;
    switch (op) {
      case 0x30: stack[sp++] = this.address; break;
      case 0x31: stack[sp - 1] = this.balanceOf(stack[sp - 1] & ADDR_MASK); break;
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
        const src = op === 0x37 ? this.input : op === 0x39 ? this.code.code : this.returnData;
        if (op === 0x3e && srcOff + len > BigInt(src.length)) return this.fail(pc);
        const cost = this.mem.expand(memOff, len);
        if (cost === IMPOSSIBLE) return this.fail(pc);
        this.ergs -= cost + wordsErgs(len, G.G_COPY_WORD);
        if (this.ergs < 0 && this.overdrawn(pc)) return this.fail(pc);
        if (this.mem.want !== this.mem.size) this.mem.grow();
        this.native -= Number(len);
        if (len !== 0n) this.mem.copyFrom(Number(memOff), src, srcOff, Number(len));
        break;
      }
      case 0x38: stack[sp++] = BigInt(this.code.length); break;
      case 0x3a: stack[sp++] = this.sys.tx.gasPrice; break;
      case 0x3b: stack[sp - 1] = this.extCodeSize(stack[sp - 1] & ADDR_MASK); break;
      case 0x3c: {
        sp -= 4;
        const addr = stack[sp + 3] & ADDR_MASK, memOff = stack[sp + 2], srcOff = stack[sp + 1], len = stack[sp];
        const cost = this.mem.expand(memOff, len);
        if (cost === IMPOSSIBLE) return this.fail(pc);
        this.ergs -= cost + wordsErgs(len, G.G_COPY_WORD);
        if (this.ergs < 0 && this.overdrawn(pc)) return this.fail(pc);
        if (this.mem.want !== this.mem.size) this.mem.grow();
        const ext = this.extCode(addr);
        if (this.ergs < 0 && this.overdrawn(pc)) return this.fail(pc);
        this.native -= Number(len);
        if (len !== 0n) this.mem.copyFrom(Number(memOff), ext, srcOff, Number(len));
        break;
      }
      case 0x3d: stack[sp++] = BigInt(this.returnData.length); break;
      case 0x3f: stack[sp - 1] = this.extCodeHash(stack[sp - 1] & ADDR_MASK); break;
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
      case 0x54: stack[sp - 1] = this.sload(stack[sp - 1]); break;
      case 0x55:
        sp -= 2;
        // The last instruction of its block: ergs are exact for the sentry.
        if (this.isStatic || !this.sstore(stack[sp + 1], stack[sp]) || (this.ergs < 0 && this.exhausted())) return this.fail(pc);
        break;
      case 0x5c: this.native -= N.TRANSIENT_ACCESS; stack[sp - 1] = this.sys.io.tload(this.address, stack[sp - 1]); break;
      case 0x5d:
        sp -= 2;
        if (this.isStatic) return this.fail(pc);
        this.native -= N.TRANSIENT_ACCESS;
        this.sys.io.tstore(this.self, stack[sp + 1], stack[sp]);
        break;
      case 0x5e: {
        sp -= 3;
        const dst = stack[sp + 2], src = stack[sp + 1], len = stack[sp];
        let cost = this.mem.expand(src, len);
        if (cost !== IMPOSSIBLE) {
          const c2 = this.mem.expand(dst, len);
          cost = c2 === IMPOSSIBLE ? IMPOSSIBLE : cost + c2;
        }
        if (cost === IMPOSSIBLE) return this.fail(pc);
        this.ergs -= cost + wordsErgs(len, G.G_COPY_WORD);
        if (this.ergs < 0 && this.overdrawn(pc)) return this.fail(pc);
        if (this.mem.want !== this.mem.size) this.mem.grow();
        if (len !== 0n) this.mem.move(Number(dst), Number(src), Number(len));
        break;
      }
      case 0xa0: case 0xa1: case 0xa2: case 0xa3: case 0xa4: {
        if (this.isStatic) return this.fail(pc);
        const nTopics = op - 0xa0;
        sp -= 2;
        const off = stack[sp + 1], len = stack[sp];
        const cost = this.mem.expand(off, len);
        if (cost === IMPOSSIBLE || len > 0xffffffffn) return this.fail(pc);
        this.ergs -= cost + Number(len) * G.G_LOG_BYTE * ERGS_PER_GAS;
        if (this.ergs < 0 && this.overdrawn(pc)) return this.fail(pc);
        if (this.mem.want !== this.mem.size) this.mem.grow();
        const topics: bigint[] = new Array(nTopics);
        for (let i = 0; i < nTopics; i++) topics[i] = stack[--sp];
        this.log(topics, len === 0n ? 0 : Number(off), Number(len));
        break;
      }
      case 0xf0: case 0xf5: {
        if (this.isStatic) return this.fail(pc);
        const value = stack[sp - 1], off = stack[sp - 2], len = stack[sp - 3];
        const salt = op === 0xf5 ? stack[sp - 4] : 0n;
        this.sp = sp - (op === 0xf5 ? 4 : 3);
        if (!this.requestCreate(op, value, off, len, salt)) return this.fail(pc);
        return Preemption.DeployRequest;
      }
      case 0xf1: case 0xf2: case 0xf4: case 0xfa: {
        const hasValue = op === 0xf1 || op === 0xf2;
        const gas = stack[sp - 1], to = stack[sp - 2];
        const value = hasValue ? stack[sp - 3] : 0n;
        const base = hasValue ? sp - 4 : sp - 3;
        const argsOff = stack[base], argsLen = stack[base - 1], retOff = stack[base - 2], retLen = stack[base - 3];
        if (op === 0xf1 && this.isStatic && value !== 0n) return this.fail(pc);
        this.sp = base - 3;
        if (!this.requestCall(op, gas, to, value, argsOff, argsLen, retOff, retLen)) return this.fail(pc);
        return Preemption.CallRequest;
      }
      case 0xff: {
        if (this.isStatic) return this.fail(pc);
        this.selfdestruct(stack[--sp] & ADDR_MASK);
        if (this.ergs < 0 && this.exhausted()) return this.fail(pc);
        this.sp = sp;
        return this.isConstructor ? this.endConstructor(EMPTY_BYTES) : this.end(FrameStatus.Success, EMPTY_BYTES);
      }
      default:
        return this.fail(pc);
    }
    // Account, storage and transient reads charge as they go (ergs and native).
    if ((this.ergs < 0 || this.native < 0) && this.overdrawn(pc)) return this.fail(pc);
    this.sp = sp;
    return CONTINUE;
  }
}
