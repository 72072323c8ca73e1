// The storage-cache order of reference §4.6: addresses compared by their three 64-bit
// little-endian limbs starting with the least significant, then the 32-byte key bytewise. New
// leaves are appended in this order, so forward trees and provers must agree on it.

const M64 = (1n << 64n) - 1n;

export function compareStorageKeys(addrA: bigint, keyA: bigint, addrB: bigint, keyB: bigint): number {
  if (addrA !== addrB) {
    for (let shift = 0n; shift < 192n; shift += 64n) {
      const a = (addrA >> shift) & M64;
      const b = (addrB >> shift) & M64;
      if (a !== b) return a < b ? -1 : 1;
    }
  }
  return keyA < keyB ? -1 : keyA > keyB ? 1 : 0;
}
