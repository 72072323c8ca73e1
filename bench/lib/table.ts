// The suite's one table: rows measured for zkos and, where it has a counterpart, for ethereumjs,
// printed to the console, as the JSON of --json FILE, and as bench/RESULTS.md.

export interface Row {
  name: string;
  unit: string;
  zkos: number;
  /** null: ethereumjs has no counterpart (printed '—'). */
  ethereumjs: number | null;
  /** zkos / ethereumjs on throughput rows (above 1, zkos is faster); null without a counterpart. */
  ratio: number | null;
  /** true: every check of the row passed; false: one failed; null: the row has nothing to check. */
  verified: boolean | null;
  notes: string[];
}

export interface Machine {
  cores: number;
  cpu: string;
  node: string;
  platform: string;
  ethereumjs: string;
  /** Heap options in effect (NODE_OPTIONS from .npmrc, --max-* flags): they move the figures. */
  heapFlags: string;
  /** 1-minute load averages when the run started and after each group (the machine is shared). */
  load: { start: number; after: Record<string, number> };
}

export interface Report {
  date: string;
  machine: Machine;
  runs: number;
  rows: Row[];
}

export function row(name: string, unit: string, zkos: number, ethereumjs: number | null, verified: boolean | null, notes: string[] = []): Row {
  return { name, unit, zkos, ethereumjs, ratio: ethereumjs === null || ethereumjs === 0 ? null : zkos / ethereumjs, verified, notes };
}

/** Integers whole, else 3 significant-ish digits; thousands grouped: 1234567.8 → "1,234,568", 12.345 → "12.3", 0.0123 → "0.0123". */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  const digits = Number.isInteger(v) || a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : a === 0 ? 0 : Math.min(6, 2 - Math.floor(Math.log10(a)));
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

const mark = (r: Row): string => (r.verified === null ? ' ' : r.verified ? '✓' : '✗');
const cells = (r: Row): string[] => [mark(r), r.name, r.unit, fmt(r.zkos), r.ethereumjs === null ? '—' : fmt(r.ethereumjs), r.ratio === null ? '—' : `${r.ratio.toFixed(2)}×`];
const HEADER = ['', 'workload', 'unit', 'zkos', 'ethereumjs', 'zkos/ethereumjs'];

export function consoleTable(rows: readonly Row[]): string {
  const body = rows.map(cells);
  const widths = HEADER.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (c: string[]) => c.map((s, i) => (i >= 3 ? s.padStart(widths[i]) : s.padEnd(widths[i]))).join('  ').trimEnd();
  const out = [line(HEADER), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line), ''];
  for (const r of rows) for (const n of r.notes) out.push(`${r.name}: ${n}`);
  return out.join('\n');
}

export function markdownTable(rows: readonly Row[]): string {
  const out = ['| ok | workload | unit | zkos | ethereumjs | zkos/ethereumjs |', '|---|---|---|---:|---:|---:|'];
  for (const r of rows) out.push(`| ${cells(r).join(' | ')} |`);
  out.push('');
  for (const r of rows) for (const n of r.notes) out.push(`- ${r.name}: ${n}`);
  return out.join('\n');
}

/** The --json form: per row name, unit, zkos, ethereumjs, ratio (null for '—'), verified, notes. */
export function reportJson(r: Report): string {
  return JSON.stringify(r, null, 2) + '\n';
}
