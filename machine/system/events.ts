// IO events: the audit trail of what a block did, in order. Replays must reproduce them event
// for event. Reverted work stays in the trail, followed by the frame's end with its outcome.

export const enum IoEventKind {
  StorageRead = 1,
  StorageWrite = 2,
  Balance = 3,
  Nonce = 4,
  Code = 5,
  Log = 6,
  FrameStart = 7,
  FrameEnd = 8,
  TxStart = 9,
  TxEnd = 10,
  L2ToL1 = 11,
}

export type IoEvent =
  | { kind: IoEventKind.StorageRead | IoEventKind.StorageWrite; address: bigint; key: bigint; value: bigint }
  | { kind: IoEventKind.Balance | IoEventKind.Nonce; address: bigint; value: bigint }
  | { kind: IoEventKind.Code; address: bigint; codeHash: Uint8Array }
  | { kind: IoEventKind.Log; address: bigint; topics: bigint[]; data: Uint8Array }
  | {
      kind: IoEventKind.FrameStart;
      depth: number;
      /** 'call' | 'delegatecall' | 'callcode' | 'staticcall' | 'create' */
      callKind: string;
      caller: bigint;
      callee: bigint;
      value: bigint;
      gas: number;
      input: Uint8Array;
    }
  | { kind: IoEventKind.FrameEnd; depth: number; status: number; gasLeft: number; output: Uint8Array }
  | { kind: IoEventKind.TxStart; index: number }
  | { kind: IoEventKind.TxEnd; index: number; status: string }
  | { kind: IoEventKind.L2ToL1; sender: bigint; key: bigint; value: Uint8Array };

/** Where the IO subsystem writes its events; null when nobody listens (no cost). */
export interface IoEventSink {
  push(e: IoEvent): void;
}

export class IoEventLog implements IoEventSink {
  readonly events: IoEvent[] = [];
  push(e: IoEvent): void {
    this.events.push(e);
  }
}
