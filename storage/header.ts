// The zksync block header as stored: RLP of its 16 fields in Ethereum order (the bytes whose
// keccak is the block hash), and back.
import type { BlockHeader } from '../machine/bootloader/types.ts';
import { bytesToBigInt } from '../machine/common/bytes.ts';
import { rlpDecode, rlpDecodeUint, rlpExpectBytes, rlpExpectList } from '../machine/common/rlp.ts';
import { encodeHeader } from '../machine/bootloader/zksync/header.ts';

/** The header bytes are the machine's own encoding (their keccak is the block hash). */
export const encodeHeaderRlp = encodeHeader;

/** Throws RlpError / Error on anything but a 16-item list of byte strings. */
export function decodeHeaderRlp(b: Uint8Array): BlockHeader {
  const items = rlpExpectList(rlpDecode(b), 'header');
  if (items.length !== 16) throw new Error(`header has ${items.length} fields, expected 16`);
  const bytes = (i: number, what: string): Uint8Array => rlpExpectBytes(items[i], what);
  const uint = (i: number, what: string): bigint => rlpDecodeUint(items[i], what);
  return {
    parentHash: bytes(0, 'parent hash'),
    ommersHash: bytes(1, 'ommers hash'),
    beneficiary: bytesToBigInt(bytes(2, 'beneficiary')),
    stateRoot: bytes(3, 'state root'),
    transactionsRoot: bytes(4, 'transactions root'),
    receiptsRoot: bytes(5, 'receipts root'),
    logsBloom: bytes(6, 'logs bloom'),
    difficulty: uint(7, 'difficulty'),
    number: uint(8, 'number'),
    gasLimit: uint(9, 'gas limit'),
    gasUsed: uint(10, 'gas used'),
    timestamp: uint(11, 'timestamp'),
    extraData: bytes(12, 'extra data'),
    mixHash: bytes(13, 'mix hash'),
    nonce: bytes(14, 'nonce'),
    baseFeePerGas: uint(15, 'base fee'),
  };
}
