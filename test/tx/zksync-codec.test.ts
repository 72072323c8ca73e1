import { describe, expect, it } from 'vitest';
import { createContract } from 'micro-eth-signer/abi.js';
import { addressToHex, bigIntToBytes, bytesToHex, concatBytes } from '../../machine/common/bytes.ts';
import { decodeAccessList, encodeAccessList } from '../../machine/tx/zksync/access-list.ts';
import { decodeZkTransaction, encodeZkTransaction } from '../../machine/tx/zksync/codec.ts';
import { validateZkTransaction } from '../../machine/tx/zksync/structure.ts';
import {
  MAX_TX_LEN_BYTES,
  ZK_HEAD_WORD as W,
  ZkTxDecodeError,
  type ZkTransaction,
  type ZkTxDecodeErrorCode,
} from '../../machine/tx/zksync/types.ts';

const SIG = concatBytes(new Uint8Array(32).fill(0x11), new Uint8Array(32).fill(0x22), Uint8Array.of(27));
const DEP = new Uint8Array(32).fill(0xd0);
const AL = [
  { address: 0x1111111111111111111111111111111111111111n, storageKeys: [0x22n, (1n << 256n) - 1n] },
  { address: 0x1010101010101010101010101010101010101010n, storageKeys: [] },
];

function tx(txType: number, over: Partial<ZkTransaction> = {}): ZkTransaction {
  const l1 = txType >= 0xfe;
  return {
    txType,
    from: 0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaan,
    to: 0xbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbn,
    gasLimit: 1_000_000n,
    gasPerPubdataLimit: txType === 0x71 || l1 ? 800n : 0n,
    maxFeePerGas: 3_000_000_000n,
    maxPriorityFeePerGas: txType === 2 || txType === 0x71 ? 1_000_000_000n : l1 ? 0n : 3_000_000_000n,
    paymaster: 0n,
    nonce: 7n,
    value: 10n ** 18n,
    reserved: l1 ? [10n ** 19n, 0xccccn, 0n, 0n] : [0n, 0n, 0n, 0n],
    data: Uint8Array.of(0xde, 0xad, 0xbe, 0xef, 0x01),
    signature: l1 ? new Uint8Array(0) : SIG,
    factoryDeps: [],
    paymasterInput: new Uint8Array(0),
    accessList: null,
    ...over,
  };
}

const SAMPLES: Record<string, ZkTransaction> = {
  'legacy, pre-EIP-155': tx(0),
  'legacy, EIP-155 deployment': tx(0, { reserved: [1n, 1n, 0n, 0n], to: 0n, data: new Uint8Array(100).fill(0x60) }),
  'EIP-2930 with access list': tx(1, { accessList: AL }),
  'EIP-1559, empty access list [[]]': tx(2, { accessList: [] }),
  'EIP-1559, no access list, empty data': tx(2, { data: new Uint8Array(0) }),
  'EIP-712 with paymaster and deps': tx(0x71, { paymaster: 0x9999n, paymasterInput: Uint8Array.of(1, 2, 3), factoryDeps: [DEP, DEP] }),
  'L1 priority': tx(0xff, { factoryDeps: [DEP] }),
  upgrade: tx(0xfe, { data: new Uint8Array(64).fill(7) }),
};

/** An independent ABI encoder (micro-eth-signer) over the same 15-parameter list. */
const ref: any = createContract([
  {
    type: 'function', name: 'f', outputs: [],
    inputs: [
      ...['tx_type', 'from', 'to', 'gas_limit', 'gas_per_pubdata_limit', 'max_fee', 'max_priority', 'paymaster', 'nonce', 'value']
        .map((name) => ({ name, type: 'uint256' })),
      { name: 'reserved', type: 'uint256[4]' }, { name: 'data', type: 'bytes' }, { name: 'signature', type: 'bytes' },
      { name: 'factory_deps', type: 'bytes32[]' }, { name: 'paymaster_input', type: 'bytes' }, { name: 'reserved_dynamic', type: 'bytes' },
    ],
  },
  {
    type: 'function', name: 'al', outputs: [],
    inputs: [{ name: 'l', type: 'tuple[][]', components: [{ name: 'a', type: 'address' }, { name: 'k', type: 'bytes32[]' }] }],
  },
] as any);

function referenceBody(t: ZkTransaction): Uint8Array {
  const reservedDynamic =
    t.accessList === null
      ? new Uint8Array(0)
      : (ref.al.encodeInput([t.accessList.map((e) => ({ a: addressToHex(e.address), k: e.storageKeys.map((k) => bigIntToBytes(k)) }))]) as Uint8Array).subarray(4);
  const input = {
    tx_type: BigInt(t.txType), from: t.from, to: t.to, gas_limit: t.gasLimit, gas_per_pubdata_limit: t.gasPerPubdataLimit,
    max_fee: t.maxFeePerGas, max_priority: t.maxPriorityFeePerGas, paymaster: t.paymaster, nonce: t.nonce, value: t.value,
    reserved: t.reserved, data: t.data, signature: t.signature, factory_deps: t.factoryDeps, paymaster_input: t.paymasterInput,
    reserved_dynamic: reservedDynamic,
  };
  return (ref.f.encodeInput(input) as Uint8Array).subarray(4);
}

describe('ZKsync transaction body: canonical encoding', () => {
  for (const [name, t] of Object.entries(SAMPLES)) {
    it(`${name}: equals an independent ABI encoder and round-trips`, () => {
      const body = encodeZkTransaction(t);
      expect(bytesToHex(body)).toBe(bytesToHex(referenceBody(t)));
      const back = decodeZkTransaction(body);
      expect(back).toEqual(t);
      expect(bytesToHex(encodeZkTransaction(back))).toBe(bytesToHex(body));
    });
  }

  it('puts data at 0x260 and packs the tail tightly', () => {
    const body = encodeZkTransaction(SAMPLES['EIP-712 with paymaster and deps']);
    const word = (i: number) => Number(BigInt(bytesToHex(body.subarray(i * 32, i * 32 + 32))));
    expect(word(W.data)).toBe(0x260);
    expect(word(W.signature)).toBe(0x260 + 32 + 32); // 5 data bytes → one padded word
    expect(word(W.factory_deps)).toBe(word(W.signature) + 32 + 96); // 65 bytes → 3 words
    expect(word(W.paymaster_input)).toBe(word(W.factory_deps) + 32 + 64);
    expect(word(W.reserved_dynamic)).toBe(word(W.paymaster_input) + 64);
    expect(body.length).toBe(word(W.reserved_dynamic) + 32);
  });

  it('access list content matches the reference parser vector (1 entry, 0 keys)', () => {
    // basic_bootloader/src/bootloader/transaction/access_list_parser.rs test_access_list_parser_1_1_0
    const words = [0x20n, 1n, 0x20n, 1n, 0x20n, 0x1111111111111111111111111111111111111111n, 0x40n, 0n];
    const content = encodeAccessList([{ address: 0x1111111111111111111111111111111111111111n, storageKeys: [] }]);
    expect(bytesToHex(content)).toBe(bytesToHex(concatBytes(...words.map((w) => bigIntToBytes(w)))));
    expect(decodeAccessList(content)).toEqual([{ address: 0x1111111111111111111111111111111111111111n, storageKeys: [] }]);
    expect(decodeAccessList(new Uint8Array(0))).toBeNull();
    expect(decodeAccessList(encodeAccessList([]))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Crafted bodies, one per error code

function setWord(body: Uint8Array, byteOffset: number, v: bigint): Uint8Array {
  const out = body.slice();
  out.set(bigIntToBytes(v), byteOffset);
  return out;
}
const at = (word: number) => word * 32;
const enc = (t: ZkTransaction) => encodeZkTransaction(t);
/** Byte offset of reserved_dynamic's content in a body. */
const rdContent = (body: Uint8Array) => Number(BigInt(bytesToHex(body.subarray(at(W.reserved_dynamic), at(W.reserved_dynamic) + 32)))) + 32;

const CRAFTED: Record<ZkTxDecodeErrorCode, { body: () => Uint8Array; offset?: number }> = {
  ZK_EMPTY: { body: () => new Uint8Array(0) },
  ZK_TOO_LONG: { body: () => new Uint8Array(MAX_TX_LEN_BYTES + 1), offset: MAX_TX_LEN_BYTES },
  ZK_TRUNCATED: { body: () => enc(tx(2)).subarray(0, 600), offset: 0 },
  ZK_INT_RANGE: { body: () => setWord(enc(tx(2)), at(W.gas_limit), 1n << 64n), offset: at(W.gas_limit) },
  ZK_ADDRESS_RANGE: { body: () => setWord(enc(tx(2)), at(W.from), 1n << 160n), offset: at(W.from) },
  ZK_BAD_OFFSET: { body: () => setWord(enc(tx(2)), at(W.data), 0x280n), offset: at(W.data) },
  ZK_LENGTH_RANGE: { body: () => setWord(enc(tx(2)), 0x260, 1n << 32n), offset: 0x260 },
  ZK_NONZERO_PADDING: {
    body: () => {
      const b = enc(tx(2)); // 5 data bytes at 0x280..0x285, padding to 0x2a0
      b[0x280 + 31] = 1;
      return b;
    },
    offset: 0x280 + 31,
  },
  ZK_TRAILING_BYTES: { body: () => concatBytes(enc(tx(2)), new Uint8Array(32)), offset: enc(tx(2)).length },
  ZK_ACCESS_LIST_OUTER_LENGTH: {
    body: () => {
      const b = enc(tx(2, { accessList: AL }));
      return setWord(b, rdContent(b) + 0x20, 2n);
    },
    offset: rdContent(enc(tx(2, { accessList: AL }))) + 0x20,
  },
  ZK_UNKNOWN_TYPE: { body: () => setWord(enc(tx(2)), at(W.tx_type), 3n), offset: at(W.tx_type) },
  ZK_FEE_MISMATCH: { body: () => setWord(enc(tx(0)), at(W.max_priority_fee_per_gas), 1n), offset: at(W.max_priority_fee_per_gas) },
  ZK_PAYMASTER_NOT_ALLOWED: { body: () => setWord(enc(tx(2)), at(W.paymaster), 0x9999n), offset: at(W.paymaster) },
  ZK_PAYMASTER_INPUT_NOT_ALLOWED: {
    body: () => setWord(enc(tx(0x71, { paymasterInput: Uint8Array.of(1) })), at(W.tx_type), 2n),
    offset: at(W.paymaster_input),
  },
  ZK_RESERVED0_NOT_ALLOWED: { body: () => setWord(enc(tx(2)), at(W.reserved0), 1n), offset: at(W.reserved0) },
  ZK_RESERVED1_NOT_ALLOWED: { body: () => setWord(enc(tx(0x71)), at(W.reserved1), 1n), offset: at(W.reserved1) },
  ZK_RESERVED_NONZERO: { body: () => setWord(enc(tx(0xff)), at(W.reserved3), 1n), offset: at(W.reserved3) },
  ZK_SIGNATURE_LENGTH: { body: () => setWord(enc(tx(0x71)), at(W.tx_type), 0xffn), offset: at(W.signature) },
  ZK_FACTORY_DEPS_NOT_ALLOWED: { body: () => setWord(enc(tx(0x71, { factoryDeps: [DEP] })), at(W.tx_type), 2n), offset: at(W.factory_deps) },
  ZK_ACCESS_LIST_NOT_ALLOWED: { body: () => setWord(enc(tx(2, { accessList: [] })), at(W.tx_type), 0x71n), offset: at(W.reserved_dynamic) },
};

function decodeError(body: Uint8Array): ZkTxDecodeError {
  try {
    decodeZkTransaction(body);
  } catch (e) {
    if (e instanceof ZkTxDecodeError) return e;
    throw e;
  }
  throw new Error('decoded without error');
}

describe('ZKsync transaction body: every decoding error', () => {
  for (const [code, c] of Object.entries(CRAFTED)) {
    it(code, () => {
      const e = decodeError(c.body());
      expect(e.code).toBe(code);
      if (c.offset !== undefined) expect(e.offset).toBe(c.offset);
    });
  }
});

describe('ZKsync transaction body: more rejections', () => {
  const cases: Array<[string, () => Uint8Array, ZkTxDecodeErrorCode]> = [
    ['tx_type over u8', () => setWord(enc(tx(2)), at(W.tx_type), 0x102n), 'ZK_INT_RANGE'],
    ['gas_per_pubdata over u32', () => setWord(enc(tx(2)), at(W.gas_per_pubdata_limit), 1n << 32n), 'ZK_INT_RANGE'],
    ['max_fee over u128', () => setWord(enc(tx(2)), at(W.max_fee_per_gas), 1n << 128n), 'ZK_INT_RANGE'],
    ['to over 160 bits', () => setWord(enc(tx(2)), at(W.to), 1n << 255n), 'ZK_ADDRESS_RANGE'],
    ['paymaster over 160 bits', () => setWord(enc(tx(0x71)), at(W.paymaster), 1n << 200n), 'ZK_ADDRESS_RANGE'],
    ['gap before signature', () => setWord(enc(tx(2)), at(W.signature), 0x2a0n + 32n), 'ZK_BAD_OFFSET'],
    ['reserved_dynamic offset huge', () => setWord(enc(tx(2)), at(W.reserved_dynamic), 1n << 200n), 'ZK_BAD_OFFSET'],
    ['data length past the end', () => setWord(enc(tx(2)), 0x260, 100_000n), 'ZK_TRUNCATED'],
    ['last length word missing', () => enc(tx(2)).subarray(0, enc(tx(2)).length - 32), 'ZK_TRUNCATED'],
    ['factory deps count past the end', () => setWord(enc(tx(0xff)), 0x260 + 64 + 32, 1000n), 'ZK_TRUNCATED'],
    ['reserved[1] on a call (to ≠ 0)', () => setWord(enc(tx(2)), at(W.reserved1), 1n), 'ZK_RESERVED1_NOT_ALLOWED'],
    ['reserved[2] on an L2 tx', () => setWord(enc(tx(2)), at(W.reserved2), 5n), 'ZK_RESERVED_NONZERO'],
    ['65-byte signature on an upgrade', () => setWord(enc(tx(0x71)), at(W.tx_type), 0xfen), 'ZK_SIGNATURE_LENGTH'],
    ['access list on legacy', () => setWord(setWord(enc(tx(2, { accessList: AL })), at(W.tx_type), 0n), at(W.max_priority_fee_per_gas), 3_000_000_000n), 'ZK_ACCESS_LIST_NOT_ALLOWED'],
    ['access list inner offset', () => { const b = enc(tx(2, { accessList: AL })); return setWord(b, rdContent(b) + 0x40, 0x40n); }, 'ZK_BAD_OFFSET'],
    ['access list entry offset', () => { const b = enc(tx(2, { accessList: AL })); return setWord(b, rdContent(b) + 0xa0, 0x20n); }, 'ZK_BAD_OFFSET'],
    ['access list address upper bytes', () => { const b = enc(tx(2, { accessList: AL })); return setWord(b, rdContent(b) + 0xc0, 1n << 160n); }, 'ZK_ADDRESS_RANGE'],
    ['access list count past the end', () => { const b = enc(tx(2, { accessList: AL })); return setWord(b, rdContent(b) + 0x60, 1000n); }, 'ZK_TRUNCATED'],
    ['access list entry count off by one', () => { const b = enc(tx(2, { accessList: AL })); return setWord(b, rdContent(b) + 0x60, 3n); }, 'ZK_BAD_OFFSET'],
  ];
  for (const [name, body, code] of cases) it(name, () => expect(decodeError(body()).code).toBe(code));

  it('the outer array of the access list must be exactly one element (also 0)', () => {
    const b = enc(tx(2, { accessList: [] }));
    const e = decodeError(setWord(b, rdContent(b) + 0x20, 0n));
    expect(e.code).toBe('ZK_ACCESS_LIST_OUTER_LENGTH');
  });

  it('trailing bytes inside reserved_dynamic', () => {
    const content = concatBytes(encodeAccessList(AL), new Uint8Array(32));
    expect(() => decodeAccessList(content, 1000)).toThrow(expect.objectContaining({ code: 'ZK_TRAILING_BYTES', offset: 1000 + content.length - 32 }));
  });
});

describe('ZKsync transaction objects', () => {
  it('the encoder refuses what the decoder would refuse', () => {
    expect(() => enc(tx(2, { gasLimit: 1n << 64n }))).toThrow(expect.objectContaining({ code: 'ZK_INT_RANGE', field: 'gas_limit' }));
    expect(() => enc(tx(2, { paymaster: 1n }))).toThrow(expect.objectContaining({ code: 'ZK_PAYMASTER_NOT_ALLOWED' }));
    expect(() => enc(tx(0, { accessList: [] }))).toThrow(expect.objectContaining({ code: 'ZK_ACCESS_LIST_NOT_ALLOWED' }));
    expect(() => enc(tx(2, { nonce: -1n }))).toThrow(RangeError);
    expect(() => enc(tx(0xff, { factoryDeps: [new Uint8Array(31)] }))).toThrow(RangeError);
  });

  it('accepts the deployment flag only with to = 0 and the flag values for L1 freely', () => {
    expect(() => validateZkTransaction(tx(1, { to: 0n, reserved: [0n, 1n, 0n, 0n] }))).not.toThrow();
    expect(() => validateZkTransaction(tx(0xfe, { reserved: [0n, 0xdeadn, 0n, 0n] }))).not.toThrow();
  });
});
