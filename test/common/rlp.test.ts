import { describe, expect, it } from 'vitest';
import { bigIntToMinimalBytes, bytesToHex, hexToBytes } from '../../machine/common/bytes.ts';
import {
  RlpError,
  rlpDecode,
  rlpDecodeAddress,
  rlpDecodeFixedBytes,
  rlpDecodeUint,
  rlpEncode,
  rlpEncodeBytes,
  rlpEncodeList,
  rlpEncodeUint,
  rlpWrapList,
  RlpWriter,
  type RlpInput,
  type RlpItem,
} from '../../machine/common/rlp.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);

function code(fn: () => unknown): string {
  try {
    fn();
    return 'OK';
  } catch (e) {
    if (e instanceof RlpError) return e.code;
    throw e;
  }
}

describe('RLP encoding (ethereum/tests RLPTests vectors)', () => {
  const lorem = 'Lorem ipsum dolor sit amet, consectetur adipisicing elit';
  const vectors: Array<[string, RlpInput, string]> = [
    ['empty string', new Uint8Array(0), '0x80'],
    ['dog', utf8('dog'), '0x83646f67'],
    ['single low byte', Uint8Array.of(0x7f), '0x7f'],
    ['single high byte', Uint8Array.of(0x80), '0x8180'],
    ['56-byte string', utf8(lorem), '0xb838' + bytesToHex(utf8(lorem)).slice(2)],
    ['empty list', [], '0xc0'],
    ['cat dog', [utf8('cat'), utf8('dog')], '0xc88363617483646f67'],
    ['set theory', [[], [[]], [[], [[]]]], '0xc7c0c1c0c3c0c1c0'],
  ];
  it.each(vectors)('%s', (_n, input, hex) => {
    const enc = rlpEncode(input);
    expect(bytesToHex(enc)).toBe(hex);
    expect(rlpDecode(enc)).toEqual(input);
  });

  it('encodes integers minimally', () => {
    expect(bytesToHex(rlpEncodeUint(0n))).toBe('0x80');
    expect(bytesToHex(rlpEncodeUint(15n))).toBe('0x0f');
    expect(bytesToHex(rlpEncodeUint(1024n))).toBe('0x820400');
    expect(bytesToHex(rlpEncodeUint(1n << 255n))).toBe('0xa08' + '0'.repeat(63));
  });

  it('round-trips a 1 KB string and a long list', () => {
    const big = new Uint8Array(1024).fill(0xab);
    const enc = rlpEncode(big);
    expect(bytesToHex(enc.subarray(0, 3))).toBe('0xb90400');
    expect(rlpDecode(enc)).toEqual(big);
    const list = Array.from({ length: 100 }, (_, i) => Uint8Array.of(i + 1, i));
    expect(rlpDecode(rlpEncode(list))).toEqual(list);
  });
});

describe('strict decoding', () => {
  const bad: Array<[string, string, string]> = [
    ['empty input', '0x', 'RLP_EMPTY_INPUT'],
    ['single byte wrapped', '0x8100', 'RLP_NON_CANONICAL_SIZE'],
    ['single byte 0x7f wrapped', '0x817f', 'RLP_NON_CANONICAL_SIZE'],
    ['long string form for 3 bytes', '0xb803646f67', 'RLP_NON_CANONICAL_SIZE'],
    ['long list form for 1 byte', '0xf80101', 'RLP_NON_CANONICAL_SIZE'],
    ['leading zero in string length', '0xb90038' + '00'.repeat(56), 'RLP_LEADING_ZERO_LENGTH'],
    ['leading zero in list length', '0xf90038' + '00'.repeat(56), 'RLP_LEADING_ZERO_LENGTH'],
    ['string longer than input', '0x83646f', 'RLP_TRUNCATED'],
    ['list longer than input', '0xc3646f', 'RLP_TRUNCATED'],
    ['item overruns its list', '0xc283646f67', 'RLP_TRUNCATED'],
    ['length of length missing', '0xb9', 'RLP_TRUNCATED'],
    ['huge length', '0xbf' + 'ff'.repeat(8), 'RLP_LENGTH_OVERFLOW'],
    ['trailing bytes', '0x83646f6700', 'RLP_TRAILING_BYTES'],
    ['two items', '0xc0c0', 'RLP_TRAILING_BYTES'],
  ];
  it.each(bad)('%s', (_n, hex, want) => {
    expect(code(() => rlpDecode(hexToBytes(hex)))).toBe(want);
  });

  it('decodes 20000 nested lists without recursion', () => {
    const depth = 20000;
    const headers: number[][] = [];
    let len = 0;
    for (let i = 0; i < depth; i++) {
      let h: number[];
      if (len < 56) h = [0xc0 + len];
      else {
        const lb: number[] = [];
        for (let l = len; l > 0; l = Math.floor(l / 256)) lb.unshift(l % 256);
        h = [0xf7 + lb.length, ...lb];
      }
      headers.push(h);
      len += h.length;
    }
    const bytes = Uint8Array.from(headers.reverse().flat());
    let item: RlpItem = rlpDecode(bytes);
    let d = 1;
    while (Array.isArray(item) && item.length === 1) {
      item = item[0];
      d++;
    }
    expect(d).toBe(depth);
  });
});

describe('typed helpers', () => {
  it('integers: canonical, bounded', () => {
    expect(rlpDecodeUint(new Uint8Array(0))).toBe(0n);
    expect(rlpDecodeUint(Uint8Array.of(1, 0))).toBe(256n);
    expect(code(() => rlpDecodeUint(Uint8Array.of(0)))).toBe('RLP_LEADING_ZERO');
    expect(code(() => rlpDecodeUint(Uint8Array.of(0, 1)))).toBe('RLP_LEADING_ZERO');
    expect(code(() => rlpDecodeUint(new Uint8Array(9).fill(1), 'nonce', 8))).toBe('RLP_INTEGER_TOO_LARGE');
    expect(code(() => rlpDecodeUint([]))).toBe('RLP_EXPECTED_STRING');
  });
  it('addresses: 20 bytes, or empty when allowed', () => {
    expect(rlpDecodeAddress(new Uint8Array(20).fill(0xff))).toBe((1n << 160n) - 1n);
    expect(rlpDecodeAddress(new Uint8Array(0), 'to', true)).toBeNull();
    expect(code(() => rlpDecodeAddress(new Uint8Array(0)))).toBe('RLP_BAD_ADDRESS_LENGTH');
    expect(code(() => rlpDecodeAddress(new Uint8Array(21)))).toBe('RLP_BAD_ADDRESS_LENGTH');
    expect(code(() => rlpDecodeFixedBytes(new Uint8Array(31), 32))).toBe('RLP_BAD_FIXED_LENGTH');
  });
});

describe('rlpWrapList', () => {
  it('wraps encoded items as rlpEncode would list them, after an optional type byte', () => {
    for (const n of [0, 1, 54, 55, 56, 255, 256, 70_000]) {
      const items: RlpInput[] = [new Uint8Array(n).fill(0xab), rlpEncodeUint(BigInt(n))].filter((_, i) => i === 1 || n > 0);
      const encoded = items.map((i) => rlpEncode(i));
      const payload = new Uint8Array(encoded.reduce((a, e) => a + e.length, 0));
      encoded.reduce((at, e) => (payload.set(e, at), at + e.length), 0);
      expect(rlpWrapList(payload)).toEqual(rlpEncode(items));
      expect(rlpWrapList(payload, 2)).toEqual(Uint8Array.of(2, ...rlpEncode(items)));
    }
  });
});

describe('the one-buffer encoder', () => {
  it('equals item-by-item encoding (rlpEncodeBytes / rlpEncodeList) on random nested input', () => {
    let seed = 99;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % n;
    };
    const item = (depth: number): RlpInput => {
      if (depth > 4 || rand(3) === 0) {
        // Lengths around the 1-byte, 55/56 and 255/256 boundaries.
        const len = [0, 1, 1, 2, 55, 56, 57, 255, 256, 300, 70000][rand(11)];
        const b = new Uint8Array(len);
        for (let i = 0; i < len; i++) b[i] = rand(256);
        return b;
      }
      return Array.from({ length: rand(8) }, () => item(depth + 1));
    };
    const reference = (x: RlpInput): Uint8Array => (x instanceof Uint8Array ? rlpEncodeBytes(x) : rlpEncodeList(x.map(reference)));
    for (let i = 0; i < 300; i++) {
      const x = item(0);
      expect(bytesToHex(rlpEncode(x))).toBe(bytesToHex(reference(x)));
    }
  });
});

describe('RlpWriter', () => {
  // A writer fed the same values as a tree of inputs gives rlpEncode's bytes: short and long
  // strings, single bytes, empty and long lists (headers moved), nested deeply.
  let seed = 11;
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  function build(depth: number, w: RlpWriter): RlpInput {
    const kind = depth > 4 ? next(3) : next(5);
    if (kind === 0) {
      const b = new Uint8Array([0, 1, 55, 56, 300][next(5)]).map(() => next(256));
      w.bytes(b);
      return b;
    }
    if (kind === 1) {
      const v = BigInt(next(1 << 30)) << BigInt(next(200));
      w.uint(v);
      return bigIntToMinimalBytes(v);
    }
    if (kind === 2) {
      const v = BigInt(next(1 << 30)) << BigInt(next(120));
      w.fixed(v, 20);
      return hexToBytes(v.toString(16).padStart(40, '0'));
    }
    w.begin();
    const items: RlpInput[] = [];
    for (let i = next(kind === 3 ? 3 : 12); i > 0; i--) items.push(build(depth + 1, w));
    w.end();
    return items;
  }
  it('writes what rlpEncode encodes', () => {
    for (let k = 0; k < 300; k++) {
      const w = new RlpWriter();
      w.begin();
      const tree = [build(0, w), build(0, w)];
      w.end();
      expect(bytesToHex(w.view())).toBe(bytesToHex(rlpEncode(tree)));
    }
  });
  it('refuses values that do not fit and lists left open', () => {
    expect(() => new RlpWriter().fixed(1n << 160n, 20)).toThrow(RangeError);
    expect(() => new RlpWriter().uint(-1n)).toThrow(RangeError);
    expect(() => new RlpWriter().begin().view()).toThrow(/open/);
    expect(bytesToHex(new RlpWriter().fixed(0n, 1).view())).toBe('0x00');
  });
});
