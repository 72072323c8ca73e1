// The bench's statistics and table helpers (the benchmarks themselves are never timed tests).
import { describe, expect, it } from 'vitest';
import { median, medianTiming, percentile, rng } from '../../bench/lib/stats.ts';
import { consoleTable, fmt, markdownTable, reportJson, row, type Report } from '../../bench/lib/table.ts';

describe('median and percentile', () => {
  it('takes the middle value, or the mean of the two middle ones, whatever the order', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(() => median([])).toThrow(RangeError);
  });

  it('medianTiming keeps the middle pass whole, its CPU time with its wall time', () => {
    const t = (seconds: number, cpuSeconds: number) => ({ seconds, cpuSeconds });
    expect(medianTiming([t(3, 0.3), t(1, 0.9), t(2, 0.2)])).toEqual(t(2, 0.2));
    expect(() => medianTiming([])).toThrow(RangeError);
  });

  it('picks the nearest-rank sample', () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 99)).toBe(99);
    expect(percentile(xs, 100)).toBe(100);
    expect(percentile([5, 1, 9], 50)).toBe(5);
    expect(percentile([5, 1, 9], 1)).toBe(1);
    expect(() => percentile(xs, 0)).toThrow(RangeError);
    expect(() => percentile([], 50)).toThrow(RangeError);
  });

  it('draws the same sequence for the same seed', () => {
    const a = rng(42);
    const b = rng(42);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });
});

describe('rows and their forms', () => {
  const rows = [row('ERC-20 transfers', 'tx/s', 3000, 150, true, ['a note']), row('replay memory', 'MiB', 216.4, null, null)];

  it('computes the ratio only against a counterpart', () => {
    expect(rows[0].ratio).toBe(20);
    expect(rows[1].ratio).toBeNull();
  });

  it('formats integers whole and others to about three digits', () => {
    expect(fmt(1234567)).toBe('1,234,567');
    expect(fmt(2109.4)).toBe('2,109');
    expect(fmt(41)).toBe('41');
    expect(fmt(12.345)).toBe('12.3');
    expect(fmt(1.234)).toBe('1.23');
    expect(fmt(0.01234)).toBe('0.0123');
  });

  it("prints '—' where ethereumjs has no counterpart, in the table and the Markdown", () => {
    const t = consoleTable(rows);
    expect(t).toMatch(/✓\s+ERC-20 transfers\s+tx\/s\s+3,000\s+150\s+20\.00×/);
    expect(t).toMatch(/replay memory\s+MiB\s+216\s+—\s+—/);
    expect(t).toContain('ERC-20 transfers: a note');
    expect(markdownTable(rows)).toContain('|   | replay memory | MiB | 216 | — | — |');
  });

  it('writes JSON rows with name, unit, zkos, ethereumjs and ratio (null for —)', () => {
    const report: Report = { date: '2026-01-01T00:00:00.000Z', machine: { cores: 2, cpu: 'x', node: 'v20', platform: 'linux-x64', ethereumjs: '10.1.3', heapFlags: '--max-semi-space-size=64', load: { start: 1, after: { erc20: 2 } } }, runs: 3, rows };
    const back = JSON.parse(reportJson(report)) as Report;
    expect(back.rows.map(({ name, unit, zkos, ethereumjs, ratio }) => ({ name, unit, zkos, ethereumjs, ratio }))).toEqual([
      { name: 'ERC-20 transfers', unit: 'tx/s', zkos: 3000, ethereumjs: 150, ratio: 20 },
      { name: 'replay memory', unit: 'MiB', zkos: 216.4, ethereumjs: null, ratio: null },
    ]);
    expect(back.machine.cores).toBe(2);
  });
});
