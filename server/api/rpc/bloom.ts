// The 2048-bit logs bloom of the Yellow Paper (§4.3.1): for the address and each topic, three
// bits chosen by the low 11 bits of the first three byte pairs of its keccak. ZKsync OS leaves the
// header's bloom zero; receipts carry the real one so Ethereum tooling can filter on it.
import { keccak256 } from '../../../machine/crypto/index.ts';
import { bigIntToBytes } from '../../../machine/common/bytes.ts';
import type { Log } from '../../../machine/system/io.ts';

export function logsBloom(logs: readonly Log[]): Uint8Array {
  const bloom = new Uint8Array(256);
  const add = (item: Uint8Array): void => {
    const h = keccak256(item);
    for (let i = 0; i < 6; i += 2) {
      const bit = ((h[i] << 8) | h[i + 1]) & 2047;
      bloom[255 - (bit >> 3)] |= 1 << (bit & 7);
    }
  };
  for (const l of logs) {
    add(bigIntToBytes(l.address, 20));
    for (const t of l.topics) add(bigIntToBytes(t, 32));
  }
  return bloom;
}
