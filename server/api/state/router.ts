// state.*: an account or a storage slot as of any stored block (time travel over slot_history).
import { z } from 'zod';
import { resolveBlock } from '../common.ts';
import { address, blockRef, word } from '../inputs.ts';
import { addr, data, qty, word as wordHex } from '../rpc/encode.ts';
import { publicProcedure, router } from '../trpc.ts';

export const stateRouter = router({
  /** Balance, nonce, code hash and code as of the block (default: the head). */
  account: publicProcedure.input(z.object({ address, block: blockRef.default('latest') })).query(({ ctx, input }) => {
    const s = ctx.services;
    const n = resolveBlock(s, input.block);
    const a = s.chain.accountAt(input.address, n);
    if (a === null) {
      // Never written: what the EVM sees for an empty account.
      return { address: addr(input.address), block: n, exists: false, balance: '0x0', nonce: '0x0', codeHash: data(new Uint8Array(32)), code: '0x', bytecodeHash: null, propertiesHash: null };
    }
    return {
      address: addr(input.address),
      block: n,
      exists: true,
      balance: qty(a.balance),
      nonce: qty(a.nonce),
      codeHash: data(a.codeHash),
      code: data(a.code),
      /** blake2s of the stored bytecode (the preimage key), null without code. */
      bytecodeHash: a.properties.bytecodeLen > 0 ? data(a.properties.bytecodeHash) : null,
      /** The account-properties hash the state tree holds at (0x8003, address). */
      propertiesHash: data(a.propertiesHash),
    };
  }),

  /** A storage slot's value as of the block (0 when never written). */
  storage: publicProcedure.input(z.object({ address, slot: word, block: blockRef.default('latest') })).query(({ ctx, input }) => {
    const s = ctx.services;
    const n = resolveBlock(s, input.block);
    return { address: addr(input.address), slot: wordHex(input.slot), block: n, value: wordHex(s.chain.storageAt(input.address, input.slot, n)) };
  }),
});
