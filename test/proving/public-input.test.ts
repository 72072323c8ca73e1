import { describe, expect, it } from 'vitest';
import { blake2s } from '../../machine/crypto/index.ts';
import { bytesToHex, concatBytes, hexToBytes } from '../../machine/common/bytes.ts';
import { blockHashWindowHash, computePublicInput, nextBlockHashWindow, type PublicInputParts } from '../../machine/bootloader/public-input.ts';
import { compareStorageKeys } from '../../machine/tree/flat/order.ts';

const EMPTY_ROOT = hexToBytes('0x90a83ead2ba2194fbbb0f7cd2a017e36cfb4891513546d943a7282c2844d4b6b');

function parts(over: Partial<PublicInputParts> = {}): PublicInputParts {
  return {
    before: { root: EMPTY_ROOT, nextFreeSlot: 2n },
    after: { root: EMPTY_ROOT, nextFreeSlot: 2n },
    chainId: 37n,
    blockNumber: 5n,
    timestamp: 42n,
    blockHashes: Array.from({ length: 256 }, (_, i) => BigInt(1000 - i)),
    blockHash: new Uint8Array(32).fill(7),
    pubdata: new Uint8Array([1, 2, 3]),
    priorityOpsHash: blake2s(new Uint8Array(0)),
    l2ToL1LogHashes: [],
    upgradeTxHash: new Uint8Array(32),
    nativePrice: 10n,
    gasPerPubdata: 1n,
    txInputsHash: new Uint8Array(32),
    ...over,
  };
}

describe('the public input', () => {
  it('chains: the state after block N equals the state before block N+1', () => {
    const n = computePublicInput(parts());
    const next = computePublicInput(
      parts({ blockNumber: 6n, blockHashes: nextBlockHashWindow(parts().blockHashes, parts().blockHash), before: parts().after }),
    );
    expect(bytesToHex(next.stateBefore)).toBe(bytesToHex(n.stateAfter));
  });

  it('commits to every input, native price and gas per pubdata included', () => {
    const base = bytesToHex(computePublicInput(parts()).hash);
    const variants: Partial<PublicInputParts>[] = [
      { nativePrice: 11n },
      { gasPerPubdata: 2n },
      { txInputsHash: new Uint8Array(32).fill(3) },
      { chainId: 38n },
      { timestamp: 43n },
      { blockNumber: 6n },
      { pubdata: new Uint8Array([1, 2, 4]) },
      { priorityOpsHash: new Uint8Array(32) },
      { l2ToL1LogHashes: [new Uint8Array(32)] },
      { upgradeTxHash: new Uint8Array(32).fill(1) },
      { blockHash: new Uint8Array(32).fill(8) },
      { after: { root: EMPTY_ROOT, nextFreeSlot: 3n } },
      { before: { root: new Uint8Array(32), nextFreeSlot: 2n } },
    ];
    for (const v of variants) expect(bytesToHex(computePublicInput(parts(v)).hash), JSON.stringify(Object.keys(v))).not.toBe(base);
  });

  it('lays the 32 bytes out as 8 little-endian words', () => {
    const pi = computePublicInput(parts());
    expect(pi.words[0]).toBe((pi.hash[0] | (pi.hash[1] << 8) | (pi.hash[2] << 16) | (pi.hash[3] << 24)) >>> 0);
    expect(bytesToHex(pi.hash)).toBe(bytesToHex(blake2s(concatBytes(pi.stateBefore, pi.stateAfter, pi.blocksOutput))));
    expect(() => blockHashWindowHash([1n])).toThrow(RangeError);
  });
});

describe('the storage-cache order (reference §4.6)', () => {
  it('compares addresses by little-endian 64-bit limbs, least significant first', () => {
    // 0x1_0000000000000000 has low limb 0: it sorts before 0x2 (low limb 2).
    expect(compareStorageKeys(1n << 64n, 0n, 2n, 0n)).toBe(-1);
    expect(compareStorageKeys(2n, 0n, 1n << 64n, 0n)).toBe(1);
    expect(compareStorageKeys(3n, 1n, 3n, 2n)).toBe(-1);
    expect(compareStorageKeys(3n, 2n, 3n, 2n)).toBe(0);
  });
});
