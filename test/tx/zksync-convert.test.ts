import { describe, expect, it } from 'vitest';
import { bigIntToBytes, bytesToHex, concatBytes, hexToBytes } from '../../machine/common/bytes.ts';
import { rlpDecode, rlpEncode, type RlpInput } from '../../machine/common/rlp.ts';
import { keccak256, privateKeyToAddress, sha256 } from '../../machine/crypto/index.ts';
import { signTransaction, type TransactionRequest } from '../../machine/tx/encode.ts';
import { decodeEthereumTransaction } from '../../machine/tx/ethereum.ts';
import { TxDecodeError } from '../../machine/tx/types.ts';
import { decodeZkTransaction, encodeZkTransaction } from '../../machine/tx/zksync/codec.ts';
import {
  fromEthereumEnvelope,
  fromL1Transaction,
  fromUpgradeTransaction,
  fromUserEnvelope,
  type L1TransactionInput,
} from '../../machine/tx/zksync/convert.ts';
import {
  encodeEip712Envelope,
  eraBytecodeHash,
  fromEip712Envelope,
  signEip712Transaction,
  type Eip712TxFields,
} from '../../machine/tx/zksync/eip712.ts';
import { zkSignedHash, zkTxHash, zkTxHashes } from '../../machine/tx/zksync/hash.ts';
import { recoverZkSender } from '../../machine/tx/zksync/signature.ts';
import { effectiveGasPerPubdataLimit, ZkTxConvertError, ZkTxDecodeError, type ZkTxConvertErrorCode } from '../../machine/tx/zksync/types.ts';

const KEY = new Uint8Array(32).fill(0x46);
const SENDER = privateKeyToAddress(KEY);
const CHAIN = 270n;
const TO = 0x3535353535353535353535353535353535353535n;

function convertCode(fn: () => unknown): string {
  try {
    fn();
    return 'OK';
  } catch (e) {
    if (e instanceof ZkTxConvertError || e instanceof ZkTxDecodeError || e instanceof TxDecodeError) return e.code;
    throw e;
  }
}

describe('fromEthereumEnvelope', () => {
  const cases: Array<[string, TransactionRequest, Record<string, unknown>]> = [
    ['legacy without EIP-155', { type: 0, chainId: null, nonce: 1n, maxFeePerGas: 10n ** 9n, gasLimit: 21_000n, to: TO, value: 5n },
      { txType: 0, reserved: [0n, 0n, 0n, 0n], accessList: null }],
    ['legacy with EIP-155', { type: 0, chainId: CHAIN, nonce: 9n, maxFeePerGas: 20n * 10n ** 9n, gasLimit: 21_000n, to: TO, value: 10n ** 18n },
      { txType: 0, reserved: [1n, 0n, 0n, 0n], accessList: null }],
    ['legacy EIP-155 deployment', { type: 0, chainId: CHAIN, nonce: 0n, maxFeePerGas: 1n, gasLimit: 100_000n, to: null, data: Uint8Array.of(0x60, 0x80) },
      { txType: 0, to: 0n, reserved: [1n, 1n, 0n, 0n] }],
    ['EIP-2930 with access list', {
      type: 1, chainId: CHAIN, nonce: 2n, maxFeePerGas: 7n, gasLimit: 50_000n, to: TO,
      accessList: [{ address: TO, storageKeys: [1n, 2n] }, { address: 0x42n, storageKeys: [] }],
    }, { txType: 1, accessList: [{ address: TO, storageKeys: [1n, 2n] }, { address: 0x42n, storageKeys: [] }] }],
    ['EIP-1559 call', { type: 2, chainId: CHAIN, nonce: 3n, maxFeePerGas: 100n, maxPriorityFeePerGas: 2n, gasLimit: 60_000n, to: TO, data: Uint8Array.of(1, 2, 3) },
      { txType: 2, maxPriorityFeePerGas: 2n, accessList: [] }],
    ['EIP-1559 deployment', { type: 2, chainId: CHAIN, nonce: 4n, maxFeePerGas: 100n, maxPriorityFeePerGas: 100n, gasLimit: 600_000n, to: null, data: new Uint8Array(70).fill(0x5b) },
      { txType: 2, to: 0n, reserved: [0n, 1n, 0n, 0n] }],
  ];
  for (const [name, req, expected] of cases) {
    it(`${name}: fields, canonical hash = keccak(raw), signer`, () => {
      const raw = signTransaction(req, KEY);
      const eth = decodeEthereumTransaction(raw);
      const tx = fromEthereumEnvelope(raw, CHAIN);
      expect(tx).toMatchObject({ from: SENDER, nonce: req.nonce, gasLimit: req.gasLimit, gasPerPubdataLimit: 0n, paymaster: 0n, ...expected });
      expect(tx.signature.length).toBe(65);
      expect([27, 28]).toContain(tx.signature[64]);
      expect(zkTxHash(tx, CHAIN)).toEqual(keccak256(raw));
      expect(zkSignedHash(tx, CHAIN)).toEqual(eth.signingHash);
      expect(recoverZkSender(tx, CHAIN)).toBe(SENDER);
      // the body round trip keeps everything the hashes depend on
      const again = decodeZkTransaction(encodeZkTransaction(tx));
      expect(again).toEqual(tx);
      expect(zkTxHashes(again, CHAIN)).toEqual({ txHash: keccak256(raw), signedHash: eth.signingHash });
      expect(effectiveGasPerPubdataLimit(tx)).toBe(1n);
      expect(fromUserEnvelope(raw, CHAIN)).toEqual(tx);
    });
  }

  it('the EIP-155 example from the EIP keeps its published hash', () => {
    const raw = hexToBytes(
      '0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83',
    );
    const tx = fromEthereumEnvelope(raw, 1n);
    expect(tx.from).toBe(0x9d8a62f656a8d1615c1294fd71e9cfb3e4855a4fn);
    expect(tx.signature[64]).toBe(27); // v = 37 = 1·2 + 35 + 0
    expect(zkTxHash(tx, 1n)).toEqual(keccak256(raw));
    expect(bytesToHex(zkSignedHash(tx, 1n) as Uint8Array)).toBe('0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53');
  });

  it('pre-EIP-155 legacy fits any chain; signed ones only their own', () => {
    const pre = signTransaction({ type: 0, chainId: null, nonce: 0n, maxFeePerGas: 1n, gasLimit: 21_000n, to: TO }, KEY);
    expect(convertCode(() => fromEthereumEnvelope(pre, 12345n))).toBe('OK');
    for (const type of [0, 1, 2]) {
      const raw = signTransaction({ type, chainId: 1n, nonce: 0n, maxFeePerGas: 1n, gasLimit: 21_000n, to: TO }, KEY);
      expect(convertCode(() => fromEthereumEnvelope(raw, CHAIN))).toBe('WRONG_CHAIN_ID');
    }
  });

  it('rejects blob transactions, fees over u128 and broken envelopes', () => {
    const blob = signTransaction({
      type: 3, chainId: CHAIN, nonce: 0n, maxFeePerGas: 1n, gasLimit: 21_000n, to: TO, maxFeePerBlobGas: 1n,
      blobVersionedHashes: [concatBytes(Uint8Array.of(1), new Uint8Array(31))],
    }, KEY);
    expect(convertCode(() => fromEthereumEnvelope(blob, CHAIN))).toBe('BLOB_TX_UNSUPPORTED');
    const rich = signTransaction({ type: 2, chainId: CHAIN, nonce: 0n, maxFeePerGas: 1n << 128n, maxPriorityFeePerGas: 1n, gasLimit: 21_000n, to: TO }, KEY);
    expect(convertCode(() => fromEthereumEnvelope(rich, CHAIN))).toBe('ZK_INT_RANGE');
    expect(convertCode(() => fromEthereumEnvelope(Uint8Array.of(0x04, 0xc0), CHAIN))).toBe('TX_UNKNOWN_TYPE');
  });
});

// ---------------------------------------------------------------------------------------------
// EIP-712 (0x71) envelope

// zksync-sdk/zksync-ethers src/utils.ts, serializeEip712 / parseEip712 doc examples.
const ERA_SIGNED =
  '0x71f87f8080808094a61464658afeaf65cccaafd3a512b69a83b77618830f42408001a073a20167b8d23b610b058c05368174495adf7da3a4ed4a57eb6dbdeb1fafc24aa02f87530d663a0d061f69bb564d2c6fb46ae5ae776bbd4bd2a2a4478b9cd1b42a82010e9436615cf349d7f6344891b1e7ca7c72883f5dc04982c350c080c0';
const ERA_UNSIGNED = '0x71ea8080808080808082010e808082010e9436615cf349d7f6344891b1e7ca7c72883f5dc04982c350c080c0';

describe('fromEip712Envelope', () => {
  it('reads the zksync-ethers example envelope and re-encodes it byte for byte', () => {
    const tx = fromEip712Envelope(hexToBytes(ERA_SIGNED), 270n);
    const from = 0x36615cf349d7f6344891b1e7ca7c72883f5dc049n;
    const r = 0x73a20167b8d23b610b058c05368174495adf7da3a4ed4a57eb6dbdeb1fafc24an;
    const s = 0x2f87530d663a0d061f69bb564d2c6fb46ae5ae776bbd4bd2a2a4478b9cd1b42an;
    expect(tx).toMatchObject({
      txType: 0x71, from, to: 0xa61464658afeaf65cccaafd3a512b69a83b77618n, value: 1_000_000n, nonce: 0n, gasLimit: 0n,
      gasPerPubdataLimit: 50_000n, maxFeePerGas: 0n, paymaster: 0n, factoryDeps: [], accessList: null,
    });
    expect(bytesToHex(tx.signature)).toBe(bytesToHex(concatBytes(bigIntToBytes(r), bigIntToBytes(s), Uint8Array.of(28))));
    const fields: Eip712TxFields & { from: bigint } = {
      nonce: 0n, maxPriorityFeePerGas: 0n, maxFeePerGas: 0n, gasLimit: 0n, to: tx.to, value: 1_000_000n, from, gasPerPubdata: 50_000n,
    };
    expect(bytesToHex(encodeEip712Envelope(fields, 270n, { yParity: 1, r, s }))).toBe(ERA_SIGNED);
    // The unsigned example (v/r/s slots = chainId, "", "") also has no `to`.
    expect(rlpDecode(hexToBytes(ERA_UNSIGNED).subarray(1))).toHaveLength(16);
    expect(convertCode(() => fromEip712Envelope(hexToBytes(ERA_UNSIGNED), 270n))).toBe('EIP712_NO_TO');
  });

  for (const form of ['rsv', 'customSignature'] as const) {
    it(`signs and reads back (signature in ${form})`, () => {
      const bytecode = new Uint8Array(96).fill(0x11);
      const fields: Eip712TxFields = {
        nonce: 5n, maxPriorityFeePerGas: 1n, maxFeePerGas: 2n, gasLimit: 3_000_000n, to: TO, value: 9n, data: Uint8Array.of(0xab),
        gasPerPubdata: 800n, factoryDeps: [bytecode], paymaster: 0x77n, paymasterInput: Uint8Array.of(1, 2),
      };
      const raw = signEip712Transaction(fields, KEY, CHAIN, form);
      const items = rlpDecode(raw.subarray(1)) as Uint8Array[];
      expect(items.length).toBe(16);
      expect(items[14].length).toBe(form === 'rsv' ? 0 : 65);
      const tx = fromEip712Envelope(raw, CHAIN);
      expect(tx).toMatchObject({ txType: 0x71, from: SENDER, nonce: 5n, gasPerPubdataLimit: 800n, paymaster: 0x77n, reserved: [0n, 0n, 0n, 0n] });
      expect(tx.factoryDeps).toEqual([eraBytecodeHash(bytecode)]);
      expect(recoverZkSender(tx, CHAIN)).toBe(SENDER);
      expect(fromUserEnvelope(raw, CHAIN)).toEqual(tx);
      expect(decodeZkTransaction(encodeZkTransaction(tx))).toEqual(tx);
      expect(effectiveGasPerPubdataLimit(tx)).toBe(800n);
    });
  }

  it('Era bytecode hash: version 1, 0 and the length in words over sha256', () => {
    const code = new Uint8Array(32 * 3).fill(0xfe);
    const h = eraBytecodeHash(code);
    expect(Array.from(h.subarray(0, 4))).toEqual([1, 0, 0, 3]);
    expect(h.subarray(4)).toEqual(sha256(code).subarray(4));
    for (const bad of [new Uint8Array(64), new Uint8Array(33), new Uint8Array(0)]) {
      expect(convertCode(() => eraBytecodeHash(bad))).toBe('EIP712_BAD_BYTECODE');
    }
  });

  /** A signed envelope with one RLP item replaced. */
  function edited(edit: (items: RlpInput[]) => void): Uint8Array {
    const raw = signEip712Transaction({ nonce: 1n, maxPriorityFeePerGas: 1n, maxFeePerGas: 1n, gasLimit: 100_000n, to: TO, gasPerPubdata: 800n }, KEY, CHAIN);
    const items = rlpDecode(raw.subarray(1)) as RlpInput[];
    edit(items);
    return concatBytes(Uint8Array.of(0x71), rlpEncode(items));
  }
  const ERRORS: Record<Exclude<ZkTxConvertErrorCode, 'BLOB_TX_UNSUPPORTED' | 'DEPOSIT_TOO_SMALL'>, () => Uint8Array> = {
    EIP712_WRONG_TYPE: () => edited(() => {}).fill(0x02, 0, 1),
    EIP712_RLP: () => concatBytes(edited(() => {}), Uint8Array.of(0)),
    EIP712_FIELD_COUNT: () => edited((it) => it.pop()),
    EIP712_BAD_FIELD: () => edited((it) => { it[0] = Uint8Array.of(0, 1); }),
    EIP712_NO_TO: () => edited((it) => { it[4] = new Uint8Array(0); }),
    EIP712_UNSIGNED: () => edited((it) => { it[8] = new Uint8Array(0); it[9] = new Uint8Array(0); }),
    EIP712_INVALID_Y_PARITY: () => edited((it) => { it[7] = Uint8Array.of(27); }),
    EIP712_BAD_PAYMASTER_PARAMS: () => edited((it) => { it[15] = [new Uint8Array(20)]; }),
    EIP712_BAD_BYTECODE: () => edited((it) => { it[13] = [new Uint8Array(64)]; }),
    WRONG_CHAIN_ID: () => edited((it) => { it[10] = Uint8Array.of(1); }),
  };
  for (const [code, raw] of Object.entries(ERRORS)) {
    it(`rejects: ${code}`, () => expect(convertCode(() => fromEip712Envelope(raw(), CHAIN))).toBe(code));
  }
  it('rejects a custom signature that is not 65 bytes, and values the body cannot carry', () => {
    expect(convertCode(() => fromEip712Envelope(edited((it) => { it[14] = new Uint8Array(64).fill(1); }), CHAIN))).toBe('ZK_SIGNATURE_LENGTH');
    expect(convertCode(() => fromEip712Envelope(edited((it) => { it[12] = bigIntToBytes(1n << 32n, 5); }), CHAIN))).toBe('ZK_INT_RANGE');
  });
});

// ---------------------------------------------------------------------------------------------
// L1 → L2 and upgrade transactions

describe('fromL1Transaction / fromUpgradeTransaction', () => {
  const input: L1TransactionInput = {
    from: 0x1111000000000000000000000000000000002222n, to: TO, gasLimit: 300_000n, gasPerPubdataByteLimit: 800n, maxFeePerGas: 250_000_000n,
    nonce: 17n, value: 10n ** 18n, data: Uint8Array.of(0xca, 0xfe), toMint: 10n ** 18n + 300_000n * 250_000_000n,
    refundRecipient: 0x4444n, factoryDeps: [new Uint8Array(32).fill(9)],
  };

  it('maps the fields: toMint → reserved[0], refund recipient → reserved[1], no signature', () => {
    const tx = fromL1Transaction(input);
    expect(tx).toMatchObject({
      txType: 0xff, from: input.from, to: TO, gasLimit: 300_000n, gasPerPubdataLimit: 800n, maxFeePerGas: 250_000_000n,
      maxPriorityFeePerGas: 0n, paymaster: 0n, nonce: 17n, value: 10n ** 18n, reserved: [input.toMint, 0x4444n, 0n, 0n], accessList: null,
    });
    expect(tx.signature.length).toBe(0);
    const body = encodeZkTransaction(tx);
    expect(decodeZkTransaction(body)).toEqual(tx);
    expect(zkTxHashes(tx, CHAIN)).toEqual({ txHash: keccak256(concatBytes(bigIntToBytes(0x20n), body)), signedHash: null });
    expect(effectiveGasPerPubdataLimit(tx)).toBe(800n);
  });

  it('upgrade transactions are type 0xFE and hash the same way', () => {
    const tx = fromUpgradeTransaction({ ...input, value: 0n, maxFeePerGas: 0n, toMint: 0n });
    expect(tx.txType).toBe(0xfe);
    expect(zkTxHash(tx, CHAIN)).toEqual(keccak256(concatBytes(bigIntToBytes(0x20n), encodeZkTransaction(tx))));
  });

  it('refuses a deposit that cannot cover value + fees (the bootloader would abort the block)', () => {
    expect(convertCode(() => fromL1Transaction({ ...input, toMint: input.toMint - 1n }))).toBe('DEPOSIT_TOO_SMALL');
    expect(convertCode(() => fromL1Transaction({ ...input, gasPerPubdataByteLimit: 1n << 32n }))).toBe('ZK_INT_RANGE');
  });
});
