// Proving mode's end of block (reference §4.7, §9): every slot the block read or wrote, account
// hashes at 0x8003 included, is checked against the commitment before the block with Merkle
// proofs from the oracle, and the writes give the commitment after. Nothing the oracle said about
// state is taken on trust.
import { bigIntToBytes, bytesEqual, bytesToBigInt } from '../common/bytes.ts';
import { blake2s } from '../crypto/index.ts';
import type { ProvingOracle } from '../oracle/proving.ts';
import { ACCOUNT_PROPERTIES_STORAGE_ADDRESS, encodeProperties } from '../system/account.ts';
import type { IO } from '../system/io.ts';
import type { TreeCommitment } from '../tree/flat/hash.ts';
import { flatKey } from '../tree/flat/keys.ts';
import { compareStorageKeys } from '../tree/flat/order.ts';
import { verifyAndApplyBatch, type AccessedSlot } from '../tree/flat/verify.ts';
import type { BlockMetadata } from '../oracle/types.ts';
import { computePublicInput } from './public-input.ts';
import type { BlockOutput } from './types.ts';
import { l2ToL1LogHash } from './zksync/header.ts';

interface Keyed {
  address: bigint;
  key: bigint;
  slot: AccessedSlot;
}

/** The final account-properties slot value: unchanged accounts keep the oracle's value. */
export function finalAccountHash(initialHash: bigint, encoding: Uint8Array, initialEncoding: Uint8Array): bigint {
  const value = bytesToBigInt(blake2s(encoding));
  if (value === initialHash) return initialHash;
  if (initialHash === 0n && bytesEqual(encoding, initialEncoding)) return 0n;
  return value;
}

/** Every slot the IO caches, in the §4.6 order that decides new leaf indices. */
export function accessedSlots(io: IO): AccessedSlot[] {
  const out: Keyed[] = [];
  for (const a of io.accounts.values()) {
    const final = finalAccountHash(a.initialHash, encodeProperties(a.props), encodeProperties(a.initial));
    out.push({
      address: ACCOUNT_PROPERTIES_STORAGE_ADDRESS,
      key: a.address,
      slot: {
        flatKey: flatKey(ACCOUNT_PROPERTIES_STORAGE_ADDRESS, a.address),
        initialValue: bigIntToBytes(a.initialHash, 32),
        finalValue: bigIntToBytes(final, 32),
        isNew: a.initialIsNew,
      },
    });
    for (const s of a.storage.values()) {
      out.push({
        address: a.address,
        key: s.key,
        slot: { flatKey: flatKey(a.address, s.key), initialValue: bigIntToBytes(s.initial, 32), finalValue: bigIntToBytes(s.value, 32), isNew: s.isNew },
      });
    }
  }
  out.sort((x, y) => compareStorageKeys(x.address, x.key, y.address, y.key));
  return out.map((k) => k.slot);
}

/** Verifies the block's reads and applies its writes; throws TreeVerificationError on any lie. */
export function verifyBlockState(io: IO, oracle: ProvingOracle): { before: TreeCommitment; after: TreeCommitment } {
  const before = oracle.ioImplementerInit();
  const after = verifyAndApplyBatch(before, accessedSlots(io), oracle);
  return { before, after };
}

/** Proving mode's finish: verify state, then the public input over everything the block did. */
export function finishProving(io: IO, oracle: ProvingOracle, meta: BlockMetadata, out: BlockOutput): void {
  if (!out.blockHash || !out.pubdata || !out.priorityOpsHash || !out.upgradeTxHash) {
    throw new Error(`proving needs the zksync profile's block outputs (block ${meta.blockNumber})`);
  }
  const { before, after } = verifyBlockState(io, oracle);
  out.commitmentBefore = before;
  out.commitmentAfter = after;
  out.publicInput = computePublicInput({
    before,
    after,
    chainId: meta.chainId,
    blockNumber: meta.blockNumber,
    timestamp: meta.timestamp,
    blockHashes: meta.blockHashes,
    blockHash: out.blockHash,
    pubdata: out.pubdata,
    priorityOpsHash: out.priorityOpsHash,
    l2ToL1LogHashes: (out.l2ToL1Logs ?? []).map(l2ToL1LogHash),
    upgradeTxHash: out.upgradeTxHash,
    nativePrice: meta.nativePrice,
    gasPerPubdata: meta.gasPerPubdata,
    txInputsHash: out.txInputsHash,
  });
  oracle.disconnect();
}
