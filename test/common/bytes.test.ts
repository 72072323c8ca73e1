// writeBigInt and bytesToBigInt go through a shared scratch word as 64-bit limbs (hex digits or
// 4-byte chunks past 32 bytes); these pin them to the plain definitions (byte i of the big-endian
// form, zero-padded, low bytes kept) for every length, offset and value width.
import { describe, expect, it } from 'vitest';
import { bigIntToBytes, bigIntToMinimalBytes, byteLength, bytesToBigInt, fitsBytes, writeBigInt, writeMinimal } from '../../machine/common/bytes.ts';
import { ByteReader, ByteWriter } from '../../storage/binary.ts';

function reference(v: bigint, len: number): number[] {
  const out: number[] = [];
  for (let i = len - 1; i >= 0; i--) out.push(Number((v >> BigInt(8 * i)) & 0xffn));
  return out;
}

let seed = 7;
function rnd(bits: number): bigint {
  let v = 0n;
  for (let i = 0; i < bits; i += 16) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    v = (v << 16n) | BigInt(seed >>> 16);
  }
  return v & ((1n << BigInt(bits)) - 1n);
}

describe('writeBigInt', () => {
  it('writes the big-endian bytes, padded, for every width and length', () => {
    for (let bits = 0; bits <= 300; bits++) {
      for (let len = 1; len <= 40; len++) {
        const v = bits === 0 ? 0n : rnd(bits) | (1n << BigInt(bits - 1));
        const out = new Uint8Array(len + 2).fill(0xee);
        writeBigInt(out, 1, v, len);
        expect([...out.subarray(1, len + 1)]).toEqual(reference(v, len));
        expect(out[0]).toBe(0xee); // nothing written outside the field
        expect(out[len + 1]).toBe(0xee);
      }
    }
  });

  it('keeps the low bytes of a value wider than the field', () => {
    const v = (1n << 300n) - 3n;
    for (const len of [4, 32, 37]) expect([...bigIntToBytes(v, len)]).toEqual(reference(v, len));
  });

  it('bigIntToBytes is exactly len bytes', () => {
    expect([...bigIntToBytes(0x1234n, 4)]).toEqual([0, 0, 0x12, 0x34]);
    expect([...bigIntToBytes(0xabcn, 2)]).toEqual([0x0a, 0xbc]);
  });
});

describe('ByteWriter.uint', () => {
  it('writes a length byte and the minimal bytes, and reads back', () => {
    const values = [0n, 1n, 0x7fn, 0x80n, 0xffn, 0x100n, 0xabcn, (1n << 256n) - 1n];
    for (let bits = 1; bits <= 256; bits += 5) values.push(rnd(bits));
    const w = new ByteWriter(4);
    for (const v of values) w.uint(v);
    const bytes = w.finish();
    const r = new ByteReader(bytes);
    for (const v of values) expect(r.uint('v')).toBe(v);
    expect(() => new ByteWriter().uint(1n << 256n)).toThrow(RangeError);
    expect(() => new ByteWriter().uint(-1n)).toThrow(RangeError);
  });
});

describe('bytesToBigInt', () => {
  it('reads any range big-endian, whatever its length mod 4', () => {
    const b = new Uint8Array(48);
    for (let i = 0; i < b.length; i++) b[i] = Number(rnd(8)) | (i % 5 === 0 ? 0x80 : 0);
    for (let start = 0; start < 6; start++) {
      for (let end = start; end <= start + 40; end++) {
        let want = 0n;
        for (let i = start; i < end; i++) want = (want << 8n) | BigInt(b[i]);
        expect(bytesToBigInt(b, start, end), `${start}..${end}`).toBe(want);
      }
    }
    expect(bytesToBigInt(new Uint8Array(32).fill(0xff))).toBe((1n << 256n) - 1n);
    expect(bytesToBigInt(new Uint8Array(0))).toBe(0n);
  });
});

describe('minimal forms', () => {
  it('byteLength, writeMinimal and bigIntToMinimalBytes agree with the definition', () => {
    const values = [0n, 1n, 0xffn, 0x100n, 0xffffffffn, 0x100000000n, (1n << 64n) - 1n, 1n << 64n, (1n << 256n) - 1n];
    for (let bits = 1; bits <= 256; bits += 3) values.push(rnd(bits) | (1n << BigInt(bits - 1)));
    for (const v of values) {
      const len = v === 0n ? 0 : Math.ceil(v.toString(2).length / 8);
      expect(byteLength(v), `${v}`).toBe(len);
      expect([...bigIntToMinimalBytes(v)]).toEqual(reference(v, len));
      const out = new Uint8Array(34).fill(0xee);
      expect(writeMinimal(out, 1, v)).toBe(len);
      expect([...out.subarray(1, 1 + len)]).toEqual(reference(v, len));
      expect(out[1 + len]).toBe(0xee);
    }
    expect([...bigIntToMinimalBytes(1n << 300n)]).toEqual(reference(1n << 300n, 38));
  });

  it('fitsBytes is 0 <= v < 2^(8 len)', () => {
    for (let len = 0; len <= 40; len++) {
      const limit = 1n << BigInt(8 * len);
      expect(fitsBytes(limit - 1n, len)).toBe(true);
      expect(fitsBytes(limit, len)).toBe(false);
      expect(fitsBytes(-1n, len)).toBe(false);
    }
  });
});
