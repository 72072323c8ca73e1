// The two resources of a transaction (reference §7): EVM gas held as ergs, and the native
// resource that pays for proving. Derivation of the native limit (§7.2) and of gas used (§2.8).
import { gasUsedAfterRefund } from '../receipt.ts';
import { ERGS_PER_GAS, splitGas } from '../../system/resources.ts';
import { InvalidTransaction } from '../types.ts';
import { MAX_NATIVE_COMPUTATIONAL, type ZkValidationError } from './constants.ts';

export function reject(code: ZkValidationError, message: string): never {
  throw new InvalidTransaction(code, message);
}

export function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}

export interface MeterParams {
  gasLimit: bigint;
  nativePerGas: bigint;
  nativePerPubdata: bigint;
  intrinsicGas: bigint;
  /** Intrinsic native plus one per calldata byte. */
  intrinsicNative: bigint;
  intrinsicPubdata: bigint;
}

export class TxMeter {
  /** Ergs the frames may spend (gas × 256, at most MAX_FRAME_GAS gas). */
  ergs = 0;
  /** Gas beyond MAX_FRAME_GAS, held back from the frames and returned unused. */
  reserve = 0n;
  /** Native available to computation (at most 2^36). */
  native = 0;
  /** Native above 2^36, withheld until execution is over (§7.2). */
  withheld = 0n;
  /** gas_limit × native_per_gas: what native_used is measured against. */
  readonly nativeLimit: bigint;

  private constructor(readonly p: MeterParams) {
    this.nativeLimit = p.gasLimit * p.nativePerGas;
  }

  /** The §7.2 derivation; returns the error a failure means instead of the meter. */
  static derive(p: MeterParams): TxMeter | ZkValidationError {
    const m = new TxMeter(p);
    let native = m.nativeLimit - p.nativePerPubdata * p.intrinsicPubdata;
    if (native < 0n) return 'OutOfNativeResourcesDuringValidation';
    if (native > MAX_NATIVE_COMPUTATIONAL) {
      m.withheld = native - MAX_NATIVE_COMPUTATIONAL;
      native = MAX_NATIVE_COMPUTATIONAL;
    }
    native -= p.intrinsicNative;
    if (native < 0n) return 'OutOfNativeResourcesDuringValidation';
    m.native = Number(native);
    const gas = p.gasLimit - p.intrinsicGas;
    if (gas < 0n) return 'OutOfGasDuringValidation';
    [m.ergs, m.reserve] = splitGas(gas);
    return m;
  }

  /** An exhausted meter (an L1 transaction whose gas cannot even cover its intrinsic cost). */
  static exhausted(p: MeterParams): TxMeter {
    return new TxMeter(p);
  }

  get nativePerPubdata(): bigint {
    return this.p.nativePerPubdata;
  }

  chargeGas(gas: number): boolean {
    const e = gas * ERGS_PER_GAS;
    if (this.ergs < e) {
      if (this.reserve > 0n) {
        [this.ergs, this.reserve] = splitGas(BigInt(Math.floor(this.ergs / ERGS_PER_GAS)) + this.reserve);
        return this.chargeGas(gas);
      }
      this.ergs = 0;
      return false;
    }
    this.ergs -= e;
    return true;
  }

  /** Charges native; when it cannot be paid the counter is zeroed and false returned. */
  chargeNative(n: number | bigint): boolean {
    const v = Number(n);
    if (this.native < v) {
      this.native = 0;
      return false;
    }
    this.native -= v;
    return true;
  }

  /** Whether native (counting what is withheld) covers `n`. */
  covers(n: bigint): boolean {
    return BigInt(Math.max(this.native, 0)) + this.withheld >= n;
  }

  /** After execution the withheld native comes back (§7.2). */
  reclaimWithheld(): void {
    const total = BigInt(Math.max(this.native, 0)) + this.withheld;
    this.withheld = 0n;
    this.native = Number(total);
  }

  /** Everything is consumed (out of native during execution). */
  exhaust(): void {
    this.ergs = 0;
    this.reserve = 0n;
    this.native = 0;
    this.withheld = 0n;
  }

  nativeUsed(): bigint {
    return this.nativeLimit - BigInt(Math.max(this.native, 0)) - this.withheld;
  }

  /**
   * Gas charged (§2.8, with the design decision that EVM refunds exist): the EVM's gas used minus
   * its EIP-3529-capped refund counter, raised to cover the native used.
   */
  gasUsed(refundCounter: number): bigint {
    const gasLimit = this.p.gasLimit;
    let used = gasUsedAfterRefund(gasLimit, this.ergs, this.reserve, refundCounter);
    if (this.p.nativePerGas > 0n) {
      const fromNative = this.nativeUsed() / this.p.nativePerGas;
      if (fromNative > used) used = fromNative;
    }
    return used > gasLimit ? gasLimit : used;
  }
}
