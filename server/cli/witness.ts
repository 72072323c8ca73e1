// `zkos witness` and `zkos prove`: a stored block's tape written in the CSR_READS_DUMP text form
// (reference §1.8), and proving mode run over such a file alone. A witness is only written after
// a proving run over it reproduced the block's public input.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { ZksyncProfile } from '../../machine/bootloader/zksync/profile.ts';
import { bytesToHex } from '../../machine/common/bytes.ts';
import { TapeError } from '../../machine/oracle/codec.ts';
import { witnessFromText, witnessToText } from '../../machine/oracle/witness.ts';
import { openChain } from '../../storage/chain.ts';
import { outputDigest } from '../../storage/digest.ts';
import { ChainError, CorruptBlockData, ProvingError } from '../../storage/errors.ts';
import { proveTape } from '../../storage/witness.ts';
import { group, intOption, parseArgs, UsageError } from './common.ts';

export const WITNESS_USAGE = `  witness --db FILE --block N [--out FILE]
      Writes block N's tape as CSR_READS_DUMP text (8 hex digits per word) to FILE (default
      stdout), after a proving run over it reproduced the block's public input.
  prove --witness FILE
      Runs proving mode over a witness file alone; prints "public input: 0x…" and then
      "output digest: 0x…"; exits 1 with the reason when anything fails to verify.
`;

function usage(cmd: string, e: unknown): number {
  if (!(e instanceof UsageError)) throw e;
  process.stderr.write(`zkos ${cmd}: ${e.message}\n${WITNESS_USAGE}`);
  return 2;
}

export function witnessCommand(args: string[]): number {
  let db: string;
  let block: number;
  let out: string | undefined;
  try {
    const p = parseArgs(args, ['db', 'block', 'out']);
    if (p.positional.length > 0) throw new UsageError(`unexpected argument '${p.positional[0]}'`);
    const d = p.options.get('db');
    if (d === undefined) throw new UsageError('--db FILE is required');
    db = d;
    block = intOption(p, 'block', undefined, 1)!;
    if (block === undefined) throw new UsageError('--block N is required');
    out = p.options.get('out');
  } catch (e) {
    return usage('witness', e);
  }
  if (!existsSync(db)) {
    process.stderr.write(`zkos witness: ${db} does not exist\n`);
    return 2;
  }
  const chain = openChain(db, { readonly: true });
  try {
    const tape = chain.witness(block);
    const text = witnessToText(tape);
    if (out === undefined) process.stdout.write(text);
    else writeFileSync(out, text);
    const pi = chain.commitment(block)?.publicInput;
    process.stderr.write(
      `witness: block ${block}, ${group(tape.length)} words${out === undefined ? '' : ` to ${out}`}; proven: public input ` +
        `${pi ? bytesToHex(pi) : '(the tree stage has not stored one; the forward run agrees)'}\n`,
    );
    return 0;
  } catch (e) {
    if (e instanceof ProvingError || e instanceof ChainError || e instanceof CorruptBlockData) {
      process.stderr.write(`zkos witness: ${e.message}\n`);
      return 1;
    }
    throw e;
  } finally {
    chain.close();
  }
}

export function proveCommand(args: string[]): number {
  let file: string;
  try {
    const p = parseArgs(args, ['witness']);
    if (p.positional.length > 0) throw new UsageError(`unexpected argument '${p.positional[0]}'`);
    const f = p.options.get('witness');
    if (f === undefined) throw new UsageError('--witness FILE is required');
    file = f;
  } catch (e) {
    return usage('prove', e);
  }
  if (!existsSync(file)) {
    process.stderr.write(`zkos prove: ${file} does not exist\n`);
    return 2;
  }
  try {
    const tape = witnessFromText(readFileSync(file, 'utf8'));
    const out = proveTape(tape, new ZksyncProfile());
    process.stdout.write(`public input: ${bytesToHex(out.publicInput!.hash)}\noutput digest: ${bytesToHex(outputDigest(out))}\n`);
    return 0;
  } catch (e) {
    // Whatever the tape got wrong — a word that does not decode, a proof that does not verify, a
    // transaction the machine refuses — is the reason the witness is not proven.
    const why = e instanceof TapeError ? `tape ${e.message}` : e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    process.stderr.write(`zkos prove: not proven: ${why}\n`);
    return 1;
  }
}
