// The zod schemas of procedure inputs. Strings are parsed into the machine's types here (bigint
// addresses and words, byte arrays), so a resolver only ever sees checked values, and every
// refusal says what was expected.
import { z } from 'zod';
import { hexToBytes } from '../../machine/common/bytes.ts';

const MAX_U256 = (1n << 256n) - 1n;

export const blockNumber = z
  .number({ error: 'expected a block number (a non-negative integer)' })
  .int('expected a block number (a non-negative integer)')
  .min(0, 'a block number is not negative')
  .max(Number.MAX_SAFE_INTEGER, 'block number too large');

export const address = z
  .string({ error: 'expected an address: 0x and 40 hex digits' })
  .regex(/^0x[0-9a-fA-F]{40}$/, 'expected an address: 0x and 40 hex digits')
  .transform((s) => BigInt(s));

export const hash32 = z
  .string({ error: 'expected a 32-byte hash: 0x and 64 hex digits' })
  .regex(/^0x[0-9a-fA-F]{64}$/, 'expected a 32-byte hash: 0x and 64 hex digits')
  .transform((s) => hexToBytes(s));

/** A 256-bit word (slot keys, topics): 0x hex of up to 64 digits, or a decimal string. */
export const word = z
  .string({ error: 'expected a 256-bit value: 0x hex (up to 64 digits) or decimal digits' })
  .regex(/^(0x[0-9a-fA-F]{1,64}|[0-9]{1,78})$/, 'expected a 256-bit value: 0x hex (up to 64 digits) or decimal digits')
  .transform((s) => BigInt(s))
  .refine((v) => v <= MAX_U256, 'the value does not fit 256 bits');

/** A block by number, by hash, or the head ("latest"). */
export const blockRef = z.union([blockNumber, z.literal('latest'), hash32], {
  error: 'expected a block: a number, "latest", or a 32-byte block hash (0x and 64 hex digits)',
});

export type BlockRef = z.output<typeof blockRef>;

/** offset/limit paging; the limit's upper bound is checked against the server's maxPage. */
export const page = {
  offset: z.number().int('offset must be an integer').min(0, 'offset is not negative').default(0),
  limit: z.number().int('limit must be an integer').min(1, 'limit is at least 1').default(100),
};

export const replayMode = z.enum(['forward', 'proving'], { error: 'mode is "forward" or "proving"' }).default('forward');
