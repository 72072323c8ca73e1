import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '../../machine/common/bytes.ts';
import { keccak256 } from '../../machine/crypto/index.ts';
import { EMPTY_CODE_HASH, EMPTY_TRIE_ROOT, ethereumStateRoot, storageRoot, trieRoot, type EthereumAccount } from '../../machine/tree/mpt.ts';
import { logsHash } from '../../machine/tx/receipt.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);
const pairs = (kv: Array<[string, string]>): Array<[Uint8Array, Uint8Array]> => kv.map(([k, v]) => [utf8(k), utf8(v)]);
const hexPairs = (kv: Array<[string, string]>): Array<[Uint8Array, Uint8Array]> => kv.map(([k, v]) => [hexToBytes(k), hexToBytes(v)]);

describe('trieRoot (ethereum/tests TrieTests vectors)', () => {
  it('empty trie', () => {
    expect(bytesToHex(trieRoot([]))).toBe('0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421');
    expect(trieRoot([])).toEqual(EMPTY_TRIE_ROOT);
    expect(trieRoot(pairs([['a', '']]))).toEqual(EMPTY_TRIE_ROOT);
  });

  const vectors: Array<[string, Array<[Uint8Array, Uint8Array]>, string]> = [
    ['singleItem', pairs([['A', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa']]), '0xd23786fb4a010da3ce639d66d5e904a11dbc02746d1ce25029e53290cabf28ab'],
    ['dogs', pairs([['doe', 'reindeer'], ['dog', 'puppy'], ['dogglesworth', 'cat']]), '0x8aad789dff2f538bca5d8ea56e8abe10f4c7ba3a5dea95fea4cd6e7c3a1168d3'],
    ['puppy', pairs([['do', 'verb'], ['horse', 'stallion'], ['doge', 'coin'], ['dog', 'puppy']]), '0x5991bb8c6514148a29db676a14ac506cd2cd5775ace63c30a4fe457715e9ac84'],
    ['foo', pairs([['foo', 'bar'], ['food', 'bass']]), '0x17beaa1648bafa633cda809c90c04af50fc8aed3cb40d16efbddee6fdf63c4c3'],
    ['smallValues', pairs([['be', 'e'], ['dog', 'puppy'], ['bed', 'd']]), '0x3f67c7a47520f79faa29255d2d3c084a7a6df0453116ed7232ff10277a8be68b'],
    ['testy', pairs([['test', 'test'], ['te', 'testy']]), '0x8452568af70d8d140f58d941338542f645fcca50094b20f3c3d8c3df49337928'],
    ['hex', hexPairs([['0x0045', '0x0123456789'], ['0x4500', '0x9876543210']]), '0x285505fcabe84badc8aa310e2aae17eddc7d120aabec8a476902c8184b3a3503'],
    [
      'keys ending inside branches',
      pairs([
        ['key1aa', '0123456789012345678901234567890123456789xxx'],
        ['key1', '0123456789012345678901234567890123456789Very_Long'],
        ['key2bb', 'aval3'],
        ['key2', 'short'],
        ['key3cc', 'aval3'],
        ['key3', '1234567890123456789012345678901'],
      ]),
      '0xcb65032e2f76c48b82b5c24b3db8f670ce73982869d38cd39a624f23d62a9e89',
    ],
  ];
  it.each(vectors)('%s', (_name, entries, root) => {
    expect(bytesToHex(trieRoot(entries))).toBe(root);
    expect(bytesToHex(trieRoot([...entries].reverse()))).toBe(root);
  });

  it('rejects duplicate keys', () => {
    expect(() => trieRoot(pairs([['a', '1'], ['a', '2']]))).toThrow(/duplicate/);
  });

  it('is fast for a few thousand secure keys', () => {
    const entries: Array<[Uint8Array, Uint8Array]> = [];
    for (let i = 0; i < 3000; i++) entries.push([keccak256(Uint8Array.of(i >> 8, i & 255)), Uint8Array.of(1, i & 255)]);
    const t0 = performance.now();
    const root = trieRoot(entries);
    expect(root.length).toBe(32);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

// Post states of GeneralStateTests built by hand from the test definitions (Cancun, base fee 10,
// gas price 10: the coinbase earns nothing, the sender pays gasUsed * 10 and the value).
const SENDER = 0xa94f5374fce5edbc8e2a8697c15331677e6ebf0bn;
const COINBASE = 0x2adc25665018aa1fe0e6bc666dac8fc2697ff9ban;
const CALLEE = 0x095e7baea6a6c7c4c2dfeb977efac326af552d87n;
const LOGGER = 0x0f572e5295c57f15886f9b263e2f6d2d6c7b5ec6n;
const ETH = 10n ** 18n;
const codeHash = (hex: string) => keccak256(hexToBytes(hex));

describe('ethereumStateRoot', () => {
  it('stExample/add11 post state (Cancun)', () => {
    // 21000 + 4 pushes/add (12) + SSTORE 0 -> 2 on a cold slot (2100 + 20000).
    const gasUsed = 21000n + 12n + 22100n;
    const accounts: EthereumAccount[] = [
      { address: SENDER, nonce: 1n, balance: ETH - gasUsed * 10n - 100000n, codeHash: EMPTY_CODE_HASH, storage: [] },
      { address: COINBASE, nonce: 1n, balance: 0n, codeHash: EMPTY_CODE_HASH, storage: [] },
      { address: CALLEE, nonce: 0n, balance: ETH + 100000n, codeHash: codeHash('0x600160010160005500'), storage: [[0n, 2n]] },
    ];
    expect(bytesToHex(ethereumStateRoot(accounts))).toBe('0xe8010ce590f401c9d61fef8ab05bea9bcec24281b795e5868809bc4e515aa530');
  });

  it('stLogTests/log0_emptyMem post state (Cancun)', () => {
    // Caller: 7 pushes (21), CALL to a cold, existing account with value 0x17 and 1000 gas
    // (2600 + 9000 + the 381 the callee burns - the 2300 stipend), PUSH1 (3), SSTORE 0 -> 1 (22100).
    const gasUsed = 21000n + 21n + (2600n + 9000n + 381n - 2300n) + 3n + 22100n;
    // The coinbase is not in this test's pre-state, and a zero priority fee does not create it.
    const accounts: EthereumAccount[] = [
      { address: SENDER, nonce: 1n, balance: ETH - gasUsed * 10n - 100000n, codeHash: EMPTY_CODE_HASH, storage: [] },
      {
        address: CALLEE,
        nonce: 0n,
        balance: ETH + 100000n - 0x17n,
        codeHash: codeHash('0x60006000600060006017730f572e5295c57f15886f9b263e2f6d2d6c7b5ec66103e8f160005500'),
        storage: [[0n, 1n], [5n, 0n]],
      },
      { address: LOGGER, nonce: 0n, balance: ETH + 0x17n, codeHash: codeHash('0x60006000a000'), storage: [] },
    ];
    expect(bytesToHex(ethereumStateRoot(accounts))).toBe('0x9b11c8e0246197d3896c2ad50ce37c9792e22a5b2dea33c2120cc41f8eab4803');
  });

  it('omits zero slots from storage roots', () => {
    expect(storageRoot([[1n, 0n]])).toEqual(EMPTY_TRIE_ROOT);
    expect(storageRoot([[1n, 5n], [2n, 0n]])).toEqual(storageRoot([[1n, 5n]]));
  });
});

describe('logsHash', () => {
  it('empty', () => {
    expect(bytesToHex(logsHash([]))).toBe('0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347');
  });
  it('stLogTests/log0_emptyMem: LOG0 without data', () => {
    expect(bytesToHex(logsHash([{ address: LOGGER, topics: [], data: new Uint8Array(0) }]))).toBe(
      '0xea63b4dbbdbca1bd985580a0c3b6f35a4955d4d4cf0b4d903003cdfc4c40ba1c',
    );
  });
  it('stLogTests/log1_nonEmptyMem and log2_nonEmptyMem: 32 bytes of 0xff, zero topics', () => {
    const data = new Uint8Array(32).fill(0xff);
    expect(bytesToHex(logsHash([{ address: LOGGER, topics: [0n], data }]))).toBe(
      '0x2e3c489a64cf3233b1ac4d42fd1f6e2430f6d99524c57dba5471d3b41a20fdc0',
    );
    expect(bytesToHex(logsHash([{ address: LOGGER, topics: [0n, 0n], data }]))).toBe(
      '0x6e02fdc5f0bf3152415cc76a6ed19cd23f9eee9c8ada826de72bfab8c0bbb103',
    );
  });
});
