// The IO events of a block as one compact blob (machine/system/events.ts).
//
//   u8 format (1) · varint event count · per event: u8 kind, then its fields in declaration order
//   integers: 1 length byte + minimal big-endian bytes · counts, depths, gas: LEB128 varints
//   byte strings: varint length + bytes · call kinds and statuses: a 1-byte token, or 0xff + text
//
// Every value has exactly one encoding, so two events are equal exactly when their encodings are:
// replay compares events by their bytes.
import { IoEventKind, type IoEvent, type IoEventSink } from '../machine/system/events.ts';
import { BlobDecodeError, ByteReader, ByteWriter, checkCrc, FramedBlobEncoder, type StoredBlob } from './binary.ts';
import { CorruptBlockData } from './errors.ts';

export const IO_EVENTS_FORMAT = 1;

const CALL_KINDS = ['call', 'delegatecall', 'callcode', 'staticcall', 'create'];
const TX_STATUSES = ['success', 'reverted'];
const LITERAL = 0xff;

function token(w: ByteWriter, s: string, table: string[]): void {
  const i = table.indexOf(s);
  if (i >= 0) w.u8(i);
  else w.u8(LITERAL).text(s);
}

function readToken(r: ByteReader, table: string[], what: string): string {
  const at = r.offset;
  const t = r.u8(what);
  if (t === LITERAL) {
    const s = r.text(what);
    if (table.includes(s)) r.fail(`${what} ${JSON.stringify(s)} spelled out instead of its token`, at);
    return s;
  }
  if (t >= table.length) r.fail(`unknown ${what} token ${t}`, at);
  return table[t];
}

export function writeIoEvent(w: ByteWriter, e: IoEvent): void {
  w.u8(e.kind);
  switch (e.kind) {
    case IoEventKind.StorageRead:
    case IoEventKind.StorageWrite:
      w.uint(e.address).uint(e.key).uint(e.value);
      break;
    case IoEventKind.Balance:
    case IoEventKind.Nonce:
      w.uint(e.address).uint(e.value);
      break;
    case IoEventKind.Code:
      if (e.codeHash.length !== 32) throw new RangeError(`code hash of ${e.codeHash.length} bytes`);
      w.uint(e.address).raw(e.codeHash);
      break;
    case IoEventKind.Log:
      if (e.topics.length > 255) throw new RangeError(`${e.topics.length} topics`);
      w.uint(e.address).u8(e.topics.length);
      for (const t of e.topics) w.uint(t);
      w.bytes(e.data);
      break;
    case IoEventKind.FrameStart:
      w.varint(e.depth);
      token(w, e.callKind, CALL_KINDS);
      w.uint(e.caller).uint(e.callee).uint(e.value).varint(e.gas).bytes(e.input);
      break;
    case IoEventKind.FrameEnd:
      w.varint(e.depth).varint(e.status).varint(e.gasLeft).bytes(e.output);
      break;
    case IoEventKind.TxStart:
      w.varint(e.index);
      break;
    case IoEventKind.TxEnd:
      w.varint(e.index);
      token(w, e.status, TX_STATUSES);
      break;
    case IoEventKind.L2ToL1:
      w.uint(e.sender).uint(e.key).bytes(e.value);
      break;
    default:
      throw new RangeError(`unknown IO event kind ${(e as { kind: number }).kind}`);
  }
}

function readIoEvent(r: ByteReader): IoEvent {
  const at = r.offset;
  const kind = r.u8('event kind');
  switch (kind) {
    case IoEventKind.StorageRead:
    case IoEventKind.StorageWrite:
      return { kind, address: r.uint('address', 20), key: r.uint('key'), value: r.uint('value') };
    case IoEventKind.Balance:
    case IoEventKind.Nonce:
      return { kind, address: r.uint('address', 20), value: r.uint('value') };
    case IoEventKind.Code:
      return { kind, address: r.uint('address', 20), codeHash: r.raw(32, 'code hash') };
    case IoEventKind.Log: {
      const address = r.uint('address', 20);
      const n = r.u8('topic count');
      const topics: bigint[] = [];
      for (let k = 0; k < n; k++) topics.push(r.uint('topic'));
      return { kind, address, topics, data: r.bytes('log data') };
    }
    case IoEventKind.FrameStart: {
      const depth = r.varint('depth');
      const callKind = readToken(r, CALL_KINDS, 'call kind');
      const caller = r.uint('caller', 20);
      const callee = r.uint('callee', 20);
      const value = r.uint('value');
      return { kind, depth, callKind, caller, callee, value, gas: r.varint('gas'), input: r.bytes('input') };
    }
    case IoEventKind.FrameEnd:
      return { kind, depth: r.varint('depth'), status: r.varint('status'), gasLeft: r.varint('gas left'), output: r.bytes('output') };
    case IoEventKind.TxStart:
      return { kind, index: r.varint('tx index') };
    case IoEventKind.TxEnd: {
      const index = r.varint('tx index');
      return { kind, index, status: readToken(r, TX_STATUSES, 'tx status') };
    }
    case IoEventKind.L2ToL1:
      return { kind, sender: r.uint('sender', 20), key: r.uint('key'), value: r.bytes('message') };
    default:
      return r.fail(`unknown IO event kind ${kind}`, at);
  }
}

export function encodeIoEvents(events: readonly IoEvent[]): StoredBlob {
  return new IoEventEncoder(48 * events.length).encode(events);
}

/**
 * A sink that encodes each event as the machine emits it: a block's thousands of events die
 * young instead of living (and being copied by every scavenge) until the block is stored.
 */
export class IoEventEncoder extends FramedBlobEncoder<IoEvent> implements IoEventSink {
  constructor(capacity = 4096) {
    super(IO_EVENTS_FORMAT, capacity);
  }

  protected write(w: ByteWriter, e: IoEvent): void {
    writeIoEvent(w, e);
  }
}

/** One event's encoding (what replay compares). */
export function encodeIoEvent(e: IoEvent): Uint8Array {
  const w = new ByteWriter(64);
  writeIoEvent(w, e);
  return w.finish();
}

export interface DecodedEvents {
  events: IoEvent[];
  /** Byte range of each event in the blob: event i is bytes[starts[i], starts[i+1]). */
  starts: number[];
}

/** The IO events of `block`; throws CorruptBlockData on a bad checksum or encoding. */
export function decodeIoEvents(block: number, bytes: Uint8Array, crc: number): DecodedEvents {
  checkCrc(block, 'io_events', bytes, crc);
  return readIoEvents(block, bytes);
}

/**
 * The IO events of a blob whose checksum is already verified, or that was never stored (a
 * replay's own); throws CorruptBlockData on a bad encoding.
 */
export function readIoEvents(block: number, bytes: Uint8Array): DecodedEvents {
  const r: ByteReader = new ByteReader(bytes);
  const events: IoEvent[] = [];
  const starts: number[] = [];
  let index = -1;
  try {
    const format = r.u8('format');
    if (format !== IO_EVENTS_FORMAT) r.fail(`unknown IO events format ${format}`, 0);
    const count = r.varint('event count');
    for (index = 0; index < count; index++) {
      starts.push(r.offset);
      events.push(readIoEvent(r));
    }
    starts.push(r.offset);
    index = -1;
    r.end('the last event');
  } catch (e) {
    if (e instanceof BlobDecodeError) throw new CorruptBlockData(block, 'io_events', 'UNDECODABLE', index, e.offset, e.detail);
    throw e;
  }
  return { events, starts };
}

/** A readable one-line form of an event (hex integers), for verdicts and messages. */
export function describeIoEvent(e: IoEvent | null): string {
  if (e === null) return 'nothing';
  return JSON.stringify(e, (_k, v) => (typeof v === 'bigint' ? '0x' + v.toString(16) : v instanceof Uint8Array ? '0x' + Buffer.from(v).toString('hex') : v));
}
