// The zksync profile plugs into the store the same way: its blocks persist with their block-level
// outputs (header and hash, rolling hashes, L2→L1 logs and messages, native and pubdata used),
// read back exactly (the digest from the rows is the stored one) and replay identically.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlockOutput } from '../../machine/bootloader/types.ts';
import { zkBlockBodies } from '../../machine/bootloader/zksync/build.ts';
import { ZksyncProfile } from '../../machine/bootloader/zksync/profile.ts';
import { concatBytes } from '../../machine/common/bytes.ts';
import { keccak256 } from '../../machine/crypto/index.ts';
import { L1_MESSENGER_ADDRESS } from '../../machine/system/io.ts';
import { openChain, type Chain } from '../../storage/chain.ts';
import { blockExtras, canonicalDigest, outputDigest } from '../../storage/digest.ts';
import { encodeHeaderRlp } from '../../storage/header.ts';
import { ALICE, BOB, acct, eip1559, selector, word, zkMeta } from '../zksync/helpers.ts';
import { tempDir, type TempDir } from './helpers.ts';

let tmp: TempDir;
let chain: Chain;
const outputs: BlockOutput[] = [];
const MESSAGE = new Uint8Array(40).fill(7);
const sendToL1 = concatBytes(selector('sendToL1(bytes)'), word(32n), word(BigInt(MESSAGE.length)), MESSAGE, new Uint8Array(24));

beforeAll(() => {
  tmp = tempDir();
  chain = openChain(tmp.file('zk.db'), { profiles: { zksync: () => new ZksyncProfile() } });
  chain.genesis(new Map([[ALICE, acct({ balance: 10n ** 20n })]]), { chainId: 270n });
  const blocks = [
    [eip1559({ nonce: 0n, to: BOB, value: 5n }), eip1559({ nonce: 1n, to: L1_MESSENGER_ADDRESS, data: sendToL1 }), eip1559({ nonce: 7n, to: BOB })],
    [eip1559({ nonce: 2n, to: BOB, value: 6n })],
  ];
  blocks.forEach((txs, i) => {
    const m = zkMeta({ blockNumber: BigInt(i + 1) });
    outputs.push(chain.executeBlock(m, zkBlockBodies(txs, m.chainId), new ZksyncProfile()));
  });
});
afterAll(() => {
  chain.close();
  tmp.cleanup();
});

describe('zksync blocks in the store', () => {
  it('ran: a transfer, a message to L1, a rejection', () => {
    expect(outputs[0].results.map((r) => r.kind)).toEqual(['executed', 'executed', 'rejected']);
    expect(outputs[0].l2ToL1Messages?.map((m) => m.data)).toEqual([MESSAGE]);
    expect(outputs[0].l2ToL1Logs?.length).toBe(1);
  });

  it('reads back every output exactly', () => {
    for (let n = 1; n <= 2; n++) {
      const out = outputs[n - 1];
      const stored = chain.reader.output(n)!;
      expect(stored.results).toEqual(out.results);
      expect(stored.extras).toEqual(blockExtras(out));
      expect(canonicalDigest(stored)).toEqual(outputDigest(out));
      expect(chain.reader.block(n)!.profile).toBe('zksync');
      // The stored header is the one the block hash commits to.
      const row = chain.db.prepare('SELECT header, block_hash FROM blocks WHERE number = ?').get(n) as { header: Buffer; block_hash: Buffer };
      expect(new Uint8Array(keccak256(row.header))).toEqual(out.blockHash);
      expect(new Uint8Array(row.header)).toEqual(encodeHeaderRlp(out.header!));
    }
    expect(chain.reader.l2.messages(1)[0]).toMatchObject({ txNumber: 1, sender: ALICE });
  });

  it('replays every block identically from its log, by the profile the block names', () => {
    chain.db.exec('DELETE FROM slot_history; DELETE FROM preimages');
    expect(chain.replayBlock(1)).toMatchObject({ identical: true, block: 1 });
    expect(chain.replayBlock(2)).toMatchObject({ identical: true, block: 2 });
  });

  it('covers the zksync outputs in the digest', () => {
    const out = outputs[0];
    const d = outputDigest(out);
    expect(outputDigest({ ...out, blockHash: new Uint8Array(32) })).not.toEqual(d);
    expect(outputDigest({ ...out, l2ToL1Messages: [] })).not.toEqual(d);
    const [r0, ...rest] = out.results;
    const bumped = r0.kind === 'executed' ? { kind: 'executed' as const, receipt: { ...r0.receipt, nativeUsed: r0.receipt.nativeUsed! + 1n } } : r0;
    expect(outputDigest({ ...out, results: [bumped, ...rest] })).not.toEqual(d);
  });
});
