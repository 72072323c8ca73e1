// Every vector of reference §4.2 (hashes, empty root, roots after inserts/updates) and §4.3
// (flat keys), plus the account hashes of §4.4–4.5.
import { describe, expect, it } from 'vitest';
import { bigIntToBytes, bytesToHex, hexToBytes } from '../../machine/common/bytes.ts';
import { blake2s, keccak256 } from '../../machine/crypto/index.ts';
import {
  ACCOUNT_PROPERTIES_STORAGE_ADDRESS,
  FlatTree,
  MAX_KEY,
  MIN_KEY,
  accountHash,
  accountPropertiesFlatKey,
  accountPropertiesSlot,
  emptyHashes,
  flatKey,
  leafHash,
  treeProofSource,
  verifyAndApplyBatch,
  type AccessedSlot,
} from '../../machine/tree/flat/index.ts';

const fill = (b: number) => new Uint8Array(32).fill(b);
const hex = bytesToHex;
const ZERO = new Uint8Array(32);

const EMPTY_ROOT = '0x90a83ead2ba2194fbbb0f7cd2a017e36cfb4891513546d943a7282c2844d4b6b';
const ROOT_AFTER_01 = '0x08da20879eebed16fbd14e50b427bb97c8737aa860e6519877757e238df83a15';
const ROOT_AFTER_02 = '0xf227612db17b44a5c9a2ebd0e4ff2dbe91aa05f3198d09f0bcfd6ef16c1d28c8';
const ROOT_AFTER_UPDATE = '0x81a600569c2cda27c7ae4773255acc70ac318a49404fa1035a7734a3aaa82589';
const ROOT_TWO_KEYS = '0xc90465eddad7cc858a2fbf61013d7051c143887a887e5a7a19344ac32151b207';

describe('§4.2 hashes', () => {
  it('empty-subtree hashes E0, E1, E63', () => {
    const E = emptyHashes();
    expect(hex(E[0])).toBe('0xe3cdc93b3c2beb30f6a7c7cc45a32da012df9ae1be880e2c074885cb3f4e1e53');
    expect(hex(E[0])).toBe(hex(blake2s(new Uint8Array(72))));
    expect(hex(E[1])).toBe('0xc45bfaf4bb5d0fee27d3178b8475155a07a1fa8ada9a15133a9016f7d0435f0f');
    expect(hex(E[63])).toBe('0xb720fe53e6bd4e997d967b8649e10036802a4fd3aca6d7dcc43ed9671f41cb31');
  });

  it('guard leaf hashes', () => {
    expect(hex(leafHash(MIN_KEY, ZERO, 1n))).toBe('0x9903897e51baa96a5ea51b4c194d3e0c6bcf20947cce9fd646dfb4bf754c8d28');
    expect(hex(leafHash(MAX_KEY, ZERO, 1n))).toBe('0xb35299e7564e05e335094c02064bccf83d58745b417874b1fee3f523ec2007a9');
    const t = new FlatTree();
    expect(hex(leafHash(t.leaf(0).key, t.leaf(0).value, t.leaf(0).next))).toBe(
      '0x9903897e51baa96a5ea51b4c194d3e0c6bcf20947cce9fd646dfb4bf754c8d28',
    );
    expect(t.leaf(1)).toEqual({ key: MAX_KEY, value: ZERO, next: 1n });
  });

  it('leaf hash takes next little-endian', () => {
    const le = new Uint8Array(72);
    le.set(fill(7), 0);
    le.set(fill(9), 32);
    le[64] = 0x02;
    le[65] = 0x01;
    expect(hex(leafHash(fill(7), fill(9), 0x0102n))).toBe(hex(blake2s(le)));
  });

  it('empty tree root and commitment', () => {
    const t = new FlatTree();
    expect(hex(t.root())).toBe(EMPTY_ROOT);
    expect(t.commitment().nextFreeSlot).toBe(2n);
  });

  it('insert 0x01…, insert 0x02…, update 0x01…', () => {
    const t = new FlatTree();
    t.insertOrUpdate(fill(0x01), fill(0x10));
    expect(hex(t.root())).toBe(ROOT_AFTER_01);
    expect(t.leaf(0).next).toBe(2n);
    expect(t.leaf(2)).toEqual({ key: fill(0x01), value: fill(0x10), next: 1n });
    expect(t.nextFreeSlot).toBe(3n);
    t.insertOrUpdate(fill(0x02), fill(0x20));
    expect(hex(t.root())).toBe(ROOT_AFTER_02);
    expect(t.get(fill(0x02))).toEqual({ index: 3n, value: fill(0x20) });
    t.insertOrUpdate(fill(0x01), fill(0x33));
    expect(hex(t.root())).toBe(ROOT_AFTER_UPDATE);
    expect(t.nextFreeSlot).toBe(4n);
  });

  it('the same inserts as one batch give the same root', () => {
    const t = new FlatTree();
    t.applyBatch([
      { key: fill(0x01), value: fill(0x10) },
      { key: fill(0x02), value: fill(0x20) },
    ]);
    expect(hex(t.root())).toBe(ROOT_AFTER_02);
  });

  it('two-key ordering example: BE(0xc0ffeefe), BE(0xdeadbeef)', () => {
    const k0 = bigIntToBytes(0xc0ffeefen);
    const k1 = bigIntToBytes(0xdeadbeefn);
    const t = new FlatTree();
    t.insertOrUpdate(k0, fill(0x10));
    t.insertOrUpdate(k1, fill(0x20));
    expect(t.leaf(0).next).toBe(2n);
    expect(t.leaf(2).next).toBe(3n);
    expect(t.leaf(3).next).toBe(1n);
    expect(hex(t.root())).toBe(ROOT_TWO_KEYS);
    // Inserted the other way round the indices swap, so the root differs.
    const u = new FlatTree();
    u.applyBatch([
      { key: k1, value: fill(0x20) },
      { key: k0, value: fill(0x10) },
    ]);
    expect(u.leaf(0).next).toBe(3n);
    expect(u.leaf(3).next).toBe(2n);
    expect(u.leaf(2).next).toBe(1n);
    expect(hex(u.root())).not.toBe(ROOT_TWO_KEYS);
  });

  it('the vectors through verifyAndApplyBatch from the empty commitment', () => {
    const t = new FlatTree();
    const slots = (entries: Array<[Uint8Array, Uint8Array, Uint8Array, boolean]>): AccessedSlot[] =>
      entries.map(([flatKey, initialValue, finalValue, isNew]) => ({ flatKey, initialValue, finalValue, isNew }));
    let c = verifyAndApplyBatch(
      t.commitment(),
      slots([
        [fill(1), ZERO, fill(0x10), true],
        [fill(2), ZERO, fill(0x20), true],
      ]),
      treeProofSource(t),
    );
    expect(hex(c.root)).toBe(ROOT_AFTER_02);
    expect(c.nextFreeSlot).toBe(4n);
    t.applyBatch([
      { key: fill(1), value: fill(0x10) },
      { key: fill(2), value: fill(0x20) },
    ]);
    c = verifyAndApplyBatch(c, slots([[fill(1), fill(0x10), fill(0x33), false]]), treeProofSource(t));
    expect(hex(c.root)).toBe(ROOT_AFTER_UPDATE);
  });
});

describe('§4.3 key derivation and §4.4–4.5 account hashes', () => {
  it('flat keys of address 0x…01', () => {
    expect(hex(accountPropertiesFlatKey(1n))).toBe('0xec7ad85c4a2987e6c1f51e4f59e9bc1735b520ceb64cb50126940337ed276408');
    expect(hex(flatKey(ACCOUNT_PROPERTIES_STORAGE_ADDRESS, accountPropertiesSlot(1n)))).toBe(
      '0xec7ad85c4a2987e6c1f51e4f59e9bc1735b520ceb64cb50126940337ed276408',
    );
    expect(hex(flatKey(1n, 0n))).toBe('0x700127744470217ec1d2fe11c8913ffbbb3a1d6f1a30aaa72dfbbc7b66281d59');
    expect(hex(flatKey(1n, new Uint8Array(32)))).toBe('0x700127744470217ec1d2fe11c8913ffbbb3a1d6f1a30aaa72dfbbc7b66281d59');
  });

  it('flat key layout: blake2s(12 zero bytes ‖ address ‖ slot)', () => {
    const address = 0x1234567890abcdef1234567890abcdef12345678n;
    const pre = new Uint8Array(64);
    pre.set(hexToBytes('1234567890abcdef1234567890abcdef12345678'), 12);
    pre[63] = 5;
    expect(hex(flatKey(address, 5n))).toBe(hex(blake2s(pre)));
    expect(ACCOUNT_PROPERTIES_STORAGE_ADDRESS).toBe(0x8003n);
    expect(() => flatKey(1n << 160n, 0n)).toThrow();
    expect(() => flatKey(1n, new Uint8Array(31))).toThrow();
  });

  it('account hash of the all-zero encoding and of a deployed EVM contract', () => {
    expect(hex(accountHash(new Uint8Array(124)))).toBe('0x7a2b5e8d3961f5c992b2fa0ad45881ac0873fd0dced3c4b9085b02879c8a02b2');
    const code = hexToBytes('0x0123456789');
    expect(hex(blake2s(code))).toBe('0x1c4be3dec3ba88b69a8d3cd5cedd2b22f3da89b1ff9c8fd453c5a6e10c23d6f7');
    const enc = new Uint8Array(124);
    enc.set(hexToBytes('0x0101010000000000'), 0); // versioning: deployed, EVM, code version 1
    enc.set(blake2s(code), 48);
    enc.set(bigIntToBytes(5n, 4), 80);
    enc.set(keccak256(code), 88);
    enc.set(bigIntToBytes(5n, 4), 120);
    expect(hex(accountHash(enc))).toBe('0x53581654534eb14c46f3994f6b897330c909154e9223c9bf16689ac6fac74328');
    expect(() => accountHash(new Uint8Array(123))).toThrow();
  });
});
