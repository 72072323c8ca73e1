// The word codec (reference §1.2–1.3): exact layouts with concrete values, round trips, and the
// strict decoders' errors with their word positions.
import { describe, expect, it } from 'vitest';
import {
  TapeError,
  WORDS_BLOCK_METADATA,
  WORDS_FSM,
  WORDS_LEAF_PROOF,
  decodeB160,
  decodeBlockMetadata,
  decodeBool,
  decodeBytes,
  decodeBytes32,
  decodeInitialSlot,
  decodeStorageAddress,
  decodeU256,
  decodeU32,
  decodeU64,
  decodeU8,
  encodeB160,
  encodeBlockMetadata,
  encodeBool,
  encodeBytes,
  encodeBytes32,
  encodeInitialSlot,
  encodeStorageAddress,
  encodeU256,
  encodeU32,
  encodeU64,
  encodeU8,
} from '../../machine/oracle/codec.ts';
import { decodeCommitment, decodeFsm, decodeFsmInit, decodeLeaf, decodeLeafProof, encodeCommitment, encodeFsmInit, encodeLeaf, encodeLeafProof } from '../../machine/oracle/proving.ts';
import { metadata, key, tree, u256Bytes } from './helpers.ts';

const W = (...w: number[]) => Uint32Array.from(w);
const arr = (w: Uint32Array) => Array.from(w);

function tapeError(f: () => unknown): TapeError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(TapeError);
    return e as TapeError;
  }
  throw new Error('expected a TapeError');
}

const V = 0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20n;

describe('primitive layouts', () => {
  it('bool, u8, u32 are [value, 0]; u64 is [low, high]', () => {
    expect(arr(encodeBool(true))).toEqual([1, 0]);
    expect(arr(encodeBool(false))).toEqual([0, 0]);
    expect(arr(encodeU8(0xab))).toEqual([0xab, 0]);
    expect(arr(encodeU32(0xfedcba98))).toEqual([0xfedcba98, 0]);
    expect(arr(encodeU64(0x0123456789abcdefn))).toEqual([0x89abcdef, 0x01234567]);
  });

  it('U256 is numeric limbs least significant first; Bytes32 is the raw bytes as LE u32s', () => {
    expect(arr(encodeU256(V))).toEqual([0x1d1e1f20, 0x191a1b1c, 0x15161718, 0x11121314, 0x0d0e0f10, 0x090a0b0c, 0x05060708, 0x01020304]);
    // The same 32 bytes (0x01 … 0x20 in order) as an opaque Bytes32.
    expect(arr(encodeBytes32(u256Bytes(V)))).toEqual([0x04030201, 0x08070605, 0x0c0b0a09, 0x100f0e0d, 0x14131211, 0x18171615, 0x1c1b1a19, 0x201f1e1d]);
  });

  it('B160 is six numeric limbs, the last one zero', () => {
    expect(arr(encodeB160(0xdeadbeefcafebabe0123456789abcdef01234567n))).toEqual([0x01234567, 0x89abcdef, 0x01234567, 0xcafebabe, 0xdeadbeef, 0]);
    expect(arr(encodeB160(0xffffffff00000000000000000000000000000001n))).toEqual([1, 0, 0, 0, 0xffffffff, 0]);
  });

  it('byte blobs pack LE and pad to a multiple of 8 bytes (2*ceil(len/8) words)', () => {
    expect(arr(encodeBytes(new Uint8Array([1, 2, 3, 4, 5])))).toEqual([0x04030201, 0x00000005]);
    expect(encodeBytes(new Uint8Array(0)).length).toBe(0);
    expect(encodeBytes(new Uint8Array(8)).length).toBe(2);
    expect(encodeBytes(new Uint8Array(9)).length).toBe(4);
    expect(encodeBytes(new Uint8Array(124)).length).toBe(32);
  });

  it('round-trips', () => {
    for (const v of [0n, 1n, V, (1n << 256n) - 1n]) expect(decodeU256(encodeU256(v))).toBe(v);
    for (const v of [0n, 0xffffffffn, 1n << 32n, (1n << 64n) - 1n]) expect(decodeU64(encodeU64(v))).toBe(v);
    for (const v of [0n, 0x8003n, (1n << 160n) - 1n]) expect(decodeB160(encodeB160(v))).toBe(v);
    expect(decodeBytes32(encodeBytes32(u256Bytes(V)))).toEqual(u256Bytes(V));
    expect(decodeBool(encodeBool(true))).toBe(true);
    expect(decodeU8(encodeU8(7))).toBe(7);
    expect(decodeU32(encodeU32(0xffffffff))).toBe(0xffffffff);
    for (let len = 0; len <= 17; len++) {
      const b = Uint8Array.from({ length: len }, (_, i) => 0xff - i);
      expect(decodeBytes(encodeBytes(b), len)).toEqual(b);
      const padded = decodeBytes(encodeBytes(b));
      expect(padded.length).toBe(8 * Math.ceil(len / 8));
      expect(padded.subarray(0, len)).toEqual(b);
    }
  });

  it('encoders reject values out of range', () => {
    expect(tapeError(() => encodeU64(1n << 64n)).code).toBe('VALUE_OUT_OF_RANGE');
    expect(tapeError(() => encodeU32(-1)).code).toBe('VALUE_OUT_OF_RANGE');
    expect(tapeError(() => encodeB160(1n << 160n)).code).toBe('VALUE_OUT_OF_RANGE');
    expect(tapeError(() => encodeU256(-1n)).code).toBe('VALUE_OUT_OF_RANGE');
    expect(tapeError(() => encodeBytes32(new Uint8Array(31))).code).toBe('VALUE_OUT_OF_RANGE');
  });
});

describe('strict decoders', () => {
  it('reject a wrong word count', () => {
    const e = tapeError(() => decodeU64(W(1, 2, 3), 100));
    expect(e.code).toBe('WRONG_LENGTH');
    expect(e.position).toBe(100);
    expect(tapeError(() => decodeU256(W(1))).code).toBe('WRONG_LENGTH');
    expect(tapeError(() => decodeBytes(W(1, 2), 9)).code).toBe('WRONG_LENGTH');
    expect(tapeError(() => decodeBytes(W(1, 2, 3))).code).toBe('WRONG_LENGTH');
  });

  it('reject a non-zero high word, naming its position', () => {
    let e = tapeError(() => decodeU32(W(5, 1), 40));
    expect([e.code, e.position]).toEqual(['NONZERO_HIGH_WORD', 41]);
    e = tapeError(() => decodeB160(W(0, 0, 0, 0, 0, 9), 10));
    expect([e.code, e.position]).toEqual(['NONZERO_HIGH_WORD', 15]);
    e = tapeError(() => decodeBool(W(1, 1)));
    expect([e.code, e.position]).toEqual(['NONZERO_HIGH_WORD', 1]);
    expect(tapeError(() => decodeU8(W(256, 0))).code).toBe('VALUE_OUT_OF_RANGE');
  });

  it('reject a bool other than 0 or 1', () => {
    const e = tapeError(() => decodeInitialSlot(W(2, 0, 0, 0, 0, 0, 0, 0, 0, 0), 7));
    expect([e.code, e.position]).toEqual(['BAD_BOOL', 7]);
  });

  it('reject non-zero padding of a blob of known length', () => {
    const w = encodeBytes(new Uint8Array([1, 2, 3, 4, 5]));
    w[1] |= 0x100; // byte 5 is padding
    const e = tapeError(() => decodeBytes(w, 5, 20));
    expect([e.code, e.position]).toEqual(['NONZERO_PADDING', 21]);
  });
});

describe('composite layouts', () => {
  it('StorageAddress is B160 then Bytes32 (14 words); InitialStorageSlotData is bool then Bytes32 (10)', () => {
    const a = encodeStorageAddress({ address: 0x8003n, key: 1n });
    expect(arr(a)).toEqual([0x8003, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01000000]);
    expect(decodeStorageAddress(a)).toEqual({ address: 0x8003n, key: 1n });
    const s = encodeInitialSlot({ isNew: false, value: V });
    expect(s.length).toBe(10);
    expect(arr(s.subarray(0, 3))).toEqual([0, 0, 0x04030201]);
    expect(decodeInitialSlot(s)).toEqual({ isNew: false, value: V });
    expect(arr(encodeInitialSlot({ isNew: true, value: 0n }))).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('BlockMetadataFromOracle is 2094 words in serialisation order', () => {
    const m = metadata();
    const w = encodeBlockMetadata(m);
    expect(w.length).toBe(2094);
    expect(WORDS_BLOCK_METADATA).toBe(2094);
    expect(decodeU256(w.subarray(0, 8))).toBe(m.eip1559BaseFee);
    expect(decodeU256(w.subarray(8, 16))).toBe(m.gasPerPubdata);
    expect(decodeU256(w.subarray(16, 24))).toBe(m.nativePrice);
    expect(arr(w.subarray(24, 26))).toEqual([0x89abcdef, 0x01234567]); // block number
    expect(decodeU64(w.subarray(26, 28))).toBe(m.timestamp);
    expect(decodeU64(w.subarray(28, 30))).toBe(m.chainId);
    expect(decodeU64(w.subarray(30, 32))).toBe(m.gasLimit);
    expect(decodeB160(w.subarray(32, 38))).toBe(m.coinbase);
    // Block hashes are numeric U256: hash 0 (bytes 0x01…0x20) starts with its low limb.
    expect(arr(w.subarray(38, 40))).toEqual([0x1d1e1f20, 0x191a1b1c]);
    expect(decodeU256(w.subarray(38 + 8 * 255, 38 + 8 * 256))).toBe(m.blockHashes[255]);
    expect(decodeU256(w.subarray(2086, 2094))).toBe(m.mixHash);
  });

  it('leaves blobBaseFee off the wire: the decoder takes it from the caller (default 1)', () => {
    const m = metadata({ blobBaseFee: 12345n });
    expect(arr(encodeBlockMetadata(m))).toEqual(arr(encodeBlockMetadata(metadata({ blobBaseFee: 1n }))));
    expect(decodeBlockMetadata(encodeBlockMetadata(m), 12345n)).toEqual(m);
    expect(decodeBlockMetadata(encodeBlockMetadata(m)).blobBaseFee).toBe(1n);
    expect(tapeError(() => decodeBlockMetadata(new Uint32Array(2102))).code).toBe('WRONG_LENGTH');
    expect(tapeError(() => encodeBlockMetadata({ ...m, blockHashes: m.blockHashes.slice(1) })).code).toBe('VALUE_OUT_OF_RANGE');
  });

  it('FlatStorageCommitment (10), the FSM (22, unused fields zero), FlatStorageLeaf (18)', () => {
    const c = { root: u256Bytes(V), nextFreeSlot: 0x100000002n };
    const cw = encodeCommitment(c);
    expect(arr(cw)).toEqual([...arr(encodeBytes32(c.root)), 2, 1]);
    expect(decodeCommitment(cw)).toEqual(c);
    const f = encodeFsmInit(c);
    expect(f.length).toBe(WORDS_FSM);
    expect(arr(f.subarray(0, 10))).toEqual(arr(cw));
    expect(arr(f.subarray(10))).toEqual(new Array(12).fill(0));
    expect(decodeFsmInit(f)).toEqual(c);
    f[18] = 3; // num_pubdata_diffs_logs: fine for the generic decoder, not for the init answer
    expect(decodeFsm(f).numPubdataDiffsLogs).toBe(3);
    let e = tapeError(() => decodeFsmInit(f, 500));
    expect([e.code, e.position]).toEqual(['NONZERO_UNUSED_FIELD', 518]);
    f[19] = 1;
    e = tapeError(() => decodeFsm(f, 500));
    expect([e.code, e.position]).toEqual(['NONZERO_HIGH_WORD', 519]);
    const leaf = { key: key(0x10), value: key(1), next: 4n };
    const lw = encodeLeaf(leaf);
    expect(lw.length).toBe(18);
    expect(arr(lw.subarray(16))).toEqual([4, 0]);
    expect(decodeLeaf(lw)).toEqual(leaf);
  });

  it('LeafProof is u64 index, leaf, 64 siblings = 532 words', () => {
    const t = tree();
    const p = t.proof(3n);
    const w = encodeLeafProof(p);
    expect(w.length).toBe(532);
    expect(WORDS_LEAF_PROOF).toBe(532);
    expect(arr(w.subarray(0, 2))).toEqual([3, 0]);
    expect(decodeBytes32(w.subarray(2, 10))).toEqual(p.leaf.key);
    expect(decodeBytes32(w.subarray(20, 28))).toEqual(p.path[0]);
    expect(decodeBytes32(w.subarray(524, 532))).toEqual(p.path[63]);
    expect(decodeLeafProof(w)).toEqual(p);
    expect(tapeError(() => encodeLeafProof({ ...p, path: p.path.slice(1) })).code).toBe('VALUE_OUT_OF_RANGE');
    expect(tapeError(() => decodeLeafProof(w.subarray(1))).code).toBe('WRONG_LENGTH');
  });
});

describe('integers as limbs', () => {
  // The writers convert through one hex string; the readers rebuild with bigint arithmetic. Every
  // width from 0 to the limit round-trips, and U256 limbs are the value's 32-bit digits.
  it('round-trip at every bit width', () => {
    let seed = 3;
    const rnd = (bits: number): bigint => {
      let v = 0n;
      for (let i = 0; i < bits; i += 16) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        v = (v << 16n) | BigInt(seed >>> 16);
      }
      return bits === 0 ? 0n : (v & ((1n << BigInt(bits)) - 1n)) | (1n << BigInt(bits - 1));
    };
    for (let bits = 0; bits <= 256; bits++) {
      const v = rnd(bits);
      const limbs = encodeU256(v);
      for (let k = 0; k < 8; k++) expect(limbs[k]).toBe(Number((v >> BigInt(32 * k)) & 0xffffffffn));
      expect(decodeU256(limbs)).toBe(v);
      expect(decodeStorageAddress(encodeStorageAddress({ address: v & ((1n << 160n) - 1n), key: v }))).toEqual({ address: v & ((1n << 160n) - 1n), key: v });
      if (bits <= 160) expect(decodeB160(encodeB160(v))).toBe(v);
    }
  });
});
