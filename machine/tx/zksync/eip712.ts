// The ZKsync Era EIP-712 envelope (type 0x71) as wallets send it, and a signer for tools and tests.
//
// Envelope: 0x71 ‖ RLP of 16 items, in this order (index: field):
//    0 nonce            1 maxPriorityFeePerGas   2 maxFeePerGas     3 gasLimit
//    4 to (20 bytes)    5 value                  6 data             7 v (yParity 0/1)
//    8 r                9 s                     10 chainId         11 from (20 bytes)
//   12 gasPerPubdata   13 factoryDeps (list of bytecodes)          14 customSignature
//   15 paymasterParams ([] or [paymaster (20 bytes), paymasterInput])
// Sources: zksync-sdk/zksync-ethers `src/utils.ts` (serializeEip712 / parseEip712: raw[7..9] = v,r,s,
// raw[10] chainId, raw[11] from, raw[12] gasPerPubdata, raw[13] factoryDeps, raw[14]
// customSignature, raw[15] paymasterParams) and matter-labs/zksync-era
// `core/lib/types/src/transaction_request.rs` (TransactionRequest::rlp, from_bytes_unverified: 16
// items, `Eip712Meta::rlp_append`). Unsigned envelopes carry [chainId, "", ""] in items 7–9; wallets
// (zksync-ethers Signer.sendTransaction) often send that form with the 65-byte signature in
// customSignature, which then overrides v/r/s (as in Era's `get_signature`).
//
// The body keeps only bytecode *hashes* of factory deps (Era's `hashBytecode`, which the EIP-712
// struct signs); the bytecodes themselves are dropped (ZKsync OS ignores factory deps, §2.4).
import { bigIntToBytes, bigIntToMinimalBytes, bytesToBigInt, concatBytes } from '../../common/bytes.ts';
import {
  rlpDecode,
  rlpDecodeAddress,
  rlpDecodeUint,
  rlpEncode,
  rlpExpectBytes,
  rlpExpectList,
  RlpError,
  type RlpInput,
  type RlpItem,
} from '../../common/rlp.ts';
import { privateKeyToAddress, sha256, signHash } from '../../crypto/index.ts';
import { eip712SignedHash } from './hash.ts';
import { packZkSignature } from './signature.ts';
import { validateZkTransaction } from './structure.ts';
import { ZK_SIGNATURE_LENGTH, ZK_TX_TYPE_EIP712, ZkTxConvertError, type ZkTransaction } from './types.ts';

const FIELD_COUNT = 16;

/** The fields of a 0x71 transaction as a wallet fills them. */
export interface Eip712TxFields {
  nonce: bigint;
  maxPriorityFeePerGas: bigint;
  maxFeePerGas: bigint;
  gasLimit: bigint;
  to: bigint;
  value?: bigint;
  data?: Uint8Array;
  /** Required by the envelope; signEip712Transaction derives it from the key when absent. */
  from?: bigint;
  gasPerPubdata: bigint;
  /** Full bytecodes (Era format), as the envelope carries them. */
  factoryDeps?: Uint8Array[];
  /** Absent: paymasterParams = []. */
  paymaster?: bigint;
  paymasterInput?: Uint8Array;
}

/** How the envelope carries the signature: in v/r/s, or in customSignature (v/r/s = chainId, "", ""). */
export type Eip712Signature = { yParity: number; r: bigint; s: bigint } | { customSignature: Uint8Array };

/**
 * Era's bytecode hash (zksync-ethers `hashBytecode`): sha256(bytecode) with bytes 0..1 = 0x01 0x00
 * (version) and bytes 2..3 = the length in 32-byte words, big-endian. The bytecode must be a whole,
 * odd number of words, fewer than 2^16.
 */
export function eraBytecodeHash(bytecode: Uint8Array): Uint8Array {
  const words = bytecode.length / 32;
  if (!Number.isInteger(words) || words % 2 === 0 || words >= 1 << 16) {
    throw new ZkTxConvertError('EIP712_BAD_BYTECODE', `a bytecode of ${bytecode.length} bytes is not an odd number of 32-byte words under 2^16`, {
      field: 'factoryDeps',
    });
  }
  const h = sha256(bytecode).slice();
  h[0] = 1;
  h[1] = 0;
  h[2] = words >> 8;
  h[3] = words & 0xff;
  return h;
}

function toZk(f: Eip712TxFields & { from: bigint }, signature: Uint8Array): ZkTransaction {
  return {
    txType: ZK_TX_TYPE_EIP712,
    from: f.from,
    to: f.to,
    gasLimit: f.gasLimit,
    gasPerPubdataLimit: f.gasPerPubdata,
    maxFeePerGas: f.maxFeePerGas,
    maxPriorityFeePerGas: f.maxPriorityFeePerGas,
    paymaster: f.paymaster ?? 0n,
    nonce: f.nonce,
    value: f.value ?? 0n,
    reserved: [0n, 0n, 0n, 0n],
    data: f.data ?? new Uint8Array(0),
    signature,
    factoryDeps: (f.factoryDeps ?? []).map(eraBytecodeHash),
    paymasterInput: f.paymasterInput ?? new Uint8Array(0),
    accessList: null,
  };
}

/** Runs an RLP helper, turning its RlpError into EIP712_BAD_FIELD about `field`. */
function field<T>(name: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof RlpError) throw new ZkTxConvertError('EIP712_BAD_FIELD', `${name}: ${e.message}`, { field: name, cause: e });
    throw e;
  }
}

/** A 0x71 envelope → ZkTransaction for a chain with id `chainId` (the envelope's must match). */
export function fromEip712Envelope(raw: Uint8Array, chainId: bigint): ZkTransaction {
  if (raw.length === 0 || raw[0] !== ZK_TX_TYPE_EIP712) throw new ZkTxConvertError('EIP712_WRONG_TYPE', 'the envelope does not start with 0x71');
  let item: RlpItem;
  try {
    item = rlpDecode(raw.subarray(1));
  } catch (e) {
    if (e instanceof RlpError) throw new ZkTxConvertError('EIP712_RLP', e.message, { cause: e });
    throw e;
  }
  if (item instanceof Uint8Array || item.length !== FIELD_COUNT) {
    const n = item instanceof Uint8Array ? 'a string' : `${item.length} items`;
    throw new ZkTxConvertError('EIP712_FIELD_COUNT', `expected a list of ${FIELD_COUNT} items, got ${n}`);
  }
  const it = item;
  const uint = (i: number, name: string): bigint => field(name, () => rlpDecodeUint(it[i], name));
  const bytes = (i: number, name: string): Uint8Array => field(name, () => rlpExpectBytes(it[i], name)).slice();

  const to = field('to', () => rlpDecodeAddress(it[4], 'to', true));
  if (to === null) throw new ZkTxConvertError('EIP712_NO_TO', 'type 0x71 transactions cannot create contracts (empty to)', { field: 'to' });
  const envelopeChainId = uint(10, 'chainId');
  if (envelopeChainId !== chainId) {
    throw new ZkTxConvertError('WRONG_CHAIN_ID', `signed for chain ${envelopeChainId}, this chain is ${chainId}`, { field: 'chainId' });
  }
  const from = field('from', () => rlpDecodeAddress(it[11], 'from')) as bigint;
  const deps = field('factoryDeps', () => rlpExpectList(it[13], 'factoryDeps')).map((d, i) =>
    field(`factoryDeps[${i}]`, () => rlpExpectBytes(d, `factoryDeps[${i}]`)),
  );
  const customSignature = bytes(14, 'customSignature');
  const pm = field('paymasterParams', () => rlpExpectList(it[15], 'paymasterParams'));
  let paymaster: bigint | undefined;
  let paymasterInput: Uint8Array | undefined;
  if (pm.length === 2 && pm[0] instanceof Uint8Array && pm[0].length === 20 && pm[1] instanceof Uint8Array) {
    paymaster = bytesToBigInt(pm[0]);
    paymasterInput = pm[1].slice();
  } else if (pm.length !== 0) {
    throw new ZkTxConvertError('EIP712_BAD_PAYMASTER_PARAMS', 'paymasterParams must be [] or [address, input]', { field: 'paymasterParams' });
  }

  let signature: Uint8Array;
  if (customSignature.length > 0) {
    signature = customSignature;
  } else {
    const r = uint(8, 'r');
    const s = uint(9, 's');
    if (r === 0n && s === 0n) throw new ZkTxConvertError('EIP712_UNSIGNED', 'no signature (r, s and customSignature are empty)');
    const v = uint(7, 'v');
    if (v > 1n) throw new ZkTxConvertError('EIP712_INVALID_Y_PARITY', `v = ${v}, expected 0 or 1`, { field: 'v' });
    signature = packZkSignature(r, s, Number(v));
  }
  const tx = toZk(
    {
      nonce: uint(0, 'nonce'),
      maxPriorityFeePerGas: uint(1, 'maxPriorityFeePerGas'),
      maxFeePerGas: uint(2, 'maxFeePerGas'),
      gasLimit: uint(3, 'gasLimit'),
      to,
      value: uint(5, 'value'),
      data: bytes(6, 'data'),
      from,
      gasPerPubdata: uint(12, 'gasPerPubdata'),
      factoryDeps: deps,
      paymaster,
      paymasterInput,
    },
    signature,
  );
  validateZkTransaction(tx);
  return tx;
}

/** The envelope bytes (what fromEip712Envelope reads). */
export function encodeEip712Envelope(fields: Eip712TxFields & { from: bigint }, chainId: bigint, sig: Eip712Signature): Uint8Array {
  const u = bigIntToMinimalBytes;
  const vrs: RlpInput[] =
    'customSignature' in sig ? [u(chainId), new Uint8Array(0), new Uint8Array(0)] : [u(BigInt(sig.yParity)), u(sig.r), u(sig.s)];
  const items: RlpInput[] = [
    u(fields.nonce),
    u(fields.maxPriorityFeePerGas),
    u(fields.maxFeePerGas),
    u(fields.gasLimit),
    bigIntToBytes(fields.to, 20),
    u(fields.value ?? 0n),
    fields.data ?? new Uint8Array(0),
    ...vrs,
    u(chainId),
    bigIntToBytes(fields.from, 20),
    u(fields.gasPerPubdata),
    fields.factoryDeps ?? [],
    'customSignature' in sig ? sig.customSignature : new Uint8Array(0),
    fields.paymaster === undefined ? [] : [bigIntToBytes(fields.paymaster, 20), fields.paymasterInput ?? new Uint8Array(0)],
  ];
  return concatBytes(Uint8Array.of(ZK_TX_TYPE_EIP712), rlpEncode(items));
}

/**
 * Signs a 0x71 transaction (EIP-712, domain "zkSync" / "2" / chainId) and encodes its envelope; for
 * tools and tests, never the machine. `form` picks where the signature goes (default v/r/s).
 */
export function signEip712Transaction(
  fields: Eip712TxFields,
  privateKey: Uint8Array,
  chainId: bigint,
  form: 'rsv' | 'customSignature' = 'rsv',
): Uint8Array {
  const f = { ...fields, from: fields.from ?? privateKeyToAddress(privateKey) };
  const hash = eip712SignedHash(toZk(f, new Uint8Array(ZK_SIGNATURE_LENGTH)), chainId);
  const { r, s, recid } = signHash(hash, privateKey);
  const sig: Eip712Signature = form === 'rsv' ? { yParity: recid, r, s } : { customSignature: packZkSignature(r, s, recid) };
  return encodeEip712Envelope(f, chainId, sig);
}
