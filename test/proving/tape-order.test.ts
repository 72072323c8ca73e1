// The query order of a proving run (reference §1.7) on the tape: the minimal example — a block
// with no transactions and no IO — reads exactly [2094, <metadata>, 2, 0, 0, 22, <FSM>, 0].
import { describe, expect, it } from 'vitest';
import { runBlock } from '../../machine/bootloader/machine.ts';
import { ZksyncProfile } from '../../machine/bootloader/zksync/profile.ts';
import { encodeBlockMetadata } from '../../machine/oracle/codec.ts';
import { InMemoryOracle } from '../../machine/oracle/memory.ts';
import { encodeFsmInit, withProofs } from '../../machine/oracle/proving.ts';
import { RecordingOracle } from '../../machine/oracle/recording.ts';
import { TapeOracle, tapeFromLog } from '../../machine/oracle/tape.ts';
import { FlatTree } from '../../machine/tree/flat/tree.ts';
import { treeProofSource } from '../../machine/tree/flat/source.ts';
import { zkMeta } from '../zksync/helpers.ts';

describe('tape query order (§1.7)', () => {
  it('an empty block reads the minimal stream, and proves from it', () => {
    const meta = zkMeta();
    const tree = new FlatTree();
    const rec = new RecordingOracle(withProofs(new InMemoryOracle(new Map(), meta, []), tree.commitment(), treeProofSource(tree)));
    const out = runBlock(rec, new ZksyncProfile());
    const tape = tapeFromLog(rec.log);
    const metaWords = encodeBlockMetadata(meta);
    expect(metaWords.length).toBe(2094);
    const expected = [2094, ...metaWords, 2, 0, 0, 22, ...encodeFsmInit(tree.commitment()), 0];
    expect([...tape]).toEqual(expected);
    const proving = new TapeOracle(tape, { blobBaseFee: meta.blobBaseFee });
    const proved = runBlock(proving, new ZksyncProfile());
    proving.finish();
    expect(proved.publicInput!.hash).toEqual(out.publicInput!.hash);
  });
});
