// The IO subsystem: accounts, storage, transient storage and logs for one block, read lazily
// through the oracle and changed under a journal so any frame can be rolled back (reference §3.5).
import { EMPTY_BYTES, bytesEqual, bytesToBigInt, writeBigInt } from '../common/bytes.ts';
import { OracleError, type Oracle } from '../oracle/types.ts';
import {
  ACCOUNT_ENCODING_LENGTH,
  ACCOUNT_PROPERTIES_STORAGE_ADDRESS,
  decodeProperties,
  defaultProperties,
  evmCodeProperties,
  EVM_DEPLOYED_VERSIONING,
  type AccountProperties,
} from './account.ts';
import { blake2s, keccak256 } from '../crypto/index.ts';
import { IoEventKind, type IoEventSink } from './events.ts';
import { BOOTLOADER_FORMAL_ADDRESS, L1_MESSENGER_ADDRESS, type BytecodeDetails, type L2ToL1Log, type L2ToL1Message } from './l2-logs.ts';
import { AccountEntry, SlotEntry, hashKey, isEmpty, type Log } from './entries.ts';

export { AccountEntry, SlotEntry, codeHash, hashKey, isEmpty, type Log } from './entries.ts';
export { BOOTLOADER_FORMAL_ADDRESS, L1_MESSENGER_ADDRESS, type BytecodeDetails, type L2ToL1Log, type L2ToL1Message } from './l2-logs.ts';

const enum J {
  Balance,
  Nonce,
  Code,
  SlotValue,
  SlotWarm,
  AccountWarm,
  Touch,
  Created,
  Destruct,
  Transient,
  Log,
  Refund,
  /** An L2→L1 log; prevNum = 1 when a user message came with it. */
  L2Log,
}

interface JournalEntry {
  kind: J;
  account: AccountEntry | null;
  slot: SlotEntry | null;
  prev: bigint;
  prevNum: number;
  prevProps: AccountProperties | null;
  prevCode: Uint8Array | null;
}

function entry(kind: J, account: AccountEntry | null, slot: SlotEntry | null, prev: bigint, prevNum: number): JournalEntry {
  return { kind, account, slot, prev, prevNum, prevProps: null, prevCode: null };
}

export class IO {
  readonly accounts = new Map<bigint, AccountEntry>();
  /** The current transaction's index in the block (invalid transactions count too). */
  tx = -1;
  refund = 0;
  logs: Log[] = [];
  /** L2→L1 logs and user messages of the whole block, in order (reference §5.4). */
  readonly l2ToL1Logs: L2ToL1Log[] = [];
  readonly l2ToL1Messages: L2ToL1Message[] = [];
  private journal: JournalEntry[] = [];
  private transient = new Map<bigint, Map<bigint, bigint>>();
  private txTouched: AccountEntry[] = [];
  private txDestructed: AccountEntry[] = [];
  /** Code deployed in this block, keyed by its Blake2s hash as hex. */
  readonly newPreimages = new Map<string, { hash: Uint8Array; bytes: Uint8Array }>();
  /** Slot value most recently read or written was cold (saves allocating a result pair). */
  lastCold = false;

  constructor(
    private readonly oracle: Oracle,
    /** Receives IO events when set; checked before building any event object. */
    readonly events: IoEventSink | null = null,
    /** Proving mode: every preimage must hash to what was asked (reference §4.5). */
    private readonly verifyPreimages = false,
    /** EIP-7610: creations collide with accounts that have storage (the ethereum profile). */
    private readonly storageCollisions = false,
  ) {}

  /** Whether a creation at this account collides because of its storage (EIP-7610). */
  hasStorage(a: AccountEntry): boolean {
    if (!this.storageCollisions) return false;
    for (const s of a.storage.values()) if (s.value !== 0n) return true;
    if (a.storageCleared) return false;
    if (a.hadStorage === undefined) {
      if (!this.oracle.accountHasStorage) throw new OracleError('UNSUPPORTED_QUERY', 'the oracle cannot tell whether an account has storage');
      a.hadStorage = this.oracle.accountHasStorage(a.address);
    }
    return a.hadStorage;
  }

  /** The preimage of `hash`, cut to `len` bytes; in proving mode its blake2s must match. */
  private preimage(hash: Uint8Array, len: number, what: string): Uint8Array {
    const pre = this.oracle.preimage(hash);
    if (pre.length < len) throw new OracleError('PREIMAGE_TOO_SHORT', `${what} preimage has ${pre.length} bytes, expected ${len}`);
    const cut = pre.length === len ? pre : pre.subarray(0, len);
    if (this.verifyPreimages && !bytesEqual(blake2s(cut), hash)) {
      throw new OracleError('PREIMAGE_MISMATCH', `${what} preimage does not hash to ${hashKey(hash)}`);
    }
    return cut;
  }

  // ---- transactions -------------------------------------------------------------------------

  beginTx(): void {
    this.tx++;
    this.journal.length = 0;
    this.transient.clear();
    this.refund = 0;
    this.logs = [];
    this.txTouched.length = 0;
    this.txDestructed.length = 0;
  }

  /**
   * Ends the transaction: accounts self-destructed in the transaction that created them are
   * deleted, and with `clearEmpty` (EIP-161) so is every touched account that is empty.
   */
  finishTx(clearEmpty: boolean): void {
    for (const a of this.txDestructed) if (a.destructTx === this.tx) this.deleteAccount(a);
    if (clearEmpty) {
      for (const a of this.txTouched) {
        if (a.touchedTx === this.tx && isEmpty(a.props) && !a.storageCleared) this.deleteAccount(a);
      }
    }
    this.journal.length = 0;
  }

  private deleteAccount(a: AccountEntry): void {
    a.props = defaultProperties();
    a.code = EMPTY_BYTES;
    a.bytecodeNotPublished = false;
    a.storageCleared = true;
    for (const s of a.storage.values()) {
      s.value = 0n;
      s.original = 0n;
    }
  }

  // ---- snapshots -----------------------------------------------------------------------------

  snapshot(): number {
    return this.journal.length;
  }

  rollback(to: number): void {
    const j = this.journal;
    for (let i = j.length - 1; i >= to; i--) {
      const e = j[i];
      const a = e.account!;
      switch (e.kind) {
        case J.Balance:
          a.props.balance = e.prev;
          break;
        case J.Nonce:
          a.props.nonce = e.prev;
          break;
        case J.Code:
          a.props = e.prevProps!;
          a.code = e.prevCode;
          a.bytecodeNotPublished = e.prevNum === 1;
          break;
        case J.SlotValue:
          e.slot!.value = e.prev;
          break;
        case J.SlotWarm:
          e.slot!.warmTx = e.prevNum;
          break;
        case J.AccountWarm:
          a.warmTx = e.prevNum;
          break;
        case J.Touch:
          a.touchedTx = e.prevNum;
          break;
        case J.Created:
          a.createdTx = e.prevNum;
          break;
        case J.Destruct:
          a.destructTx = e.prevNum;
          break;
        case J.Transient:
          this.transient.get(a.address)!.set(e.prev, e.slot!.value);
          break;
        case J.Log:
          this.logs.pop();
          break;
        case J.Refund:
          this.refund = e.prevNum;
          break;
        case J.L2Log:
          this.l2ToL1Logs.pop();
          if (e.prevNum === 1) this.l2ToL1Messages.pop();
          break;
      }
    }
    j.length = to;
  }

  // ---- accounts ------------------------------------------------------------------------------

  account(address: bigint): AccountEntry {
    let a = this.accounts.get(address);
    if (a === undefined) {
      a = this.loadAccount(address);
      this.accounts.set(address, a);
    }
    return a;
  }

  private loadAccount(address: bigint): AccountEntry {
    const slot = this.oracle.initialStorageSlot(ACCOUNT_PROPERTIES_STORAGE_ADDRESS, address);
    if (slot.value === 0n) return new AccountEntry(address, defaultProperties(), 0n, slot.isNew);
    const hash = new Uint8Array(32);
    for (let i = 31, v = slot.value; i >= 0; i--, v >>= 8n) hash[i] = Number(v & 0xffn);
    const preimage = this.preimage(hash, ACCOUNT_ENCODING_LENGTH, 'account');
    return new AccountEntry(address, decodeProperties(preimage), slot.value, slot.isNew);
  }

  code(a: AccountEntry): Uint8Array {
    if (a.code !== null) return a.code;
    const len = a.props.bytecodeLen;
    if (len === 0) {
      a.code = EMPTY_BYTES;
    } else {
      a.code = this.preimage(a.props.bytecodeHash, len, 'bytecode');
    }
    return a.code;
  }

  /** Marks the account warm; returns whether it was cold (EIP-2929). */
  warmAccount(a: AccountEntry): boolean {
    if (a.warmTx === this.tx) return false;
    this.journal.push(entry(J.AccountWarm, a, null, 0n, a.warmTx));
    a.warmTx = this.tx;
    return true;
  }

  /**
   * Warms an account for the rest of the transaction before its first frame runs (EIP-2929's
   * starting set). Not journaled: warmth is per transaction, and no rollback within the
   * transaction reaches below its first frame's snapshot.
   */
  warmForTx(a: AccountEntry): void {
    a.warmTx = this.tx;
  }

  /** A slot's warmForTx (EIP-2930 access lists). */
  warmSlotForTx(s: SlotEntry): void {
    s.warmTx = this.tx;
  }

  touch(a: AccountEntry): void {
    if (a.touchedTx === this.tx) return;
    this.journal.push(entry(J.Touch, a, null, 0n, a.touchedTx));
    a.touchedTx = this.tx;
    this.txTouched.push(a);
  }

  setBalance(a: AccountEntry, v: bigint): void {
    this.journal.push(entry(J.Balance, a, null, a.props.balance, 0));
    a.props.balance = v;
    if (this.events !== null) this.events.push({ kind: IoEventKind.Balance, address: a.address, value: v });
  }

  /** Moves value between accounts; false (and no change) when the sender cannot afford it. */
  transfer(from: AccountEntry, to: AccountEntry, value: bigint): boolean {
    if (from.props.balance < value) return false;
    this.touch(from);
    this.touch(to);
    if (value === 0n) return true;
    this.setBalance(from, from.props.balance - value);
    this.setBalance(to, to.props.balance + value);
    return true;
  }

  setNonce(a: AccountEntry, v: bigint): void {
    this.journal.push(entry(J.Nonce, a, null, a.props.nonce, 0));
    a.props.nonce = v;
    if (this.events !== null) this.events.push({ kind: IoEventKind.Nonce, address: a.address, value: v });
  }

  deployCode(a: AccountEntry, code: Uint8Array): void {
    const e = entry(J.Code, a, null, 0n, a.bytecodeNotPublished ? 1 : 0);
    e.prevProps = a.props;
    e.prevCode = a.code;
    this.journal.push(e);
    a.props = evmCodeProperties(a.props, code);
    a.code = code;
    a.bytecodeNotPublished = false;
    if (code.length > 0) this.newPreimages.set(hashKey(a.props.bytecodeHash), { hash: a.props.bytecodeHash, bytes: code });
    if (this.events !== null) this.events.push({ kind: IoEventKind.Code, address: a.address, codeHash: a.props.observableHash });
  }

  /**
   * Installs EVM code by reference (reference §4.9, contract deployer hook): the account becomes a
   * deployed EVM contract whose bytes the oracle serves by `bytecodeHash`; no preimage is recorded
   * and pubdata carries the hash only.
   */
  setBytecodeDetails(a: AccountEntry, d: BytecodeDetails): void {
    const e = entry(J.Code, a, null, 0n, a.bytecodeNotPublished ? 1 : 0);
    e.prevProps = a.props;
    e.prevCode = a.code;
    this.journal.push(e);
    a.props = {
      ...a.props,
      versioning: EVM_DEPLOYED_VERSIONING,
      bytecodeHash: d.bytecodeHash.slice(),
      bytecodeLen: d.bytecodeLen,
      artifactsLen: 0,
      observableHash: d.observableHash.slice(),
      observableLen: d.observableLen,
    };
    a.code = null;
    a.bytecodeNotPublished = true;
    if (this.events !== null) this.events.push({ kind: IoEventKind.Code, address: a.address, codeHash: a.props.observableHash });
  }

  markCreated(a: AccountEntry): void {
    this.journal.push(entry(J.Created, a, null, 0n, a.createdTx));
    a.createdTx = this.tx;
  }

  /** EIP-6780: only an account created in this transaction is actually deleted. */
  markDestructed(a: AccountEntry): void {
    if (a.createdTx !== this.tx || a.destructTx === this.tx) return;
    this.journal.push(entry(J.Destruct, a, null, 0n, a.destructTx));
    a.destructTx = this.tx;
    this.txDestructed.push(a);
  }

  // ---- storage -------------------------------------------------------------------------------

  slot(a: AccountEntry, key: bigint): SlotEntry {
    let s = a.storage.get(key);
    if (s === undefined) {
      const init = this.oracle.initialStorageSlot(a.address, key);
      s = new SlotEntry(key, init.isNew, init.value);
      if (a.storageCleared) s.value = s.original = 0n;
      a.storage.set(key, s);
    }
    if (s.originalTx !== this.tx) {
      s.original = s.value;
      s.originalTx = this.tx;
    }
    return s;
  }

  /** Marks the slot warm; returns whether it was cold. */
  warmSlot(s: SlotEntry): boolean {
    if (s.warmTx === this.tx) return false;
    this.journal.push(entry(J.SlotWarm, null, s, 0n, s.warmTx));
    s.warmTx = this.tx;
    return true;
  }

  sload(a: AccountEntry, key: bigint): bigint {
    const s = this.slot(a, key);
    this.lastCold = this.warmSlot(s);
    if (this.events !== null) this.events.push({ kind: IoEventKind.StorageRead, address: a.address, key, value: s.value });
    return s.value;
  }

  writeSlot(a: AccountEntry, s: SlotEntry, value: bigint): void {
    if (this.events !== null) this.events.push({ kind: IoEventKind.StorageWrite, address: a.address, key: s.key, value });
    if (s.value === value) return;
    this.journal.push(entry(J.SlotValue, null, s, s.value, 0));
    s.value = value;
  }

  addRefund(delta: number): void {
    this.journal.push(entry(J.Refund, null, null, 0n, this.refund));
    this.refund += delta;
  }

  // ---- transient storage (EIP-1153) -----------------------------------------------------------

  tload(address: bigint, key: bigint): bigint {
    return this.transient.get(address)?.get(key) ?? 0n;
  }

  tstore(a: AccountEntry, key: bigint, value: bigint): void {
    let m = this.transient.get(a.address);
    if (m === undefined) {
      m = new Map();
      this.transient.set(a.address, m);
    }
    const prev = m.get(key) ?? 0n;
    if (prev === value) return;
    // The slot field carries the value to restore; the prev field carries the key.
    const e = entry(J.Transient, a, new SlotEntry(key, false, prev), key, 0);
    this.journal.push(e);
    m.set(key, value);
  }

  // ---- logs ----------------------------------------------------------------------------------

  emitLog(address: bigint, topics: bigint[], data: Uint8Array): void {
    this.journal.push(entry(J.Log, null, null, 0n, 0));
    this.logs.push({ address, topics, data });
    if (this.events !== null) this.events.push({ kind: IoEventKind.Log, address, topics, data });
  }

  // ---- L2→L1 logs and messages (reference §5.4), rolled back with frames ----------------------

  /** Records a user message from `sender` and its log (sender 0x8008); returns keccak(data). */
  sendToL1(sender: bigint, data: Uint8Array): Uint8Array {
    const hash = keccak256(data);
    const key = new Uint8Array(32);
    writeBigInt(key, 12, sender, 20);
    this.journal.push(entry(J.L2Log, null, null, 0n, 1));
    this.l2ToL1Messages.push({ txNumber: this.tx, sender, data: data.slice(), hash });
    this.pushL2Log({ txNumber: this.tx, sender: L1_MESSENGER_ADDRESS, key, value: hash });
    return hash;
  }

  /** Records the result log of an L1→L2 (or upgrade) transaction (sender 0x8001). */
  logL1TxResult(txHash: Uint8Array, success: boolean): void {
    const value = new Uint8Array(32);
    value[31] = success ? 1 : 0;
    this.journal.push(entry(J.L2Log, null, null, 0n, 0));
    this.pushL2Log({ txNumber: this.tx, sender: BOOTLOADER_FORMAL_ADDRESS, key: txHash.slice(), value });
  }

  private pushL2Log(log: L2ToL1Log): void {
    this.l2ToL1Logs.push(log);
    if (this.events !== null) this.events.push({ kind: IoEventKind.L2ToL1, sender: log.sender, key: bytesToBigInt(log.key), value: log.value });
  }

  // ---- read-only views for fee and pubdata accounting -----------------------------------------

  /**
   * What the current transaction changed so far (rolled-back work excluded): every slot and
   * account it wrote, with the value each had when the transaction started.
   */
  txChanges(): { slots: Map<SlotEntry, bigint>; accounts: Map<AccountEntry, AccountProperties> } {
    const slots = new Map<SlotEntry, bigint>();
    const accounts = new Map<AccountEntry, AccountProperties>();
    const j = this.journal;
    // Undo the changes backwards on copies: what remains is the state at the start.
    for (let i = j.length - 1; i >= 0; i--) {
      const e = j[i];
      if (e.kind === J.SlotValue) {
        slots.set(e.slot!, e.prev);
      } else if (e.kind === J.Balance || e.kind === J.Nonce || e.kind === J.Code) {
        const a = e.account!;
        if (e.kind === J.Code) {
          accounts.set(a, { ...e.prevProps! });
          continue;
        }
        let p = accounts.get(a);
        if (p === undefined) {
          p = { ...a.props };
          accounts.set(a, p);
        }
        if (e.kind === J.Balance) p.balance = e.prev;
        else p.nonce = e.prev;
      }
    }
    return { slots, accounts };
  }
}

