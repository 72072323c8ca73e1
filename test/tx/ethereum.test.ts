import { describe, expect, it } from 'vitest';
import { bigIntToBytes, bytesToHex, concatBytes } from '../../machine/common/bytes.ts';
import { rlpDecode, rlpEncode, type RlpInput } from '../../machine/common/rlp.ts';
import { keccak256, privateKeyToAddress, SECP256K1_N } from '../../machine/crypto/index.ts';
import {
  encodeSignedTransaction,
  normalizeTransactionFields,
  signTransaction,
  signingHashOf,
  type TransactionRequest,
} from '../../machine/tx/encode.ts';
import { authenticateEthereumTransaction, authenticateEthereumTransactions, decodeEthereumTransaction } from '../../machine/tx/ethereum.ts';
import { intrinsicGas } from '../../machine/tx/intrinsic.ts';
import { TxDecodeError, type TxDecodeErrorCode } from '../../machine/tx/types.ts';
import { staticValidityError } from '../../machine/tx/validity.ts';

const KEY = new Uint8Array(32).fill(0x46);
const SENDER = privateKeyToAddress(KEY);
const TO = 0x3535353535353535353535353535353535353535n;
const BLOB_HASH = concatBytes(Uint8Array.of(1), new Uint8Array(31).fill(7));

function codeOf(raw: Uint8Array): TxDecodeErrorCode | 'OK' {
  try {
    decodeEthereumTransaction(raw);
    return 'OK';
  } catch (e) {
    if (e instanceof TxDecodeError) return e.code;
    throw e;
  }
}

/** Re-encodes a signed tx after editing its RLP list (typed: keeps the type byte). */
function mutate(raw: Uint8Array, edit: (items: RlpInput[]) => void): Uint8Array {
  const typed = raw[0] < 0x80;
  const items = rlpDecode(typed ? raw.subarray(1) : raw) as RlpInput[];
  edit(items);
  const body = rlpEncode(items);
  return typed ? concatBytes(raw.subarray(0, 1), body) : body;
}

describe('EIP-155 example (from the EIP)', () => {
  const req: TransactionRequest = {
    type: 0, chainId: 1n, nonce: 9n, maxFeePerGas: 20_000_000_000n, gasLimit: 21000n, to: TO, value: 10n ** 18n,
  };
  it('signs to the published bytes and decodes back', () => {
    expect(bytesToHex(signingHashOf(normalizeTransactionFields(req))))
      .toBe('0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53');
    const raw = signTransaction(req, KEY);
    expect(bytesToHex(raw)).toBe(
      '0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83',
    );
    const tx = decodeEthereumTransaction(raw);
    expect(tx.from).toBe(0x9d8a62f656a8d1615c1294fd71e9cfb3e4855a4fn);
    expect(tx.v).toBe(37n);
    expect(tx.chainId).toBe(1n);
    expect(tx.hash).toEqual(keccak256(raw));
  });
});

describe('sign / decode round trip', () => {
  const base = { nonce: 5n, gasLimit: 100_000n, to: TO, value: 1234n, data: Uint8Array.of(0, 1, 2, 0) };
  const requests: Array<[string, TransactionRequest]> = [
    ['legacy pre-EIP-155', { ...base, type: 0, chainId: null, maxFeePerGas: 7n }],
    ['legacy EIP-155', { ...base, type: 0, chainId: 270n, maxFeePerGas: 7n }],
    ['legacy creation', { ...base, type: 0, chainId: 1n, maxFeePerGas: 7n, to: null }],
    ['EIP-2930', { ...base, type: 1, chainId: 1n, maxFeePerGas: 9n, accessList: [{ address: TO, storageKeys: [0n, 1n << 255n] }, { address: 1n, storageKeys: [] }] }],
    ['EIP-1559', { ...base, type: 2, chainId: 1n, maxFeePerGas: 100n, maxPriorityFeePerGas: 3n, accessList: [{ address: 2n, storageKeys: [5n] }] }],
    ['EIP-1559 creation', { ...base, type: 2, chainId: 1n, maxFeePerGas: 100n, maxPriorityFeePerGas: 3n, to: null }],
    ['EIP-4844', { ...base, type: 3, chainId: 1n, maxFeePerGas: 100n, maxPriorityFeePerGas: 3n, maxFeePerBlobGas: 11n, blobVersionedHashes: [BLOB_HASH, BLOB_HASH] }],
  ];
  it.each(requests)('%s', (_name, req) => {
    const raw = signTransaction(req, KEY);
    const tx = decodeEthereumTransaction(raw);
    expect(tx.from).toBe(SENDER);
    expect(tx.type).toBe(req.type);
    expect(tx.chainId).toBe(req.chainId);
    expect(tx.to).toBe(req.to);
    expect(tx.nonce).toBe(req.nonce);
    expect(tx.gasLimit).toBe(req.gasLimit);
    expect(tx.maxFeePerGas).toBe(req.maxFeePerGas);
    expect(tx.maxPriorityFeePerGas).toBe(req.maxPriorityFeePerGas ?? req.maxFeePerGas);
    expect(tx.value).toBe(req.value);
    expect(tx.data).toEqual(req.data);
    expect(tx.accessList).toEqual(req.accessList ?? []);
    expect(tx.maxFeePerBlobGas).toBe(req.maxFeePerBlobGas ?? 0n);
    expect(tx.blobVersionedHashes).toEqual(req.blobVersionedHashes ?? []);
    expect(tx.hash).toEqual(keccak256(raw));
    if (req.type > 0) expect(raw[0]).toBe(req.type);
    expect(encodeSignedTransaction(tx, tx)).toEqual(raw);
    expect(staticValidityError(tx, req.chainId ?? 1n)).toBeNull();
  });
});

describe('signing hash of typed transactions, cut from their bytes', () => {
  // The decoder hashes the signed bytes before yParity instead of re-encoding the fields: every
  // list-prefix size, both yParity values, and creation, access-list and blob shapes must agree
  // with keccak of the re-encoded payload.
  const sizes = [0, 1, 20, 54, 200, 70_000];
  const shapes = sizes.flatMap((n, i) => [
    { type: 1, chainId: 1n, maxFeePerGas: 9n, accessList: i % 2 ? [{ address: TO, storageKeys: [BigInt(i)] }] : [] },
    { type: 2, chainId: 270n, maxFeePerGas: 100n, maxPriorityFeePerGas: 3n, to: i === 2 ? null : TO },
    { type: 3, chainId: 1n, maxFeePerGas: 100n, maxPriorityFeePerGas: 3n, maxFeePerBlobGas: 11n, blobVersionedHashes: [BLOB_HASH] },
  ].map((shape) => ({ nonce: BigInt(i), gasLimit: 30_000_000n, to: TO, value: 0n, data: new Uint8Array(n).fill(0xab), ...shape }) as TransactionRequest));
  it('equals keccak of the re-encoded payload for every prefix size and both parities', () => {
    const parities = new Set<bigint>();
    for (const [k, req] of shapes.entries()) {
      for (let salt = 0; salt < 4; salt++) {
        const raw = signTransaction({ ...req, value: BigInt(k * 4 + salt) }, KEY);
        const tx = decodeEthereumTransaction(raw);
        parities.add(tx.v);
        expect(tx.signingHash).toEqual(signingHashOf(normalizeTransactionFields(tx)));
        expect(tx.from).toBe(SENDER);
      }
    }
    expect(parities).toEqual(new Set([0n, 1n]));
  });
});

describe('decoder rejections', () => {
  const legacy = signTransaction({ type: 0, chainId: 1n, nonce: 1n, maxFeePerGas: 1n, gasLimit: 21000n, to: TO }, KEY);
  const dynamic = signTransaction({ type: 2, chainId: 1n, nonce: 1n, maxFeePerGas: 2n, maxPriorityFeePerGas: 1n, gasLimit: 21000n, to: TO }, KEY);
  const blob = signTransaction(
    { type: 3, chainId: 1n, nonce: 1n, maxFeePerGas: 2n, gasLimit: 21000n, to: TO, maxFeePerBlobGas: 1n, blobVersionedHashes: [BLOB_HASH] },
    KEY,
  );
  const cases: Array<[string, Uint8Array, TxDecodeErrorCode]> = [
    ['empty', new Uint8Array(0), 'TX_EMPTY'],
    ['type 0x04', concatBytes(Uint8Array.of(4), dynamic.subarray(1)), 'TX_UNKNOWN_TYPE'],
    ['type 0x00', concatBytes(Uint8Array.of(0), dynamic.subarray(1)), 'TX_UNKNOWN_TYPE'],
    ['string instead of list', rlpEncode(Uint8Array.of(1, 2, 3)), 'TX_NOT_A_LIST'],
    ['trailing byte', concatBytes(legacy, Uint8Array.of(0)), 'TX_RLP'],
    ['truncated', legacy.subarray(0, legacy.length - 1), 'TX_RLP'],
    ['too few fields', mutate(legacy, (it) => it.pop()), 'TX_BAD_FIELD_COUNT'],
    ['too many fields', mutate(dynamic, (it) => it.push(new Uint8Array(0))), 'TX_BAD_FIELD_COUNT'],
    ['nonce over 64 bits', mutate(legacy, (it) => (it[0] = bigIntToBytes(1n << 64n, 9))), 'TX_FIELD_TOO_LONG'],
    ['gas limit over 64 bits', mutate(dynamic, (it) => (it[4] = bigIntToBytes(1n << 64n, 9))), 'TX_FIELD_TOO_LONG'],
    ['value over 256 bits', mutate(legacy, (it) => (it[4] = bigIntToBytes(1n << 256n, 33))), 'TX_FIELD_TOO_LONG'],
    ['nonce with leading zero', mutate(legacy, (it) => (it[0] = Uint8Array.of(0, 1))), 'TX_LEADING_ZERO'],
    ['list as nonce', mutate(legacy, (it) => (it[0] = [])), 'TX_BAD_FIELD_TYPE'],
    ['19-byte to', mutate(legacy, (it) => (it[3] = new Uint8Array(19))), 'TX_BAD_ADDRESS'],
    ['blob tx creating', mutate(blob, (it) => (it[5] = new Uint8Array(0))), 'TX_BLOB_CREATE'],
    ['31-byte blob hash', mutate(blob, (it) => (it[10] = [new Uint8Array(31)])), 'TX_BAD_BLOB_HASH'],
    ['31-byte storage key', mutate(dynamic, (it) => (it[8] = [[bigIntToBytes(TO, 20), [new Uint8Array(31)]]])), 'TX_BAD_STORAGE_KEY'],
    ['access list entry of 3', mutate(dynamic, (it) => (it[8] = [[bigIntToBytes(TO, 20), [], []]])), 'TX_BAD_FIELD_COUNT'],
    ['legacy v = 29', mutate(legacy, (it) => (it[6] = Uint8Array.of(29))), 'TX_INVALID_V'],
    ['yParity = 2', mutate(dynamic, (it) => (it[9] = Uint8Array.of(2))), 'TX_INVALID_Y_PARITY'],
    ['r = 0', mutate(legacy, (it) => (it[7] = new Uint8Array(0))), 'TX_INVALID_SIGNATURE'],
    ['s = n', mutate(dynamic, (it) => (it[11] = bigIntToBytes(SECP256K1_N, 32))), 'TX_INVALID_SIGNATURE'],
    ['high s', mutate(dynamic, (it) => (it[11] = bigIntToBytes(SECP256K1_N - 1n, 32))), 'TX_HIGH_S'],
  ];
  it.each(cases)('%s', (_name, raw, code) => {
    expect(codeOf(raw)).toBe(code);
  });

  it('decodes a batch as one by one: the same transactions, the same errors', () => {
    const raws = [legacy, ...cases.map((c) => c[1]), dynamic, blob];
    const batch = authenticateEthereumTransactions(raws);
    expect(batch.length).toBe(raws.length);
    for (const [i, raw] of raws.entries()) {
      const got = batch[i];
      let want: unknown;
      try {
        want = authenticateEthereumTransaction(raw);
      } catch (e) {
        want = e;
      }
      if (want instanceof TxDecodeError) {
        expect(got).toBeInstanceOf(TxDecodeError);
        expect((got as TxDecodeError).code).toBe(want.code);
      } else {
        expect(got).toMatchObject(want as object);
        expect((got as { from: bigint }).from).toBe(SENDER);
      }
    }
  });

  it('wraps the RlpError as the cause', () => {
    try {
      decodeEthereumTransaction(legacy.subarray(0, 5));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TxDecodeError);
      expect((e as TxDecodeError).cause).toMatchObject({ code: 'RLP_TRUNCATED' });
    }
  });

  it('a flipped yParity recovers another sender or fails, never the original', () => {
    const other = mutate(dynamic, (it) => (it[9] = Uint8Array.of((it[9] as Uint8Array).length ? 0 : 1)));
    const code = codeOf(other);
    if (code === 'OK') expect(decodeEthereumTransaction(other).from).not.toBe(SENDER);
    else expect(code).toBe('TX_RECOVERY_FAILED');
  });
});

describe('intrinsic gas (Cancun)', () => {
  const tx = (to: bigint | null, data: number[], accessList: Array<{ address: bigint; storageKeys: bigint[] }> = []) => ({
    to, data: Uint8Array.from(data), accessList,
  });
  it('charges base, calldata, creation, initcode words and access lists', () => {
    expect(intrinsicGas(tx(TO, []))).toBe(21000n);
    expect(intrinsicGas(tx(TO, [0, 1, 0, 255]))).toBe(21000n + 4n * 2n + 16n * 2n);
    expect(intrinsicGas(tx(null, []))).toBe(53000n);
    expect(intrinsicGas(tx(null, new Array(33).fill(1)))).toBe(53000n + 33n * 16n + 2n * 2n);
    expect(intrinsicGas(tx(TO, [], [{ address: 1n, storageKeys: [1n, 2n] }, { address: 2n, storageKeys: [] }]))).toBe(21000n + 2n * 2400n + 2n * 1900n);
  });
  it('validity needs gasLimit >= intrinsic gas', () => {
    const raw = signTransaction({ type: 2, chainId: 1n, nonce: 0n, maxFeePerGas: 1n, gasLimit: 21003n, to: TO, data: Uint8Array.of(1) }, KEY);
    expect(staticValidityError(decodeEthereumTransaction(raw), 1n)).toBe('TX_INTRINSIC_GAS_TOO_LOW');
    expect(staticValidityError(decodeEthereumTransaction(raw), 2n)).toBe('TX_WRONG_CHAIN_ID');
  });
  it('rejects blob transactions without blobs or with a bad version', () => {
    const mk = (hashes: Uint8Array[]) =>
      decodeEthereumTransaction(signTransaction({ type: 3, chainId: 1n, nonce: 0n, maxFeePerGas: 1n, gasLimit: 21000n, to: TO, blobVersionedHashes: hashes }, KEY));
    expect(staticValidityError(mk([]), 1n)).toBe('TX_BLOB_NONE');
    expect(staticValidityError(mk([new Uint8Array(32)]), 1n)).toBe('TX_BLOB_BAD_VERSION');
    expect(staticValidityError(mk(new Array(7).fill(BLOB_HASH)), 1n)).toBe('TX_BLOB_TOO_MANY');
  });
});
