// The access list inside `reserved_dynamic` (reference/zksync-os.md §2.3, last paragraph;
// `transaction/access_list_parser.rs`, rig `tests/rig/src/utils.rs::encode_access_list`).
//
// reserved_dynamic is a `bytes` whose content is the ABI encoding of ONE value of type
// `tuple(address,bytes32[])[][]` with an outer array of exactly one element; empty bytes mean "no
// access list". Content layout (positions relative to the start of the content):
//
//   0x00  0x20                 offset of the outer array
//   0x20  1                    outer length
//   0x40  0x20                 offset of the inner array (relative to 0x40)
//   0x60  n                    number of entries
//   0x80  n offsets            of each entry, relative to 0x80, tight
//   …     per entry: address word, 0x40 (offset of its keys, relative to the entry),
//         key count m, m key words
//
// The reference parser only checks the outer length and u32 words; this one accepts only the
// canonical encoding above (every offset exactly as a standard ABI encoder writes it, address upper
// bytes zero, nothing after the last key), so that decode ∘ encode is the identity.
import type { AccessListItem } from '../types.ts';
import { AbiReader, WORD, writeWord } from './abi.ts';
import { ZkTxDecodeError } from './types.ts';

const ENTRIES_HEAD = 0x80;

/** Parses reserved_dynamic content; `base` is its offset in the body (for error offsets). */
export function decodeAccessList(content: Uint8Array, base = 0): AccessListItem[] | null {
  if (content.length === 0) return null;
  const r = new AbiReader(content, base);
  r.offset(0, 0x20, 'reserved_dynamic outer array');
  const outer = r.length(0x20, 'reserved_dynamic outer array');
  if (outer !== 1) {
    throw new ZkTxDecodeError('ZK_ACCESS_LIST_OUTER_LENGTH', `reserved_dynamic outer array has ${outer} elements, expected 1`, {
      offset: base + 0x20,
      field: 'reserved_dynamic',
    });
  }
  r.offset(0x40, 0x20, 'access list');
  const n = r.length(0x60, 'access list');
  r.need(ENTRIES_HEAD, n * WORD, 'access list offsets');
  const list: AccessListItem[] = [];
  let expected = n * WORD; // relative to ENTRIES_HEAD
  for (let i = 0; i < n; i++) {
    const what = `accessList[${i}]`;
    r.offset(ENTRIES_HEAD + i * WORD, expected, what);
    const at = ENTRIES_HEAD + expected;
    const address = r.address(at, `${what}.address`);
    r.offset(at + WORD, 0x40, `${what}.storageKeys`);
    const m = r.length(at + 2 * WORD, `${what}.storageKeys`);
    r.need(at + 3 * WORD, m * WORD, `${what}.storageKeys`);
    const storageKeys: bigint[] = [];
    for (let j = 0; j < m; j++) storageKeys.push(r.uint(at + (3 + j) * WORD, 256, `${what}.storageKeys[${j}]`));
    list.push({ address, storageKeys });
    expected += (3 + m) * WORD;
  }
  const end = ENTRIES_HEAD + expected;
  if (end !== content.length) {
    throw new ZkTxDecodeError('ZK_TRAILING_BYTES', `${content.length - end} bytes after the access list`, {
      offset: base + end,
      field: 'reserved_dynamic',
    });
  }
  return list;
}

/** The canonical reserved_dynamic content for an access list (null → empty bytes). */
export function encodeAccessList(list: AccessListItem[] | null): Uint8Array {
  if (list === null) return new Uint8Array(0);
  let size = ENTRIES_HEAD + list.length * WORD;
  for (const e of list) size += (3 + e.storageKeys.length) * WORD;
  const out = new Uint8Array(size);
  writeWord(out, 0, 0x20n);
  writeWord(out, 0x20, 1n);
  writeWord(out, 0x40, 0x20n);
  writeWord(out, 0x60, BigInt(list.length));
  let rel = list.length * WORD;
  list.forEach((e, i) => {
    writeWord(out, ENTRIES_HEAD + i * WORD, BigInt(rel));
    const at = ENTRIES_HEAD + rel;
    writeWord(out, at, e.address);
    writeWord(out, at + WORD, 0x40n);
    writeWord(out, at + 2 * WORD, BigInt(e.storageKeys.length));
    e.storageKeys.forEach((k, j) => writeWord(out, at + (3 + j) * WORD, k));
    rel += (3 + e.storageKeys.length) * WORD;
  });
  return out;
}
