// Every validation error the zksync profile raises, provoked by a real transaction: the rejected
// transaction leaves no trace in state and the rest of the block executes.
import { describe, expect, it } from 'vitest';
import { concatBytes } from '../../machine/common/bytes.ts';
import { SECP256K1_N, signHash } from '../../machine/crypto/index.ts';
import type { BlockMetadata } from '../../machine/oracle/types.ts';
import type { PreStateAccount } from '../../machine/oracle/memory.ts';
import { zkTxBody, type ZkBlockTx } from '../../machine/bootloader/zksync/build.ts';
import { zkSignedHash } from '../../machine/tx/zksync/hash.ts';
import { packZkSignature } from '../../machine/tx/zksync/signature.ts';
import { splitZkSignature } from '../../machine/tx/zksync/hash.ts';
import { fromUserEnvelope } from '../../machine/tx/zksync/convert.ts';
import type { ZkTransaction } from '../../machine/tx/zksync/types.ts';
import { ACCOUNT, ACCOUNT_BAD_MAGIC, ACCOUNT_PAYS_NOTHING, ACCOUNT_VALIDATE_REVERTS, PAYMASTER, PAYMASTER_BAD_MAGIC, PAYMASTER_BAD_OFFSET, PAYMASTER_CONTEXT_TOO_LONG, PAYMASTER_SHORT_RETURN } from './contracts.ts';
import { acct, ALICE, ALICE_KEY, BOB, BOB_KEY, CHAIN_ID, eip1559, eip712, receipt, rejection, runZk } from './helpers.ts';

const E18 = 10n ** 18n;
const CAROL = 0xca201n;
const AA = 0xaa00000000000000000000000000000000000001n;
const PM = 0x9900000000000000000000000000000000000001n;
const GENERAL = Uint8Array.of(0x8c, 0x5a, 0x34, 0x45, ...new Uint8Array(64).map((_, i) => (i === 31 ? 0x20 : 0)));

/** The ZkTransaction of a signed envelope, changed by `edit`, re-signed with `key` (null: keep the signature). */
function edited(tx: ZkBlockTx, edit: (t: ZkTransaction) => ZkTransaction, key: Uint8Array | null = ALICE_KEY): ZkBlockTx {
  const t = edit(fromUserEnvelope((tx as { envelope: Uint8Array }).envelope, CHAIN_ID));
  if (key === null) return { zk: t };
  const { r, s, recid } = signHash(zkSignedHash(t, CHAIN_ID)!, key);
  return { zk: { ...t, signature: packZkSignature(r, s, recid) } };
}

const aaTx = (over: Partial<Parameters<typeof eip712>[0]> = {}) => eip712({ from: AA, nonce: 0n, to: CAROL, value: 1n, ...over });
const pmTx = (paymaster: bigint) => aaTx({ paymaster, paymasterInput: GENERAL });

interface Case {
  error: string;
  tx: ZkBlockTx;
  pre?: Array<[bigint, Partial<PreStateAccount>]>;
  meta?: Partial<BlockMetadata>;
  /** Accounts the rejected transaction must not have touched (besides 0x8001). */
  untouched?: bigint[];
  /** What the rejection message must say (the decoder's code for InvalidEncoding). */
  message?: RegExp;
}

const cases: Case[] = [
  { error: 'InvalidEncoding', tx: { body: concatBytes(new Uint8Array(31), Uint8Array.of(7)) }, message: /^ZK_TRUNCATED: / },
  { error: 'InvalidEncoding', tx: { body: (() => { const b = zkTxBody(eip1559({ nonce: 0n, to: CAROL }), CHAIN_ID); b[14 * 32 + 31] += 32; return b; })() }, message: /^ZK_BAD_OFFSET: / },
  { error: 'PriorityFeeGreaterThanMaxFee', tx: edited(eip1559({ nonce: 0n, to: CAROL }), (t) => ({ ...t, maxPriorityFeePerGas: t.maxFeePerGas + 1n })) },
  { error: 'BaseFeeGreaterThanMaxFee', tx: eip1559({ nonce: 0n, to: CAROL, maxFeePerGas: 999n, maxPriorityFeePerGas: 1n }) },
  { error: 'CallerGasLimitMoreThanBlock', tx: eip1559({ nonce: 0n, to: CAROL, gasLimit: 100_000_001n }) },
  { error: 'BlockGasLimitTooHigh', tx: eip1559({ nonce: 0n, to: CAROL }), meta: { gasLimit: 1n << 60n } },
  { error: 'RejectCallerWithCode', tx: eip1559({ nonce: 0n, to: CAROL }), pre: [[ALICE, { balance: E18, code: Uint8Array.of(0) }]] },
  { error: 'LackOfFundForMaxFee', tx: eip1559({ nonce: 0n, to: CAROL, value: 1n }), pre: [[ALICE, { balance: 2000n * 1_000_000n }]] },
  { error: 'OverflowPaymentInTransaction', tx: eip1559({ nonce: 0n, to: CAROL, value: (1n << 256n) - 1n }) },
  { error: 'NonceOverflowInTransaction', tx: edited(eip1559({ nonce: 0n, to: CAROL }), (t) => ({ ...t, nonce: 1n << 64n })) },
  { error: 'NonceTooHigh', tx: eip1559({ nonce: 1n, to: CAROL }) },
  { error: 'NonceTooLow', tx: eip1559({ nonce: 2n, to: CAROL }), pre: [[ALICE, { balance: E18, nonce: 3n }]] },
  {
    error: 'MalleableSignature',
    tx: edited(eip1559({ nonce: 0n, to: CAROL }), (t) => {
      const { r, s, v } = splitZkSignature(t.signature);
      return { ...t, signature: packZkSignature(r, SECP256K1_N - s, 28 - v) };
    }, null),
  },
  { error: 'IncorrectFrom', tx: edited(eip1559({ nonce: 0n, to: CAROL }), (t) => t, BOB_KEY) },
  { error: 'CreateInitCodeSizeLimit', tx: eip1559({ nonce: 0n, to: null, data: new Uint8Array(49_153), gasLimit: 5_000_000n }) },
  // Only 0x71 has a limit of its own; Bob's EIP-1559 transaction still runs at 20 gas per byte.
  { error: 'GasPerPubdataTooHigh', tx: eip712({ nonce: 0n, to: CAROL, gasPerPubdata: 19n }), meta: { gasPerPubdata: 20n } },
  { error: 'GasPerPubdataTooHigh', tx: eip712({ nonce: 0n, to: CAROL, gasPerPubdata: 0n }) },
  { error: 'OutOfGasDuringValidation', tx: eip1559({ nonce: 0n, to: CAROL, gasLimit: 20_999n }) },
  // native_per_gas = ceil(1100 / 1100) = 1: 100,000 native cannot pay for ecrecover.
  { error: 'OutOfNativeResourcesDuringValidation', tx: eip1559({ nonce: 0n, to: CAROL, gasLimit: 100_000n }), meta: { nativePrice: 1100n } },
  { error: 'UpgradeTxNotFirst', tx: { upgrade: { from: 0x800fn, to: CAROL, gasLimit: 100_000n, gasPerPubdataByteLimit: 800n, maxFeePerGas: 0n, toMint: 0n, refundRecipient: 0n } } },
  { error: 'Revert', tx: aaTx(), pre: [[AA, { balance: E18, code: ACCOUNT, storage: new Map([[0n, ACCOUNT_VALIDATE_REVERTS]]) }]], untouched: [AA] },
  { error: 'InvalidMagic', tx: aaTx(), pre: [[AA, { balance: E18, code: ACCOUNT, storage: new Map([[0n, ACCOUNT_BAD_MAGIC]]) }]], untouched: [AA] },
  { error: 'ReceivedInsufficientFees', tx: aaTx(), pre: [[AA, { balance: E18, code: ACCOUNT, storage: new Map([[0n, ACCOUNT_PAYS_NOTHING]]) }]], untouched: [AA] },
  { error: 'NonceUsedAlready', tx: aaTx({ nonce: 4n }), pre: [[AA, { balance: E18, nonce: 5n, code: ACCOUNT }]], untouched: [AA] },
  ...([
    ['PaymasterReturnDataTooShort', PAYMASTER_SHORT_RETURN],
    ['PaymasterInvalidMagic', PAYMASTER_BAD_MAGIC],
    ['PaymasterContextInvalid', PAYMASTER_BAD_OFFSET],
    ['PaymasterContextOffsetTooLong', PAYMASTER_CONTEXT_TOO_LONG],
  ] as const).map(([error, mode]): Case => ({
    error,
    tx: pmTx(PM),
    pre: [[AA, { balance: E18, code: ACCOUNT }], [PM, { balance: E18, code: PAYMASTER, storage: new Map([[0n, mode]]) }]],
    untouched: [AA, PM],
  })),
];

describe('validation errors leave no trace and the block goes on', () => {
  for (const c of cases) {
    it(c.error, () => {
      const pre = new Map<bigint, PreStateAccount>([[ALICE, acct({ balance: E18 })], [BOB, acct({ balance: E18 })]]);
      for (const [a, over] of c.pre ?? []) pre.set(a, acct(over));
      // The block's next transaction: Bob pays Carol (an L1 deposit when the block refuses L2 transactions).
      const next: ZkBlockTx =
        c.error === 'BlockGasLimitTooHigh'
          ? { l1: { from: BOB, to: CAROL, gasLimit: 300_000n, gasPerPubdataByteLimit: 800n, maxFeePerGas: 1000n, value: 3n, toMint: 3n + 300_000_000n, refundRecipient: BOB } }
          : eip1559({ nonce: 0n, to: CAROL, value: 3n }, BOB_KEY);
      const txs = c.error === 'UpgradeTxNotFirst' ? [next, c.tx] : [c.tx, next];
      const out = runZk(pre, txs, c.meta);
      const bad = c.error === 'UpgradeTxNotFirst' ? 1 : 0;
      const good = 1 - bad;
      expect(rejection(out, bad).error).toBe(c.error);
      if (c.message) expect(rejection(out, bad).message).toMatch(c.message);
      expect(receipt(out, good).success).toBe(true);
      expect(receipt(out, good).index).toBe(good);
      // No trace: only the good transaction's accounts changed.
      for (const a of [ALICE, 0x8001n, ...(c.untouched ?? [])]) expect(out.stateDiff.find((d) => d.address === a)).toBeUndefined();
      expect(out.stateDiff.find((d) => d.address === CAROL)?.balance).toBe(3n);
      expect(out.l2ToL1Messages).toEqual([]);
      expect(out.l2ToL1Logs!.every((l) => l.txNumber === good)).toBe(true);
    });
  }
});
