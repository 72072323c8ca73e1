// Writes examples/blocks.json, the README's `zkos ingest` example: two accounts with deterministic
// keys (1 and 2), a deposit from L1, the three kinds of signed envelope, a withdrawal, a message to
// L1, a call that reverts and a transaction that fails validation.
//   npx tsx server/ingest/example.ts > examples/blocks.json
import { bigIntToBytes, bytesToHex, concatBytes } from '../../machine/common/bytes.ts';
import { initCrypto, keccak256, privateKeyToAddress } from '../../machine/crypto/index.ts';
import { L2_BASE_TOKEN_ADDRESS } from '../../machine/hooks/system/addresses.ts';
import { L1_MESSENGER_ADDRESS } from '../../machine/system/io.ts';
import { signTransaction } from '../../machine/tx/encode.ts';
import { signEip712Transaction } from '../../machine/tx/zksync/eip712.ts';
import { hexAddress } from '../cli/common.ts';

await initCrypto();
const CHAIN_ID = 270n;
const KEY1 = bigIntToBytes(1n, 32);
const KEY2 = bigIntToBytes(2n, 32);
const A1 = privateKeyToAddress(KEY1);
const A2 = privateKeyToAddress(KEY2);
const OPERATOR = 0x0beef0000000000000000000000000000000c0den;
const L1 = 0x1111000000000000000000000000000000001111n;
const word = (v: bigint) => bigIntToBytes(v, 32);
const sel = (s: string) => keccak256(new TextEncoder().encode(s)).slice(0, 4);
const fee = { maxFeePerGas: 2000n, maxPriorityFeePerGas: 100n };
const e1559 = (key: Uint8Array, nonce: bigint, to: bigint | null, over: { value?: bigint; data?: Uint8Array; gasLimit?: bigint } = {}) =>
  bytesToHex(signTransaction({ type: 2, chainId: CHAIN_ID, nonce, to, gasLimit: 200_000n, ...fee, ...over }, key));
const msg = new TextEncoder().encode('hello L1');
// REVERTER runtime: PUSH2 0xbeef PUSH0 MSTORE PUSH1 32 PUSH0 REVERT.
const REVERTER = 0x7e7e000000000000000000000000000000007e7en;

const file = {
  genesis: {
    chainId: CHAIN_ID.toString(),
    timestamp: '1700000000',
    accounts: {
      [hexAddress(A1)]: { balance: (10n ** 21n).toString() },
      [hexAddress(A2)]: { balance: (10n ** 20n).toString(), nonce: '3' },
      [hexAddress(REVERTER)]: { code: '0x61beef5f5260205ffd' },
    },
  },
  blocks: [
    {
      context: { number: '1', timestamp: '1700000002', baseFee: '1000', nativePrice: '10', gasPerPubdata: '1', coinbase: hexAddress(OPERATOR), gasLimit: '100000000', mixHash: '0x01' },
      transactions: [
        { type: 'l1', from: hexAddress(L1), to: hexAddress(A2), gasLimit: '300000', gasPerPubdataByteLimit: '800', maxFeePerGas: '1000', value: '1000000000000000000', toMint: '1000000000300000000', refundRecipient: hexAddress(L1) },
        e1559(KEY1, 0n, A2, { value: 10n ** 15n, gasLimit: 100_000n }),
        bytesToHex(signTransaction({ type: 0, chainId: CHAIN_ID, nonce: 3n, to: A1, value: 12345n, gasLimit: 100_000n, maxFeePerGas: 1500n }, KEY2)),
        bytesToHex(signEip712Transaction({ nonce: 1n, to: A2, value: 777n, gasLimit: 300_000n, ...fee, gasPerPubdata: 50_000n }, KEY1, CHAIN_ID)),
      ],
    },
    {
      context: { timestamp: '1700000004', baseFee: '1000', nativePrice: '10', coinbase: hexAddress(OPERATOR), mixHash: '0x02' },
      transactions: [
        e1559(KEY1, 2n, L2_BASE_TOKEN_ADDRESS, { value: 10n ** 14n, data: concatBytes(sel('withdraw(address)'), word(L1)) }),
        e1559(KEY2, 4n, L1_MESSENGER_ADDRESS, { data: concatBytes(sel('sendToL1(bytes)'), word(32n), word(BigInt(msg.length)), msg, new Uint8Array(32 - msg.length)) }),
        e1559(KEY1, 3n, REVERTER, { gasLimit: 100_000n }),
        e1559(KEY2, 9n, A1, { value: 1n }),
      ],
    },
  ],
};
process.stdout.write(`${JSON.stringify(file, null, 2)}\n`);
