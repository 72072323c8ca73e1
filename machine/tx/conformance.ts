// Checking one case of ethereum/tests TransactionTests. Pure: the caller reads the JSON files.
//
// A case is { txbytes, result: { <Fork>: { hash, intrinsicGas, sender } | { exception } } }.
// Valid means: the bytes decode, the hash, sender and intrinsic gas match, and the transaction
// passes the static rules of validity.ts for chain id 1. An exception result passes when decoding
// or a static rule fails (the exact reason is reported, not compared: the suite's exception names
// are client-specific).
import { addressToHex, bytesToHex, hexToBigInt, hexToBytes } from '../common/bytes.ts';
import { decodeEthereumTransaction } from './ethereum.ts';
import { intrinsicGas } from './intrinsic.ts';
import { TxDecodeError } from './types.ts';
import { staticValidityError } from './validity.ts';

export interface TransactionTestExpectation {
  hash?: string;
  intrinsicGas?: string;
  sender?: string;
  exception?: string;
}

export interface TransactionTestCase {
  txbytes: string;
  result: Record<string, TransactionTestExpectation>;
}

/** Fork names in the suite, oldest first. */
export const FORKS = [
  'Frontier', 'Homestead', 'EIP150', 'EIP158', 'Byzantium', 'Constantinople', 'ConstantinopleFix',
  'Istanbul', 'Berlin', 'London', 'Paris', 'Shanghai', 'Cancun',
] as const;
export const TRANSACTION_TEST_FORK = 'Cancun';
/** The chain id the suite's transactions are signed for. */
export const TRANSACTION_TEST_CHAIN_ID = 1n;

export interface TransactionTestOutcome {
  pass: boolean;
  /** The fork whose result was checked: the target fork, or the latest one before it listed. */
  fork: string;
  /** 'valid' or the suite's exception name. */
  expected: string;
  /** 'valid' or our error / rule code. */
  actual: string;
  /** Why it failed (empty when it passed). */
  detail: string;
}

/** The result to check: the target fork's, else the newest earlier fork's (null if none). */
export function pickExpectation(test: TransactionTestCase, fork: string = TRANSACTION_TEST_FORK): [string, TransactionTestExpectation] | null {
  if (test.result[fork]) return [fork, test.result[fork]];
  const idx = FORKS.indexOf(fork as (typeof FORKS)[number]);
  for (let i = (idx < 0 ? FORKS.length : idx) - 1; i >= 0; i--) {
    const r = test.result[FORKS[i]];
    if (r) return [FORKS[i], r];
  }
  return null;
}

export function runTransactionTest(
  test: TransactionTestCase,
  opts: { fork?: string; chainId?: bigint } = {},
): TransactionTestOutcome {
  const picked = pickExpectation(test, opts.fork ?? TRANSACTION_TEST_FORK);
  if (!picked) return { pass: false, fork: '-', expected: '-', actual: '-', detail: 'no result for the fork or any earlier one' };
  const [fork, exp] = picked;
  const expected = exp.exception ?? 'valid';
  const outcome = (actual: string, pass: boolean, detail = ''): TransactionTestOutcome => ({ pass, fork, expected, actual, detail });

  let tx;
  try {
    tx = decodeEthereumTransaction(hexToBytes(test.txbytes));
  } catch (e) {
    const code = e instanceof TxDecodeError ? e.code : 'DECODE_THREW';
    const msg = e instanceof Error ? e.message : String(e);
    return exp.exception ? outcome(code, true) : outcome(code, false, `decode failed: ${msg}`);
  }
  const rule = staticValidityError(tx, opts.chainId ?? TRANSACTION_TEST_CHAIN_ID);
  if (rule) return exp.exception ? outcome(rule, true) : outcome(rule, false, `rule failed: ${rule}`);
  if (exp.exception) return outcome('valid', false, `accepted a transaction the suite rejects (${exp.exception})`);

  const problems: string[] = [];
  const hash = bytesToHex(tx.hash);
  if (exp.hash !== undefined && hash !== exp.hash.toLowerCase()) problems.push(`hash ${hash} != ${exp.hash}`);
  const sender = addressToHex(tx.from);
  if (exp.sender !== undefined && sender !== exp.sender.toLowerCase()) problems.push(`sender ${sender} != ${exp.sender}`);
  const gas = intrinsicGas(tx);
  if (exp.intrinsicGas !== undefined && gas !== hexToBigInt(exp.intrinsicGas)) problems.push(`intrinsic gas ${gas} != ${hexToBigInt(exp.intrinsicGas)}`);
  return outcome('valid', problems.length === 0, problems.join('; '));
}
