// The JSON block file `zkos ingest` reads, checked field by field (no schema library: the errors
// name the block, the transaction position and the field).
//
//   { "genesis"?: { "chainId"?, "timestamp"?, "accounts": { "0xADDRESS": { "balance"?, "nonce"?,
//                   "code"?: "0x…", "storage"?: { "0xKEY": "0xVALUE" } } } },
//     "blocks": [ { "context": { "number"?, "timestamp", "baseFee", "nativePrice", "gasPerPubdata"?,
//                                 "coinbase"?, "gasLimit"?, "mixHash"?, "chainId"? },
//                   "transactions": [ "0x…signed envelope…", { "type": "l1" | "upgrade", … } ] } ] }
//
// A bare array is taken as "blocks". Numbers are decimal strings, 0x hex strings, or JSON integers
// up to 2^53.
import { hexToBytes } from '../../machine/common/bytes.ts';
import type { L1TransactionInput } from '../../machine/tx/zksync/convert.ts';
import type { PreStateAccount } from '../../machine/oracle/memory.ts';

export class BlockFileError extends Error {
  override name = 'BlockFileError';
  constructor(
    /** Where: e.g. "block 2 (blocks[1]), transaction 3: gasLimit". */
    readonly where: string,
    readonly problem: string,
  ) {
    super(`${where}: ${problem}`);
  }
}

export interface IngestContext {
  number: bigint | null;
  timestamp: bigint;
  baseFee: bigint;
  nativePrice: bigint;
  gasPerPubdata: bigint;
  coinbase: bigint;
  gasLimit: bigint;
  mixHash: bigint;
  chainId: bigint | null;
}

export type IngestTx = { kind: 'envelope'; raw: Uint8Array } | { kind: 'l1' | 'upgrade'; input: L1TransactionInput };

export interface IngestBlock {
  /** Position in the file (0-based) and a label for messages. */
  index: number;
  context: IngestContext;
  transactions: IngestTx[];
}

export interface IngestFile {
  genesis: { chainId: bigint; timestamp: bigint; accounts: Map<bigint, PreStateAccount> } | null;
  blocks: IngestBlock[];
}

export const DEFAULT_GAS_LIMIT = 100_000_000n;
export const DEFAULT_GAS_PER_PUBDATA = 1n;
const MAX_U256 = (1n << 256n) - 1n;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function num(where: string, field: string, v: unknown, max = MAX_U256): bigint {
  let out: bigint;
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v) || v < 0) throw new BlockFileError(`${where}${field}`, `${v} is not a non-negative integer up to 2^53 (use a string for larger numbers)`);
    out = BigInt(v);
  } else if (typeof v === 'string' && /^(0x[0-9a-fA-F]+|[0-9]+)$/.test(v)) {
    out = BigInt(v);
  } else {
    throw new BlockFileError(`${where}${field}`, `expected a number (a decimal string or 0x hex), got ${JSON.stringify(v)}`);
  }
  if (out > max) throw new BlockFileError(`${where}${field}`, `${v} is out of range (at most ${max === MAX_U256 ? '2^256 - 1' : max})`);
  return out;
}

function address(where: string, field: string, v: unknown): bigint {
  if (typeof v !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(v)) throw new BlockFileError(`${where}${field}`, `expected an address (0x and 40 hex digits), got ${JSON.stringify(v)}`);
  return BigInt(v);
}

function bytes(where: string, field: string, v: unknown): Uint8Array {
  if (typeof v !== 'string' || !/^0x([0-9a-fA-F]{2})*$/.test(v)) throw new BlockFileError(`${where}${field}`, `expected bytes as 0x hex with an even number of digits, got ${JSON.stringify(short(v))}`);
  return hexToBytes(v);
}

const short = (v: unknown): unknown => (typeof v === 'string' && v.length > 80 ? `${v.slice(0, 77)}...` : v);

function only(where: string, o: Obj, allowed: readonly string[]): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) throw new BlockFileError(where.replace(/: ?$/, ''), `unknown field '${k}' (allowed: ${allowed.join(', ')})`);
}

function opt<T>(o: Obj, k: string, f: (v: unknown) => T, def: T): T {
  return o[k] === undefined ? def : f(o[k]);
}

const CONTEXT_FIELDS = ['number', 'timestamp', 'baseFee', 'nativePrice', 'gasPerPubdata', 'coinbase', 'gasLimit', 'mixHash', 'chainId'] as const;
const L1_FIELDS = ['type', 'from', 'to', 'gasLimit', 'gasPerPubdataByteLimit', 'maxFeePerGas', 'maxPriorityFeePerGas', 'nonce', 'value', 'data', 'toMint', 'refundRecipient', 'factoryDeps'] as const;
const U64 = (1n << 64n) - 1n;

function context(where: string, v: unknown): IngestContext {
  if (!isObj(v)) throw new BlockFileError(`${where}context`, 'expected an object with timestamp, baseFee, nativePrice, …');
  const w = `${where}context.`;
  only(w, v, CONTEXT_FIELDS);
  for (const k of ['timestamp', 'baseFee', 'nativePrice'] as const) if (v[k] === undefined) throw new BlockFileError(`${w}${k}`, 'is required');
  const c: IngestContext = {
    number: opt(v, 'number', (x) => num(w, 'number', x, U64), null),
    timestamp: num(w, 'timestamp', v.timestamp, U64),
    baseFee: num(w, 'baseFee', v.baseFee),
    nativePrice: num(w, 'nativePrice', v.nativePrice),
    gasPerPubdata: opt(v, 'gasPerPubdata', (x) => num(w, 'gasPerPubdata', x), DEFAULT_GAS_PER_PUBDATA),
    coinbase: opt(v, 'coinbase', (x) => address(w, 'coinbase', x), 0n),
    gasLimit: opt(v, 'gasLimit', (x) => num(w, 'gasLimit', x, U64), DEFAULT_GAS_LIMIT),
    mixHash: opt(v, 'mixHash', (x) => num(w, 'mixHash', x), 0n),
    chainId: opt(v, 'chainId', (x) => num(w, 'chainId', x, U64), null),
  };
  if (c.nativePrice === 0n) throw new BlockFileError(`${w}nativePrice`, 'must be positive (the native resource is priced by it)');
  return c;
}

function transaction(where: string, v: unknown): IngestTx {
  if (typeof v === 'string') return { kind: 'envelope', raw: bytes(where, 'envelope', v) };
  if (!isObj(v)) throw new BlockFileError(where.replace(/: ?$/, ''), `expected a signed transaction as 0x hex or an {"type": "l1" | "upgrade", …} object, got ${JSON.stringify(short(v))}`);
  only(where, v, L1_FIELDS);
  if (v.type !== 'l1' && v.type !== 'upgrade') throw new BlockFileError(`${where}type`, `expected "l1" or "upgrade", got ${JSON.stringify(v.type)}`);
  for (const k of ['from', 'to', 'gasLimit', 'gasPerPubdataByteLimit', 'maxFeePerGas', 'toMint', 'refundRecipient'] as const) {
    if (v[k] === undefined) throw new BlockFileError(`${where}${k}`, 'is required');
  }
  const input: L1TransactionInput = {
    from: address(where, 'from', v.from),
    to: address(where, 'to', v.to),
    gasLimit: num(where, 'gasLimit', v.gasLimit),
    gasPerPubdataByteLimit: num(where, 'gasPerPubdataByteLimit', v.gasPerPubdataByteLimit),
    maxFeePerGas: num(where, 'maxFeePerGas', v.maxFeePerGas),
    maxPriorityFeePerGas: opt(v, 'maxPriorityFeePerGas', (x) => num(where, 'maxPriorityFeePerGas', x), 0n),
    nonce: opt(v, 'nonce', (x) => num(where, 'nonce', x), 0n),
    value: opt(v, 'value', (x) => num(where, 'value', x), 0n),
    data: opt(v, 'data', (x) => bytes(where, 'data', x), new Uint8Array(0)),
    toMint: num(where, 'toMint', v.toMint),
    refundRecipient: address(where, 'refundRecipient', v.refundRecipient),
    factoryDeps: opt(
      v,
      'factoryDeps',
      (x) => {
        if (!Array.isArray(x)) throw new BlockFileError(`${where}factoryDeps`, 'expected an array of 32-byte hashes');
        return x.map((h, i) => {
          const b = bytes(where, `factoryDeps[${i}]`, h);
          if (b.length !== 32) throw new BlockFileError(`${where}factoryDeps[${i}]`, `expected 32 bytes, got ${b.length}`);
          return b;
        });
      },
      [],
    ),
  };
  return { kind: v.type, input };
}

function genesis(v: unknown): NonNullable<IngestFile['genesis']> {
  const w = 'genesis.';
  if (!isObj(v)) throw new BlockFileError('genesis', 'expected an object with accounts');
  only(w, v, ['chainId', 'timestamp', 'accounts']);
  if (!isObj(v.accounts)) throw new BlockFileError('genesis.accounts', 'expected an object mapping addresses to accounts');
  const accounts = new Map<bigint, PreStateAccount>();
  for (const [addr, a] of Object.entries(v.accounts)) {
    const aw = `genesis.accounts[${addr}].`;
    const at = address('genesis.accounts', ` key ${JSON.stringify(addr)}`, addr);
    if (!isObj(a)) throw new BlockFileError(`genesis.accounts[${addr}]`, 'expected an object with balance, nonce, code, storage');
    only(aw, a, ['balance', 'nonce', 'code', 'storage']);
    const storage = new Map<bigint, bigint>();
    if (a.storage !== undefined) {
      if (!isObj(a.storage)) throw new BlockFileError(`${aw}storage`, 'expected an object mapping slots to values');
      for (const [k, val] of Object.entries(a.storage)) storage.set(num(`${aw}storage`, ` key ${k}`, k), num(`${aw}storage.`, k, val));
    }
    accounts.set(at, {
      balance: opt(a, 'balance', (x) => num(aw, 'balance', x), 0n),
      nonce: opt(a, 'nonce', (x) => num(aw, 'nonce', x, U64), 0n),
      code: opt(a, 'code', (x) => bytes(aw, 'code', x), new Uint8Array(0)),
      storage,
    });
  }
  return {
    chainId: opt(v, 'chainId', (x) => num(w, 'chainId', x, U64), 270n),
    timestamp: opt(v, 'timestamp', (x) => num(w, 'timestamp', x, U64), 0n),
    accounts,
  };
}

/** Checks a parsed JSON value; throws BlockFileError naming the first problem. */
export function parseBlockFile(json: unknown): IngestFile {
  let top: Obj;
  if (Array.isArray(json)) top = { blocks: json };
  else if (isObj(json)) top = json;
  else throw new BlockFileError('file', 'expected an object {"genesis"?, "blocks"} or an array of blocks');
  only('file: ', top, ['genesis', 'blocks']);
  if (!Array.isArray(top.blocks)) throw new BlockFileError('file', '"blocks" must be an array');
  const blocks = top.blocks.map((b: unknown, i: number): IngestBlock => {
    const label = `blocks[${i}]`;
    if (!isObj(b)) throw new BlockFileError(label, 'expected an object with "context" and "transactions"');
    only(`${label}: `, b, ['context', 'transactions']);
    const ctx = context(`${label}.`, b.context);
    const named = ctx.number === null ? label : `block ${ctx.number} (${label})`;
    if (!Array.isArray(b.transactions)) throw new BlockFileError(`${named}.transactions`, 'expected an array');
    const transactions = b.transactions.map((t: unknown, j: number) => transaction(`${named}, transaction ${j}: `, t));
    return { index: i, context: ctx, transactions };
  });
  return { genesis: top.genesis === undefined ? null : genesis(top.genesis), blocks };
}
