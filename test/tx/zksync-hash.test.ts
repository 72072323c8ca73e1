import { describe, expect, it } from 'vitest';
import { recoverAddressTyped, verifyTyped } from 'micro-eth-signer';
import { addressToHex, bigIntToBytes, bytesToHex, concatBytes } from '../../machine/common/bytes.ts';
import { rlpDecode, rlpEncode, type RlpItem } from '../../machine/common/rlp.ts';
import { keccak256, privateKeyToAddress, SECP256K1_N, signHash } from '../../machine/crypto/index.ts';
import { encodeZkTransaction } from '../../machine/tx/zksync/codec.ts';
import { fromEip712Envelope, signEip712Transaction } from '../../machine/tx/zksync/eip712.ts';
import {
  abiTupleHash,
  EIP712_DOMAIN_NAME_HASH,
  EIP712_DOMAIN_TYPEHASH,
  EIP712_DOMAIN_VERSION_HASH,
  EIP712_TX_TYPEHASH,
  toEthereumEnvelope,
  zkSignedHash,
  zkTxHash,
  zkTxHashes,
} from '../../machine/tx/zksync/hash.ts';
import { packZkSignature, recoverZkSender, recoverZkSigner } from '../../machine/tx/zksync/signature.ts';
import type { ZkTransaction } from '../../machine/tx/zksync/types.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);
const KEY = new Uint8Array(32).fill(0x5a);
const SIGNER = privateKeyToAddress(KEY);
const CHAIN = 270n;
const TO = 0xa61464658afeaf65cccaafd3a512b69a83b77618n;

describe('EIP-712 constants (reference §2.5, §12)', () => {
  it('domain typehash', () => {
    expect(bytesToHex(keccak256(utf8('EIP712Domain(string name,string version,uint256 chainId)')))).toBe(
      '0xc2f8787176b8ac6bf7215b4adcc1e069bf4ab82d9ab1df05a57a91d425935b6e',
    );
    expect(bytesToHex(EIP712_DOMAIN_TYPEHASH)).toBe('0xc2f8787176b8ac6bf7215b4adcc1e069bf4ab82d9ab1df05a57a91d425935b6e');
  });
  it('transaction typehash', () => {
    const type =
      'Transaction(uint256 txType,uint256 from,uint256 to,uint256 gasLimit,uint256 gasPerPubdataByteLimit,uint256 maxFeePerGas,' +
      'uint256 maxPriorityFeePerGas,uint256 paymaster,uint256 nonce,uint256 value,bytes data,bytes32[] factoryDeps,bytes paymasterInput)';
    expect(bytesToHex(keccak256(utf8(type)))).toBe('0x848e1bfa1ac4e3576b728bda6721b215c70a7799a5b4866282a71bab954baac8');
    expect(bytesToHex(EIP712_TX_TYPEHASH)).toBe('0x848e1bfa1ac4e3576b728bda6721b215c70a7799a5b4866282a71bab954baac8');
  });
  it('domain name and version hashes', () => {
    expect(EIP712_DOMAIN_NAME_HASH).toEqual(keccak256(utf8('zkSync')));
    expect(bytesToHex(EIP712_DOMAIN_NAME_HASH)).toMatch(/^0x19b453ce.*e07d6f$/);
    expect(EIP712_DOMAIN_VERSION_HASH).toEqual(keccak256(utf8('2')));
    expect(bytesToHex(EIP712_DOMAIN_VERSION_HASH)).toMatch(/^0xad7c5bef.*eb14a5$/);
  });
});

const FIELDS = {
  nonce: 3n,
  maxPriorityFeePerGas: 1_000_000n,
  maxFeePerGas: 250_000_000n,
  gasLimit: 500_000n,
  to: TO,
  value: 7_000_000n,
  data: Uint8Array.of(0xa9, 0x05, 0x9c, 0xbb),
  gasPerPubdata: 50_000n,
  paymaster: 0x13d0d8550769f59aa241a41897d4859c87f7dd46n,
  paymasterInput: Uint8Array.of(0x8c, 0x5a, 0x34, 0x45, 0, 0),
};

describe('type 0x71: EIP-712 signed hash and tx hash', () => {
  const raw = signEip712Transaction(FIELDS, KEY, CHAIN);
  const tx = fromEip712Envelope(raw, CHAIN);

  it('a signed 0x71 transaction recovers its signer', () => {
    expect(tx.from).toBe(SIGNER);
    expect(recoverZkSender(tx, CHAIN)).toBe(SIGNER);
    const res = recoverZkSigner(tx, CHAIN);
    expect(res.ok && res.signedHash).toEqual(zkSignedHash(tx, CHAIN));
  });

  it('the signed hash is the standard EIP-712 digest (checked with micro-eth-signer)', () => {
    const typed = {
      types: {
        EIP712Domain: [
          { name: 'name', type: 'string' },
          { name: 'version', type: 'string' },
          { name: 'chainId', type: 'uint256' },
        ],
        Transaction: [
          { name: 'txType', type: 'uint256' }, { name: 'from', type: 'uint256' }, { name: 'to', type: 'uint256' },
          { name: 'gasLimit', type: 'uint256' }, { name: 'gasPerPubdataByteLimit', type: 'uint256' },
          { name: 'maxFeePerGas', type: 'uint256' }, { name: 'maxPriorityFeePerGas', type: 'uint256' },
          { name: 'paymaster', type: 'uint256' }, { name: 'nonce', type: 'uint256' }, { name: 'value', type: 'uint256' },
          { name: 'data', type: 'bytes' }, { name: 'factoryDeps', type: 'bytes32[]' }, { name: 'paymasterInput', type: 'bytes' },
        ],
      },
      primaryType: 'Transaction',
      domain: { name: 'zkSync', version: '2', chainId: CHAIN },
      message: {
        txType: 0x71n, from: tx.from, to: tx.to, gasLimit: tx.gasLimit, gasPerPubdataByteLimit: tx.gasPerPubdataLimit,
        maxFeePerGas: tx.maxFeePerGas, maxPriorityFeePerGas: tx.maxPriorityFeePerGas, paymaster: tx.paymaster, nonce: tx.nonce,
        value: tx.value, data: tx.data, factoryDeps: [], paymasterInput: tx.paymasterInput,
      },
    } as const;
    const sigHex = bytesToHex(tx.signature);
    expect(recoverAddressTyped(sigHex, typed as any).toLowerCase()).toBe(addressToHex(SIGNER));
    expect(verifyTyped(sigHex, typed as any, addressToHex(SIGNER))).toBe(true);
  });

  it('tx hash = keccak(signedHash ‖ keccak(signature)), chain id from the parameter', () => {
    const { txHash, signedHash } = zkTxHashes(tx, CHAIN);
    expect(txHash).toEqual(keccak256(concatBytes(signedHash as Uint8Array, keccak256(tx.signature))));
    expect(zkSignedHash(tx, CHAIN + 1n)).not.toEqual(signedHash);
    expect(recoverZkSender(tx, CHAIN + 1n)).not.toBe(SIGNER);
  });

  it('changing a signed field changes the signer', () => {
    expect(recoverZkSender({ ...tx, value: tx.value + 1n }, CHAIN)).not.toBe(SIGNER);
    expect(recoverZkSender({ ...tx, paymasterInput: new Uint8Array(0) }, CHAIN)).not.toBe(SIGNER);
  });
});

describe('signature checks', () => {
  const raw = signEip712Transaction(FIELDS, KEY, CHAIN);
  const tx = fromEip712Envelope(raw, CHAIN);
  const r = BigInt(bytesToHex(tx.signature.subarray(0, 32)));
  const s = BigInt(bytesToHex(tx.signature.subarray(32, 64)));
  const recid = tx.signature[64] - 27;
  const code = (t: ZkTransaction) => {
    const res = recoverZkSigner(t, CHAIN);
    return res.ok ? 'OK' : res.code;
  };

  it('rejects the high-s twin as MALLEABLE_SIGNATURE (it would recover the same key)', () => {
    const twin = { ...tx, signature: packZkSignature(r, SECP256K1_N - s, 1 - recid) };
    expect(code(twin)).toBe('MALLEABLE_SIGNATURE');
    expect(recoverZkSender(twin, CHAIN)).toBeNull();
  });
  it('other failures', () => {
    const v29 = tx.signature.slice();
    v29[64] = 29;
    expect(code({ ...tx, signature: v29 })).toBe('INVALID_V');
    expect(code({ ...tx, signature: packZkSignature(0n, s, recid) })).toBe('INVALID_SIGNATURE');
    expect(code({ ...tx, signature: tx.signature.subarray(0, 64) })).toBe('BAD_SIGNATURE_LENGTH');
    expect(code({ ...tx, txType: 0xff, signature: new Uint8Array(0) })).toBe('NOT_SIGNED');
  });
});

describe('types 0/1/2: canonical Ethereum hashes (design decision, §11 item 4)', () => {
  const base: ZkTransaction = {
    txType: 2, from: SIGNER, to: TO, gasLimit: 21_000n, gasPerPubdataLimit: 0n, maxFeePerGas: 2_000_000_000n,
    maxPriorityFeePerGas: 1_000_000_000n, paymaster: 0n, nonce: 0n, value: 1n, reserved: [0n, 0n, 0n, 0n],
    data: new Uint8Array(0), signature: new Uint8Array(65), factoryDeps: [], paymasterInput: new Uint8Array(0), accessList: [],
  };
  function signed(t: ZkTransaction): ZkTransaction {
    const { r, s, recid } = signHash(zkSignedHash(t, CHAIN) as Uint8Array, KEY);
    return { ...t, signature: packZkSignature(r, s, recid) };
  }

  it('EIP-1559: yParity, r, s order; not the snapshot r, s, v(27/28) order', () => {
    const t = signed(base);
    expect(recoverZkSender(t, CHAIN)).toBe(SIGNER);
    const env = toEthereumEnvelope(t, CHAIN);
    expect(env[0]).toBe(2);
    const sig = t.signature;
        const prefix = [bigIntToBytes(CHAIN, 2), new Uint8Array(0), Uint8Array.of(0x3b, 0x9a, 0xca, 0x00), Uint8Array.of(0x77, 0x35, 0x94, 0x00),
      Uint8Array.of(0x52, 0x08), bigIntToBytes(TO, 20), Uint8Array.of(1), new Uint8Array(0), []];
    const canonical = concatBytes(Uint8Array.of(2), rlpEncode([...prefix, sig[64] === 28 ? Uint8Array.of(1) : new Uint8Array(0), stripZeros(sig.subarray(0, 32)), stripZeros(sig.subarray(32, 64))]));
    const snapshot = concatBytes(Uint8Array.of(2), rlpEncode([...prefix, stripZeros(sig.subarray(0, 32)), stripZeros(sig.subarray(32, 64)), Uint8Array.of(sig[64])]));
    expect(bytesToHex(env)).toBe(bytesToHex(canonical));
    expect(zkTxHash(t, CHAIN)).toEqual(keccak256(canonical));
    expect(zkTxHash(t, CHAIN)).not.toEqual(keccak256(snapshot));
  });

  it('legacy: v = 27/28 without EIP-155, chainId·2+35/36 with it (reserved[0])', () => {
    for (const eip155 of [0n, 1n]) {
      const t = signed({ ...base, txType: 0, maxPriorityFeePerGas: base.maxFeePerGas, accessList: null, reserved: [eip155, 0n, 0n, 0n] });
      expect(recoverZkSender(t, CHAIN)).toBe(SIGNER);
      const items = decodeList(toEthereumEnvelope(t, CHAIN));
      const v = BigInt(bytesToHex(items[6] as Uint8Array));
      expect(v).toBe(eip155 ? CHAIN * 2n + 35n + BigInt(t.signature[64] - 27) : BigInt(t.signature[64]));
      // without EIP-155 the chain id plays no part
      expect(zkTxHash(t, CHAIN + 5n).length).toBe(32);
      if (eip155 === 0n) expect(zkTxHash(t, CHAIN + 5n)).toEqual(zkTxHash(t, CHAIN));
      else expect(zkTxHash(t, CHAIN + 5n)).not.toEqual(zkTxHash(t, CHAIN));
    }
  });

  it('deployment: to is the empty string when reserved[1] ≠ 0', () => {
    const t = signed({ ...base, to: 0n, reserved: [0n, 1n, 0n, 0n], data: Uint8Array.of(0x60, 0x00) });
    const items = decodeList(toEthereumEnvelope(t, CHAIN).subarray(1));
    expect(items[5]).toEqual(new Uint8Array(0));
    const call0 = signed({ ...base, to: 0n });
    expect(decodeList(toEthereumEnvelope(call0, CHAIN).subarray(1))[5]).toEqual(new Uint8Array(20));
  });
});

describe('types 0xFF / 0xFE: keccak(BE(0x20,32) ‖ body)', () => {
  const l1: ZkTransaction = {
    txType: 0xff, from: 0x1234n, to: TO, gasLimit: 300_000n, gasPerPubdataLimit: 800n, maxFeePerGas: 100n,
    maxPriorityFeePerGas: 0n, paymaster: 0n, nonce: 42n, value: 5n, reserved: [30_000_005n, 0x1234n, 0n, 0n],
    data: Uint8Array.of(1, 2, 3), signature: new Uint8Array(0), factoryDeps: [], paymasterInput: new Uint8Array(0), accessList: null,
  };
  it('hashes the body as one ABI tuple, independent of the chain id, no signed hash', () => {
    const body = encodeZkTransaction(l1);
    const expected = keccak256(concatBytes(bigIntToBytes(0x20n), body));
    expect(abiTupleHash(body)).toEqual(expected);
    expect(zkTxHashes(l1, CHAIN)).toEqual({ txHash: expected, signedHash: null });
    expect(zkTxHash(l1, 1n, body)).toEqual(expected);
    expect(zkTxHash({ ...l1, txType: 0xfe }, CHAIN)).not.toEqual(expected);
  });
});

function decodeList(b: Uint8Array): RlpItem[] {
  return rlpDecode(b) as RlpItem[];
}
function stripZeros(b: Uint8Array): Uint8Array {
  let i = 0;
  while (i < b.length && b[i] === 0) i++;
  return b.slice(i);
}
