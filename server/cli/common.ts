// Shared pieces of the chain commands (demo, ingest, replay): option parsing, the progress line,
// number formatting, and the context of the next block derived from the stored chain.
import { bytesToHex, bytesToBigInt } from '../../machine/common/bytes.ts';
import type { BlockMetadata } from '../../machine/oracle/types.ts';
import type { Chain } from '../../storage/chain.ts';

/** A usage error: the command prints it with its name and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface ParsedArgs {
  /** --name value options (the last one wins). */
  options: Map<string, string>;
  positional: string[];
}

/** Parses `--name value` / `--name=value` options; every option takes a value. */
export function parseArgs(args: readonly string[], known: readonly string[]): ParsedArgs {
  const options = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
    if (!known.includes(name)) throw new UsageError(`unknown option --${name} (known: ${known.map((k) => `--${k}`).join(', ')})`);
    let value: string | undefined = eq < 0 ? args[++i] : a.slice(eq + 1);
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    options.set(name, value);
  }
  return { options, positional };
}

/** An integer option with bounds; `def` when absent. */
export function intOption(p: ParsedArgs, name: string, def: number | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const v = p.options.get(name);
  if (v === undefined) return def;
  if (!/^\d+$/.test(v)) throw new UsageError(`--${name} must be a whole number, got '${v}'`);
  const n = Number(v);
  if (n < min || n > max) throw new UsageError(`--${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

/**
 * A progress line on stderr: redrawn in place on a TTY, otherwise one line each time another
 * tenth of the work is done (and never more than one per tenth).
 */
export class Progress {
  private readonly tty: boolean;
  private lastTenth = 0;
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {
    this.tty = out.isTTY === true;
  }

  update(done: number, detail = ''): void {
    if (this.total <= 0) return;
    const frac = Math.min(1, done / this.total);
    if (this.tty) {
      const now = Date.now();
      if (done < this.total && now - this.lastDraw < 100) return;
      this.lastDraw = now;
      const width = 24;
      const fill = Math.round(frac * width);
      const bar = `[${'#'.repeat(fill)}${'.'.repeat(width - fill)}]`;
      this.out.write(`\r\x1b[2K${this.label} ${bar} ${done}/${this.total} ${(frac * 100).toFixed(0)}%${detail ? ` ${detail}` : ''}`);
      this.drawn = true;
      return;
    }
    const tenth = Math.floor(frac * 10);
    if (tenth > this.lastTenth) {
      this.lastTenth = tenth;
      this.out.write(`${this.label} ${done}/${this.total} (${tenth * 10}%)${detail ? ` ${detail}` : ''}\n`);
    }
  }

  /** Erases the in-place line (a TTY) so that a line of output can be printed; the next update redraws it. */
  clear(): void {
    if (this.tty && this.drawn) this.out.write('\r\x1b[2K');
    this.drawn = false;
  }

  /** Ends the in-place line (a TTY) so that what follows starts on its own line. */
  done(): void {
    if (this.tty && this.drawn) this.out.write('\n');
    this.drawn = false;
  }
}

export const hex = (b: Uint8Array): string => bytesToHex(b);
export const hexWord = (v: bigint): string => `0x${v.toString(16).padStart(64, '0')}`;
export const hexAddress = (v: bigint): string => `0x${v.toString(16).padStart(40, '0')}`;

/** 1234567 → "1,234,567". */
export function group(v: bigint | number): string {
  return v.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/** JSON with bigints as 0x hex and byte arrays as 0x hex (for printing events and values). */
export function show(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => {
    if (typeof x === 'bigint') return `0x${x.toString(16)}`;
    if (x instanceof Uint8Array) return bytesToHex(x);
    return x;
  });
}

/**
 * The stored block hash of block n (the zksync profile stores it; ethereum-profile and genesis
 * blocks have none). The storage API does not expose the blocks.block_hash column (StoredBlock has
 * no hash field), so this reads it directly through the chain's connection.
 */
export function storedBlockHash(chain: Chain, n: number): bigint | null {
  const row = chain.db.prepare('SELECT block_hash FROM blocks WHERE number = ?').pluck().get(n) as Buffer | null | undefined;
  return row === undefined || row === null ? null : bytesToBigInt(new Uint8Array(row));
}

/**
 * The 256-hash window of block head+1: index 0 is the head's stored hash (0 when it has none, as
 * genesis), index i the window of the head shifted by one, so windows chain from block to block.
 */
export function nextBlockHashes(chain: Chain): bigint[] {
  const head = chain.head();
  const window = new Array<bigint>(256).fill(0n);
  if (head < 0) return window;
  const prev = head > 0 ? chain.reader.blockContext(head) : null;
  if (prev !== null) for (let i = 1; i < 256; i++) window[i] = prev.blockHashes[i - 1] ?? 0n;
  window[0] = storedBlockHash(chain, head) ?? 0n;
  return window;
}

/** The previous block's context fields a next block inherits (chain id, timestamp). */
export function headInfo(chain: Chain): { number: number; chainId: bigint; timestamp: bigint } {
  const head = chain.head();
  const b = chain.reader.block(head);
  if (b === null) throw new Error(`block ${head} (the head) is not readable`);
  return { number: head, chainId: b.chainId, timestamp: b.timestamp };
}

export type { BlockMetadata };
