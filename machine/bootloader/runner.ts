// The runner: dispatches frames iteratively (reference §3), so a 1024-deep call chain lives in an
// array, never on the JS stack. It owns what is common to every EE: depth, value transfer,
// snapshots, hooks, deployment bookkeeping, and the arena's lifetimes (machine/system/arena.ts):
// a frame's heap is released when it ends, return data are dropped at each spawn and replaced by
// what the spawn gives, and whatever leaves the machine (outputs, code, events) is copied out.
import { EMPTY_BYTES } from '../common/bytes.ts';
import { FrameStatus, Preemption, type CallRequest, type DeployRequest, type ExecutionEnvironment } from '../ee/types.ts';
import { EvmFramePool, deployedCodeAnalysis, initcodeAnalysis } from '../ee/evm/index.ts';
import { CALL_DEPTH_LIMIT } from '../ee/evm/gas.ts';
import type { HookTable } from '../hooks/table.ts';
import { MAX_U64 } from '../common/bytes.ts';
import { ERGS_PER_GAS, splitGas } from '../system/resources.ts';
import type { System } from '../system/system.ts';
import { IoEventKind } from '../system/events.ts';
import { CallModifier } from '../ee/types.ts';

const CALL_KIND: Record<number, string> = {
  [CallModifier.None]: 'call',
  [CallModifier.Static]: 'staticcall',
  [CallModifier.Delegate]: 'delegatecall',
  [CallModifier.DelegateStatic]: 'delegatecall',
  [CallModifier.Callcode]: 'callcode',
  [CallModifier.CallcodeStatic]: 'callcode',
};

export interface ExecutionOutcome {
  status: FrameStatus;
  output: Uint8Array;
  ergsLeft: number;
  /** Gas left beyond ergs (transactions above MAX_FRAME_GAS). */
  reserveLeft: bigint;
  native: number;
  /** The deployed address for a successful deployment. */
  created: bigint | null;
}

interface ActiveFrame {
  ee: ExecutionEnvironment;
  snapshot: number;
  /** The deployed address for constructor frames, else -1n. */
  deploying: bigint;
  /** The arena's heap top when the frame started: its heap and any above start here. */
  heapMark: number;
}

/** A spawn that finished without running any code (failure, precompile, empty account). */
interface Immediate {
  status: FrameStatus;
  output: Uint8Array;
  ergsLeft: number;
  reserveLeft: bigint;
}

export class Runner {
  private readonly pool = new EvmFramePool();
  private readonly frames: ActiveFrame[] = [];
  private native = 0;

  constructor(
    private readonly sys: System,
    private readonly hooks: HookTable,
  ) {}

  call(req: CallRequest, native: number): ExecutionOutcome {
    this.native = native;
    this.sys.arena.reset();
    const imm = this.beginCall(req, 0);
    if (imm !== null) return this.outcome(imm.status, imm.output, imm.ergsLeft, imm.reserveLeft, null);
    return this.loop();
  }

  deploy(req: DeployRequest, native: number): ExecutionOutcome {
    this.native = native;
    this.sys.arena.reset();
    const imm = this.beginDeploy(req, 0);
    if (imm !== null) return this.outcome(imm.status, imm.output, imm.ergsLeft, imm.reserveLeft, imm.status === FrameStatus.Success ? req.address : null);
    return this.loop();
  }

  private outcome(status: FrameStatus, output: Uint8Array, ergsLeft: number, reserveLeft: bigint, created: bigint | null): ExecutionOutcome {
    return { status, output, ergsLeft, reserveLeft, native: this.native, created };
  }

  private loop(): ExecutionOutcome {
    const frames = this.frames;
    const arena = this.sys.arena;
    for (;;) {
      const top = frames[frames.length - 1];
      const ee = top.ee;
      const p = ee.run();
      if (p === Preemption.CallRequest || p === Preemption.DeployRequest) {
        this.native = ee.native;
        arena.dropReturnData();
        const imm = p === Preemption.CallRequest ? this.beginCall(ee.pendingCall!, frames.length) : this.beginDeploy(ee.pendingDeploy!, frames.length);
        if (imm === null) continue;
        if (imm.status === FrameStatus.OutOfNative) return this.abortAll();
        ee.native = this.native;
        const ok = imm.status === FrameStatus.Success;
        if (p === Preemption.CallRequest) ee.resumeAfterCall(ok, arena.setReturnData(imm.output), imm.ergsLeft, imm.reserveLeft);
        else ee.resumeAfterDeploy(ok ? ee.pendingDeploy!.address : null, ok ? EMPTY_BYTES : arena.setReturnData(imm.output), imm.ergsLeft, imm.reserveLeft);
        continue;
      }
      // The frame completed.
      this.native = ee.native;
      if (ee.status === FrameStatus.OutOfNative) return this.abortAll();
      frames.pop();
      const io = this.sys.io;
      const status = ee.status;
      let created: bigint | null = null;
      if (status === FrameStatus.Success && top.deploying !== -1n) {
        // The output is a view of the constructor's heap; the code outlives it.
        io.deployCode(io.account(top.deploying), ee.output.slice());
        created = top.deploying;
      }
      if (status !== FrameStatus.Success) io.rollback(top.snapshot);
      const ergsLeft = ee.ergs;
      const reserveLeft = ee.reserve;
      const output = status === FrameStatus.Error ? EMPTY_BYTES : ee.output;
      if (io.events !== null) this.frameEnd(frames.length, status, ergsLeft, output);
      // The heap is released; its bytes stay put until the next growth or return data move them.
      arena.releaseTo(top.heapMark);
      const deployed = top.deploying !== -1n && status === FrameStatus.Success;
      if (frames.length === 0) return this.outcome(status, deployed ? EMPTY_BYTES : output.slice(), ergsLeft, reserveLeft, created);
      const parent = frames[frames.length - 1].ee;
      parent.native = this.native;
      const returnData = deployed ? EMPTY_BYTES : arena.setReturnData(output);
      if (p === Preemption.DeployCompleted) parent.resumeAfterDeploy(created, returnData, ergsLeft, reserveLeft);
      else parent.resumeAfterCall(status === FrameStatus.Success, returnData, ergsLeft, reserveLeft);
    }
  }

  /** Out of native: the whole execution is void; unwind every frame. */
  private abortAll(): ExecutionOutcome {
    const frames = this.frames;
    const first = frames.length > 0 ? frames[0].snapshot : this.sys.io.snapshot();
    frames.length = 0;
    this.sys.io.rollback(first);
    this.sys.arena.reset();
    return this.outcome(FrameStatus.OutOfNative, EMPTY_BYTES, 0, 0n, null);
  }

  private beginCall(req: CallRequest, depth: number): Immediate | null {
    const events = this.sys.io.events;
    if (events === null) return this.startCall(req, depth);
    // Event payloads are copies: calldata and outputs are views of the arena.
    events.push({ kind: IoEventKind.FrameStart, depth, callKind: CALL_KIND[req.modifier], caller: req.caller, callee: req.codeAddress, value: req.value, gas: Math.floor(req.ergs / ERGS_PER_GAS), input: req.input.slice() });
    const imm = this.startCall(req, depth);
    if (imm !== null) this.frameEnd(depth, imm.status, imm.ergsLeft, imm.output);
    return imm;
  }

  private frameEnd(depth: number, status: FrameStatus, ergsLeft: number, output: Uint8Array): void {
    this.sys.io.events?.push({ kind: IoEventKind.FrameEnd, depth, status, gasLeft: Math.floor(ergsLeft / ERGS_PER_GAS), output: output.slice() });
  }

  private startCall(req: CallRequest, depth: number): Immediate | null {
    if (depth > CALL_DEPTH_LIMIT) return { status: FrameStatus.Revert, output: EMPTY_BYTES, ergsLeft: req.ergs, reserveLeft: req.reserve };
    const io = this.sys.io;
    // CALL moves value from the caller to the callee; CALLCODE from the caller to itself.
    const from = io.account(req.caller);
    if (req.transfersValue && from.props.balance < req.value) return { status: FrameStatus.Revert, output: EMPTY_BYTES, ergsLeft: req.ergs, reserveLeft: req.reserve };
    const snapshot = io.snapshot();
    const context = io.account(req.contextAddress);
    if (req.transfersValue) io.transfer(from, context, req.value);
    else if (req.contextAddress === req.codeAddress) io.touch(context);
    const hook = this.hooks.get(req.codeAddress);
    if (hook !== undefined) {
      // Hooks see plain gas numbers; a reserve (gas above MAX_FRAME_GAS) only matters for what is left.
      const total = BigInt(Math.floor(req.ergs / ERGS_PER_GAS)) + req.reserve;
      const avail = total > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(total);
      const r = hook(req.input, avail, req, this.sys);
      this.native -= r.native;
      if (this.native < 0) return { status: FrameStatus.OutOfNative, output: EMPTY_BYTES, ergsLeft: 0, reserveLeft: 0n };
      if (r.status !== FrameStatus.Success) io.rollback(snapshot);
      if (r.status === FrameStatus.Error) return { status: r.status, output: r.output, ergsLeft: 0, reserveLeft: 0n };
      if (req.reserve === 0n) return { status: r.status, output: r.output, ergsLeft: req.ergs - r.gasUsed * ERGS_PER_GAS, reserveLeft: 0n };
      const [ergsLeft, reserveLeft] = splitGas(total - BigInt(r.gasUsed));
      return { status: r.status, output: r.output, ergsLeft, reserveLeft };
    }
    const codeAccount = req.codeAddress === req.contextAddress ? context : io.account(req.codeAddress);
    const code = io.code(codeAccount);
    if (code.length === 0) return { status: FrameStatus.Success, output: EMPTY_BYTES, ergsLeft: req.ergs, reserveLeft: req.reserve };
    const ee = this.pool.at(depth);
    const heapMark = this.sys.arena.heapTop;
    ee.init({
      sys: this.sys,
      code: deployedCodeAnalysis(codeAccount, code),
      self: context,
      caller: req.caller,
      value: req.value,
      input: req.input,
      ergs: req.ergs,
      reserve: req.reserve,
      native: this.native,
      isStatic: req.isStatic,
      isConstructor: false,
    });
    this.frames.push({ ee, snapshot, deploying: -1n, heapMark });
    return null;
  }

  private beginDeploy(req: DeployRequest, depth: number): Immediate | null {
    const events = this.sys.io.events;
    if (events === null) return this.startDeploy(req, depth);
    events.push({ kind: IoEventKind.FrameStart, depth, callKind: 'create', caller: req.deployer, callee: req.address, value: req.value, gas: Math.floor(req.ergs / ERGS_PER_GAS), input: req.initcode.slice() });
    const imm = this.startDeploy(req, depth);
    if (imm !== null) this.frameEnd(depth, imm.status, imm.ergsLeft, imm.output);
    return imm;
  }

  private startDeploy(req: DeployRequest, depth: number): Immediate | null {
    const fail: Immediate = { status: FrameStatus.Revert, output: EMPTY_BYTES, ergsLeft: req.ergs, reserveLeft: req.reserve };
    if (depth > CALL_DEPTH_LIMIT) return fail;
    const io = this.sys.io;
    const deployer = io.account(req.deployer);
    if (deployer.props.balance < req.value) return fail;
    if (req.incrementNonce) {
      if (deployer.props.nonce >= MAX_U64) return fail;
      io.setNonce(deployer, deployer.props.nonce + 1n);
    }
    const target = io.account(req.address);
    io.warmAccount(target);
    if (target.props.nonce !== 0n || target.props.bytecodeLen !== 0 || io.hasStorage(target)) {
      return { status: FrameStatus.Error, output: EMPTY_BYTES, ergsLeft: 0, reserveLeft: 0n };
    }
    const snapshot = io.snapshot();
    io.setNonce(target, 1n);
    io.markCreated(target);
    io.transfer(deployer, target, req.value);
    if (req.initcode.length === 0) {
      io.deployCode(target, EMPTY_BYTES);
      return { status: FrameStatus.Success, output: EMPTY_BYTES, ergsLeft: req.ergs, reserveLeft: req.reserve };
    }
    const ee = this.pool.at(depth);
    const heapMark = this.sys.arena.heapTop;
    ee.init({
      sys: this.sys,
      code: initcodeAnalysis(req.initcode),
      self: target,
      caller: req.deployer,
      value: req.value,
      input: EMPTY_BYTES,
      ergs: req.ergs,
      reserve: req.reserve,
      native: this.native,
      isStatic: false,
      isConstructor: true,
    });
    this.frames.push({ ee, snapshot, deploying: req.address, heapMark });
    return null;
  }
}
