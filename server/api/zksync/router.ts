// zksync.*: what a block gives L1 — its L2→L1 logs and user messages, its pubdata, and the
// L1→L2 priority and upgrade transactions it processed (with each one's result log).
import { z } from 'zod';
import { isL1OrUpgradeType, ZK_TX_TYPE_UPGRADE } from '../../../machine/tx/zksync/types.ts';
import { blockHashHex, resolveBlock } from '../common.ts';
import { blockPubdata } from '../chain/view.ts';
import { blockRef } from '../inputs.ts';
import { addr, data } from '../rpc/encode.ts';
import { rpcReceipt, rpcTransaction } from '../rpc/shapes.ts';
import { publicProcedure, router } from '../trpc.ts';

export const zksyncRouter = router({
  /** The block's L2→L1 logs (reference §5.4) and user messages, in block order. */
  l2ToL1: publicProcedure.input(z.object({ block: blockRef })).query(({ ctx, input }) => {
    const s = ctx.services;
    const n = resolveBlock(s, input.block);
    return {
      block: n,
      logs: s.chain.reader.l2.logs(n).map((l, i) => ({ logIndex: i, txNumberInBlock: l.txNumber, sender: addr(l.sender), key: data(l.key), value: data(l.value) })),
      messages: s.chain.reader.l2.messages(n).map((m, i) => ({ index: i, txNumberInBlock: m.txNumber, sender: addr(m.sender), data: data(m.data), hash: data(m.hash) })),
    };
  }),

  /** The block's pubdata (§5.3), re-computed by running the block again from its log. */
  pubdata: publicProcedure.input(z.object({ block: blockRef })).query(({ ctx, input }) => {
    const s = ctx.services;
    const n = resolveBlock(s, input.block);
    const p = blockPubdata(s, n);
    return { block: n, size: p?.length ?? 0, pubdata: p === null ? null : data(p) };
  }),

  /** The L1→L2 priority and upgrade transactions the block processed, with their receipts. */
  l1Transactions: publicProcedure.input(z.object({ block: blockRef })).query(({ ctx, input }) => {
    const s = ctx.services;
    const n = resolveBlock(s, input.block);
    const b = s.chain.reader.block(n)!;
    const outputs = s.queries.blockOutputs(n)!;
    const place = { number: n, hash: blockHashHex(s, n) };
    const logs = s.chain.reader.logs(n);
    const transactions = s.chain.reader.transactions(n).flatMap((t) => {
      if (t.result.kind !== 'executed' || !isL1OrUpgradeType(t.result.receipt.type)) return [];
      const transaction = rpcTransaction(t, place, b.profile, b.chainId);
      return [
        {
          kind: t.result.receipt.type === ZK_TX_TYPE_UPGRADE ? ('upgrade' as const) : ('priority' as const),
          /** The priority operation's serial id (its nonce field). */
          serialId: transaction.nonce,
          transaction,
          receipt: rpcReceipt(t.result.receipt, place, logs),
        },
      ];
    });
    return {
      block: n,
      priorityOpsHash: outputs.priorityOpsHash === null ? null : data(outputs.priorityOpsHash),
      upgradeTxHash: outputs.upgradeTxHash === null ? null : data(outputs.upgradeTxHash),
      transactions,
    };
  }),
});
