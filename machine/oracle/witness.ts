// The witness file text (reference §1.8): every tape word as exactly 8 hex digits, most
// significant nibble first, concatenated with no separators and no trailing newline. The
// `CSR_READS_DUMP` form is uppercase, the eth_runner `<block>_witness` form lowercase; both are
// read. Anything else — an incomplete last word, a non-hex character, whitespace — is rejected.
import { TapeError } from './codec.ts';

const UPPER = '0123456789ABCDEF';
const LOWER = '0123456789abcdef';

/** Nibble value of each char code, -1 for non-hex. */
const NIBBLE = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  NIBBLE[UPPER.charCodeAt(i)] = i;
  NIBBLE[LOWER.charCodeAt(i)] = i;
}

export interface WitnessTextOptions {
  /** Lowercase digits (the eth_runner form) instead of the default uppercase CSR_READS_DUMP form. */
  lowercase?: boolean;
}

/** Two hex digits per byte value, in each case. */
const PAIRS_UPPER = Array.from({ length: 256 }, (_, b) => UPPER[b >> 4] + UPPER[b & 15]);
const PAIRS_LOWER = Array.from({ length: 256 }, (_, b) => LOWER[b >> 4] + LOWER[b & 15]);

export function witnessToText(words: Uint32Array, options: WitnessTextOptions = {}): string {
  const pairs = options.lowercase ? PAIRS_LOWER : PAIRS_UPPER;
  const parts: string[] = [];
  const chunk = 4096;
  for (let start = 0; start < words.length; start += chunk) {
    let s = '';
    const end = Math.min(words.length, start + chunk);
    for (let i = start; i < end; i++) {
      const w = words[i];
      s += pairs[w >>> 24] + pairs[(w >>> 16) & 0xff] + pairs[(w >>> 8) & 0xff] + pairs[w & 0xff];
    }
    parts.push(s);
  }
  return parts.join('');
}

/** Parses witness text; errors are TapeErrors whose position is the index of the bad word. */
export function witnessFromText(text: string): Uint32Array {
  if (text.length % 8 !== 0) {
    throw new TapeError('BAD_TEXT_LENGTH', Math.floor(text.length / 8), `witness text of ${text.length} characters is not a whole number of 8-digit words`);
  }
  const out = new Uint32Array(text.length / 8);
  for (let i = 0; i < out.length; i++) {
    let w = 0;
    for (let k = 0; k < 8; k++) {
      const c = text.charCodeAt(8 * i + k);
      const v = c < 128 ? NIBBLE[c] : -1;
      if (v < 0) throw new TapeError('BAD_HEX', i, `character ${8 * i + k} (${JSON.stringify(text[8 * i + k])}) is not a hex digit`);
      w = w * 16 + v;
    }
    out[i] = w;
  }
  return out;
}
