// Block-level outputs of the zksync profile (reference §2.10, §5.4, §5.5): the transactions
// rolling hash, priority-ops and upgrade hashes, the L2→L1 logs and their 88-byte encoding, and
// the Ethereum-shaped 16-field header and its hash — with zkos's decisions (design.md): the parent
// hash is the real previous block hash, gas used is real, the mix hash is the block's.
import { bigIntToBytes, bigIntToMinimalBytes, concatBytes, hexToBytes } from '../../common/bytes.ts';
import { rlpEncode } from '../../common/rlp.ts';
import { blake2s, keccak256 } from '../../crypto/index.ts';
import type { L2ToL1Log } from '../../system/io.ts';
import { ZK_TX_TYPE_L1, ZK_TX_TYPE_UPGRADE } from '../../tx/zksync/types.ts';
import type { BlockFinalization } from '../profile.ts';
import type { BlockEvent, BlockHeader, BlockOutput, TxReceipt } from '../types.ts';

/** keccak(RLP([])) */
export const EMPTY_OMMERS_HASH = hexToBytes('0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347');

/** The 88-byte encoding of an L2→L1 log (§5.4): shard 0, is_service 1, tx number, sender, key, value. */
export function encodeL2ToL1Log(log: L2ToL1Log): Uint8Array {
  const out = new Uint8Array(88);
  out[0] = 0;
  out[1] = 1;
  out[2] = (log.txNumber >> 8) & 0xff;
  out[3] = log.txNumber & 0xff;
  out.set(bigIntToBytes(log.sender, 20), 4);
  out.set(log.key, 24);
  out.set(log.value, 56);
  return out;
}

export function l2ToL1LogHash(log: L2ToL1Log): Uint8Array {
  return keccak256(encodeL2ToL1Log(log));
}

/** keccak(prev ‖ txHash) over the executed transactions, seeded with 32 zero bytes. */
export function txRollingHash(hashes: readonly Uint8Array[]): Uint8Array {
  let h: Uint8Array = new Uint8Array(32);
  for (const x of hashes) h = keccak256(concatBytes(h, x));
  return h;
}

export function encodeHeader(h: BlockHeader): Uint8Array {
  const n = bigIntToMinimalBytes;
  return rlpEncode([
    h.parentHash, h.ommersHash, bigIntToBytes(h.beneficiary, 20), h.stateRoot, h.transactionsRoot, h.receiptsRoot,
    h.logsBloom, n(h.difficulty), n(h.number), n(h.gasLimit), n(h.gasUsed), n(h.timestamp), h.extraData, h.mixHash,
    h.nonce, n(h.baseFeePerGas),
  ]);
}

export function blockHash(h: BlockHeader): Uint8Array {
  return keccak256(encodeHeader(h));
}

export function zksyncBlockOutputs(f: BlockFinalization): Partial<BlockOutput> {
  const receipts: TxReceipt[] = [];
  for (const r of f.results) if (r.kind === 'executed') receipts.push(r.receipt);
  const priority = receipts.filter((r) => r.type === ZK_TX_TYPE_L1).map((r) => r.hash);
  const upgrade = receipts.find((r) => r.type === ZK_TX_TYPE_UPGRADE);
  const events: BlockEvent[] = [];
  for (const r of receipts) for (const l of r.logs) events.push({ ...l, txIndex: r.index, logIndex: events.length });
  const rolling = txRollingHash(receipts.map((r) => r.hash));
  const m = f.block;
  const header: BlockHeader = {
    parentHash: bigIntToBytes(m.blockHashes[0] ?? 0n, 32),
    ommersHash: EMPTY_OMMERS_HASH,
    beneficiary: m.coinbase,
    stateRoot: new Uint8Array(32),
    transactionsRoot: rolling,
    receiptsRoot: new Uint8Array(32),
    logsBloom: new Uint8Array(256),
    difficulty: 0n,
    number: m.blockNumber,
    gasLimit: m.gasLimit,
    gasUsed: f.gasUsed,
    timestamp: m.timestamp,
    extraData: new Uint8Array(0),
    mixHash: bigIntToBytes(m.mixHash, 32),
    nonce: new Uint8Array(8),
    baseFeePerGas: m.eip1559BaseFee,
  };
  return {
    events,
    l2ToL1Logs: f.io.l2ToL1Logs.slice(),
    l2ToL1Messages: f.io.l2ToL1Messages.slice(),
    txRollingHash: rolling,
    priorityOpsHash: blake2s(concatBytes(...priority)),
    upgradeTxHash: upgrade?.hash ?? new Uint8Array(32),
    header,
    blockHash: blockHash(header),
  };
}
