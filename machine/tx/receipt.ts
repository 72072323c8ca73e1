// Receipt pieces shared by the `ethereum` profile and the conformance suites.
import { bigIntToBytes } from '../common/bytes.ts';
import { rlpEncodeBytes, rlpEncodeList } from '../common/rlp.ts';
import { keccak256 } from '../crypto/index.ts';

export interface LogEntry {
  address: bigint;
  topics: bigint[];
  data: Uint8Array;
}

/** RLP of one log: [address (20 bytes), [topics as 32-byte strings], data]. */
export function encodeLog(log: LogEntry): Uint8Array {
  return rlpEncodeList([
    rlpEncodeBytes(bigIntToBytes(log.address, 20)),
    rlpEncodeList(log.topics.map((t) => rlpEncodeBytes(bigIntToBytes(t, 32)))),
    rlpEncodeBytes(log.data),
  ]);
}

/** keccak256 of the RLP list of logs, as the state tests' "logs" field (empty: 0x1dcc…9347). */
export function logsHash(logs: LogEntry[]): Uint8Array {
  return keccak256(rlpEncodeList(logs.map(encodeLog)));
}
