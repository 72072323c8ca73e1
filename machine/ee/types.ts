// The execution-environment interface (reference §3.1). A frame runs until it reaches a
// preemption point; the bootloader's runner handles spawns and resumes the frame afterwards.
// Nothing here is specific to the EVM.

export const enum Preemption {
  CallRequest = 1,
  DeployRequest = 2,
  CallCompleted = 3,
  DeployCompleted = 4,
}

export const enum CallModifier {
  None = 0,
  Constructor = 1,
  Static = 2,
  Delegate = 3,
  DelegateStatic = 4,
  Callcode = 5,
  CallcodeStatic = 6,
}

/** How a frame ended. Only Success keeps its state changes. */
export const enum FrameStatus {
  Running = 0,
  Success = 1,
  Revert = 2,
  /** Exceptional halt: all ergs consumed, state rolled back. */
  Error = 3,
  /** The transaction ran out of native resource: fatal for the whole transaction. */
  OutOfNative = 4,
}

export interface CallRequest {
  /** msg.sender as the callee sees it. */
  caller: bigint;
  /** Whose code runs. */
  codeAddress: bigint;
  /** Whose storage and balance the callee acts on (differs from codeAddress for delegate/callcode). */
  contextAddress: bigint;
  /** CALLVALUE the callee sees. */
  value: bigint;
  /** Whether `value` actually moves from caller to contextAddress (CALL, CALLCODE). */
  transfersValue: boolean;
  input: Uint8Array;
  /** Ergs handed to the callee, stipend included. */
  ergs: number;
  /** Gas handed over beyond what ergs hold exactly (almost always 0n). */
  reserve: bigint;
  modifier: CallModifier;
  isStatic: boolean;
}

export interface DeployRequest {
  deployer: bigint;
  /** Derived by the EE from its address scheme (CREATE / CREATE2). */
  address: bigint;
  initcode: Uint8Array;
  value: bigint;
  ergs: number;
  reserve: bigint;
  /** CREATE/CREATE2 opcodes bump the deployer's nonce; a deployment transaction already did. */
  incrementNonce: boolean;
}

export interface ExecutionEnvironment {
  /** Runs to the next preemption point. */
  run(): Preemption;
  readonly pendingCall: CallRequest | null;
  readonly pendingDeploy: DeployRequest | null;
  readonly status: FrameStatus;
  readonly output: Uint8Array;
  /** Ergs left (what goes back to the caller when the frame completes). */
  ergs: number;
  /** Gas left beyond ergs. */
  reserve: bigint;
  /** The transaction's native resource: held by the running frame, never split. */
  native: number;
  /**
   * `output` is the frame's new return data, a view of the arena valid until the frame's next
   * spawn or its end. The input of a request may likewise be a view of the caller's heap.
   */
  resumeAfterCall(success: boolean, output: Uint8Array, ergsReturned: number, reserveReturned: bigint): void;
  /** `address` is null when the deployment failed; `output` is revert data, if any. */
  resumeAfterDeploy(address: bigint | null, output: Uint8Array, ergsReturned: number, reserveReturned: bigint): void;
}
