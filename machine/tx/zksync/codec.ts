// The ZKsync transaction body (reference/zksync-os.md §2.3): the standard Solidity ABI encoding of a
// 15-element parameter list (no leading 0x20 word), head of 19 words, tight dynamic tail.
//
// The decoder is strict: it accepts exactly the bytes encodeZkTransaction produces for some valid
// transaction, so decode ∘ encode and encode ∘ decode are identities. Failures are ZkTxDecodeError
// (codes in types.ts).
import { AbiReader, paddedLength, WORD, writeBytes, writeWord } from './abi.ts';
import { decodeAccessList, encodeAccessList } from './access-list.ts';
import { checkZkStructure, validateZkTransaction } from './structure.ts';
import {
  FIRST_DYNAMIC_OFFSET,
  MAX_TX_LEN_BYTES,
  TX_HEAD_BYTES,
  ZK_HEAD_WORD as W,
  ZkTxDecodeError,
  type ZkTransaction,
} from './types.ts';

const at = (word: number): number => word * WORD;

/** Decodes and structurally validates one transaction body. */
export function decodeZkTransaction(body: Uint8Array): ZkTransaction {
  if (body.length === 0) throw new ZkTxDecodeError('ZK_EMPTY', 'no transaction bytes');
  if (body.length > MAX_TX_LEN_BYTES) {
    throw new ZkTxDecodeError('ZK_TOO_LONG', `${body.length} bytes, at most ${MAX_TX_LEN_BYTES} allowed`, { offset: MAX_TX_LEN_BYTES });
  }
  const r = new AbiReader(body);
  r.need(0, TX_HEAD_BYTES, 'head');

  const txType = Number(r.uint(at(W.tx_type), 8, 'tx_type'));
  const from = r.address(at(W.from), 'from');
  const to = r.address(at(W.to), 'to');
  const gasLimit = r.uint(at(W.gas_limit), 64, 'gas_limit');
  const gasPerPubdataLimit = r.uint(at(W.gas_per_pubdata_limit), 32, 'gas_per_pubdata_limit');
  const maxFeePerGas = r.uint(at(W.max_fee_per_gas), 128, 'max_fee_per_gas');
  const maxPriorityFeePerGas = r.uint(at(W.max_priority_fee_per_gas), 128, 'max_priority_fee_per_gas');
  const paymaster = r.address(at(W.paymaster), 'paymaster');
  const nonce = r.uint(at(W.nonce), 256, 'nonce');
  const value = r.uint(at(W.value), 256, 'value');
  const reserved: [bigint, bigint, bigint, bigint] = [0n, 0n, 0n, 0n];
  for (let i = 0; i < 4; i++) reserved[i] = r.uint(at(W.reserved0 + i), 256, `reserved${i}`);

  // Dynamic tail: each offset must be the running position.
  let pos = FIRST_DYNAMIC_OFFSET;
  const dyn = (word: number, field: string): Uint8Array => {
    r.offset(at(word), pos, field);
    const { value: v, end } = r.bytes(pos, field);
    pos = end;
    return v;
  };
  const data = dyn(W.data, 'data');
  const signature = dyn(W.signature, 'signature');

  r.offset(at(W.factory_deps), pos, 'factory_deps');
  const depCount = r.length(pos, 'factory_deps');
  r.need(pos + WORD, depCount * WORD, 'factory_deps');
  const factoryDeps: Uint8Array[] = [];
  for (let i = 0; i < depCount; i++) factoryDeps.push(body.slice(pos + WORD * (1 + i), pos + WORD * (2 + i)));
  pos += WORD * (1 + depCount);

  const paymasterInput = dyn(W.paymaster_input, 'paymaster_input');
  const reservedDynamicStart = pos + WORD;
  const reservedDynamic = dyn(W.reserved_dynamic, 'reserved_dynamic');
  if (pos !== body.length) {
    throw new ZkTxDecodeError('ZK_TRAILING_BYTES', `${body.length - pos} bytes after the last element`, { offset: pos });
  }
  const accessList = decodeAccessList(reservedDynamic, reservedDynamicStart);

  const tx: ZkTransaction = {
    txType, from, to, gasLimit, gasPerPubdataLimit, maxFeePerGas, maxPriorityFeePerGas, paymaster, nonce, value, reserved,
    data, signature, factoryDeps, paymasterInput, accessList,
  };
  checkZkStructure(tx);
  return tx;
}

/** The canonical body of a valid transaction (validateZkTransaction first; throws like decode would). */
export function encodeZkTransaction(tx: ZkTransaction): Uint8Array {
  validateZkTransaction(tx);
  const reservedDynamic = encodeAccessList(tx.accessList);
  const size =
    TX_HEAD_BYTES +
    WORD + paddedLength(tx.data.length) +
    WORD + paddedLength(tx.signature.length) +
    WORD + WORD * tx.factoryDeps.length +
    WORD + paddedLength(tx.paymasterInput.length) +
    WORD + reservedDynamic.length;
  if (size > MAX_TX_LEN_BYTES) {
    // The decoder would refuse it, so there is no canonical encoding.
    throw new ZkTxDecodeError('ZK_TOO_LONG', `${size} bytes, at most ${MAX_TX_LEN_BYTES} allowed`, { offset: MAX_TX_LEN_BYTES });
  }
  const out = new Uint8Array(size);
  writeWord(out, at(W.tx_type), BigInt(tx.txType));
  writeWord(out, at(W.from), tx.from);
  writeWord(out, at(W.to), tx.to);
  writeWord(out, at(W.gas_limit), tx.gasLimit);
  writeWord(out, at(W.gas_per_pubdata_limit), tx.gasPerPubdataLimit);
  writeWord(out, at(W.max_fee_per_gas), tx.maxFeePerGas);
  writeWord(out, at(W.max_priority_fee_per_gas), tx.maxPriorityFeePerGas);
  writeWord(out, at(W.paymaster), tx.paymaster);
  writeWord(out, at(W.nonce), tx.nonce);
  writeWord(out, at(W.value), tx.value);
  for (let i = 0; i < 4; i++) writeWord(out, at(W.reserved0 + i), tx.reserved[i]);

  let pos = FIRST_DYNAMIC_OFFSET;
  writeWord(out, at(W.data), BigInt(pos));
  pos = writeBytes(out, pos, tx.data);
  writeWord(out, at(W.signature), BigInt(pos));
  pos = writeBytes(out, pos, tx.signature);
  writeWord(out, at(W.factory_deps), BigInt(pos));
  writeWord(out, pos, BigInt(tx.factoryDeps.length));
  tx.factoryDeps.forEach((d, i) => out.set(d, pos + WORD * (1 + i)));
  pos += WORD * (1 + tx.factoryDeps.length);
  writeWord(out, at(W.paymaster_input), BigInt(pos));
  pos = writeBytes(out, pos, tx.paymasterInput);
  writeWord(out, at(W.reserved_dynamic), BigInt(pos));
  pos = writeBytes(out, pos, reservedDynamic);
  if (pos !== size) throw new Error(`internal: encoded ${pos} of ${size} bytes`);
  return out;
}
