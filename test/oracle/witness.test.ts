// Witness text (reference §1.8): 8 hex digits per word, no separators; uppercase by default.
import { describe, expect, it } from 'vitest';
import { TapeError } from '../../machine/oracle/codec.ts';
import { RecordingOracle } from '../../machine/oracle/recording.ts';
import { TapeOracle, tapeFromLog } from '../../machine/oracle/tape.ts';
import { witnessFromText, witnessToText } from '../../machine/oracle/witness.ts';
import { provingOracle, script } from './helpers.ts';

function tapeError(f: () => unknown): TapeError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(TapeError);
    return e as TapeError;
  }
  throw new Error('expected a TapeError');
}

describe('witness text', () => {
  it('writes %08X per word, concatenated; lowercase on request', () => {
    const w = Uint32Array.from([0xdeadbeef, 1, 0, 0xffffffff, 0x0a0b0c0d]);
    expect(witnessToText(w)).toBe('DEADBEEF0000000100000000FFFFFFFF0A0B0C0D');
    expect(witnessToText(w, { lowercase: true })).toBe('deadbeef0000000100000000ffffffff0a0b0c0d');
    expect(witnessToText(new Uint32Array(0))).toBe('');
  });

  it('reads upper, lower or mixed case', () => {
    expect(Array.from(witnessFromText('DEADBEEF0a0B0c0D'))).toEqual([0xdeadbeef, 0x0a0b0c0d]);
  });

  it('round-trips a recorded block tape through text back into identical answers', () => {
    const rec = new RecordingOracle(provingOracle());
    const answers = script(rec);
    const tape = tapeFromLog(rec.log);
    for (const lowercase of [false, true]) {
      const text = witnessToText(tape, { lowercase });
      expect(text.length).toBe(8 * tape.length);
      const back = witnessFromText(text);
      expect(back).toEqual(tape);
      const o = new TapeOracle(back);
      expect(script(o)).toEqual(answers);
      o.finish();
    }
  });

  it('rejects malformed text with the word position', () => {
    let e = tapeError(() => witnessFromText('DEADBEEF0000000'));
    expect([e.code, e.position]).toEqual(['BAD_TEXT_LENGTH', 1]);
    e = tapeError(() => witnessFromText('DEADBEEF0000000G'));
    expect([e.code, e.position]).toEqual(['BAD_HEX', 1]);
    e = tapeError(() => witnessFromText('DEADBEEF 0000001'));
    expect([e.code, e.position]).toEqual(['BAD_HEX', 1]);
    e = tapeError(() => witnessFromText('0000000100000002\n'));
    expect(e.code).toBe('BAD_TEXT_LENGTH');
    e = tapeError(() => witnessFromText('000000010x000002'));
    expect([e.code, e.position]).toEqual(['BAD_HEX', 1]);
    e = tapeError(() => witnessFromText('0000000é'));
    expect([e.code, e.position]).toEqual(['BAD_HEX', 0]);
  });
});
