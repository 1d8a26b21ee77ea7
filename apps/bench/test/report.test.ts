import { describe, expect, it } from 'vitest';
import type { BenchReport, Row } from '../src/harness.js';
import { TooSlowError, measure, median } from '../src/measure.js';
import { bestPeers, formatValue, markdownDoc, markdownTable, ratioToBestPeer, targetLines } from '../src/report.js';

const row = (runner: Row['runner'], backend: string, value: number | null, workload = 'w2', note = ''): Row => ({
  workload, runner, backend, value, unit: 'samples/s', rssMB: 100, note,
});

describe('formatValue', () => {
  it('gives three significant figures without exponents', () => {
    expect(formatValue(62750.4)).toBe('62750');
    expect(formatValue(45.24)).toBe('45.2');
    expect(formatValue(4.526)).toBe('4.53');
    expect(formatValue(0.01234)).toBe('0.0123');
    expect(formatValue(0)).toBe('0');
  });
});

describe('ratios against the best peer', () => {
  const rows = [row('plexus', 'js', 900), row('tfjs', 'cpu', 300), row('tfjs', 'wasm', 450), row('torch', 'cpu', null, 'w2', 'not installed')];

  it('divide by the fastest peer that has a value', () => {
    const best = bestPeers(rows);
    expect(best.get('w2')?.backend).toBe('wasm');
    expect(ratioToBestPeer(rows[0], best)).toBe(2);
    expect(ratioToBestPeer(rows[3], best)).toBeNull();
  });

  it('the table marks the best peer and shows the reason of an empty cell', () => {
    const table = markdownTable(rows).split('\n');
    expect(table[0]).toContain('÷ best peer');
    expect(table[2]).toBe('| W2 MLP 784-512-256-10 train | plexus/js | 900 | samples/s | 2.00× | 100 |  |');
    expect(table[4]).toContain('1.00× (best)');
    expect(table[5]).toContain('| — | samples/s | — | 100 | not installed |');
  });

  it('the targets compare backend-js with tfjs cpu', () => {
    expect(targetLines(rows)).toEqual(['plexus/js ÷ tfjs/cpu on W2 MLP 784-512-256-10 train: 3.00× (target ≥ 3×: met)']);
  });

  it('the targets compare backend-cpu with tfjs cpu and with this run\'s and the reference PyTorch', () => {
    const cpuRows = [row('plexus', 'cpu', 57_000), row('tfjs', 'cpu', 300), row('torch', 'cpu', 60_000), row('plexus', 'cpu', 700, 'w3-train'), row('torch', 'cpu', null, 'w3-train', 'not installed')];
    expect(targetLines(cpuRows)).toEqual([
      'plexus/cpu ÷ tfjs/cpu on W2 MLP 784-512-256-10 train: 190.0× (target ≥ 50×: met)',
      "plexus/cpu on W2 MLP 784-512-256-10 train: 0.95× this run's torch/cpu (target ≥ 1×: NOT met); 1.20× the reference 47500",
      'plexus/cpu on W3 CNN train: 0.50× the reference 1400',
    ]);
  });
});

describe('measure', () => {
  /** A clock that advances `cost` seconds per step. */
  function fakeClock(cost: number) {
    let now = 0;
    return { clock: () => now, step: () => (now += cost) };
  }

  it('times repeats of at least minTime and reports the median rate', () => {
    const { clock, step } = fakeClock(0.25);
    const m = measure(step, { minTime: 1, repeats: 3, warmup: 0.5, cap: 60 }, clock);
    expect(m.rates).toEqual([4, 4, 4]);
    expect(m.stepsPerSecond).toBe(4);
    expect(m.steps).toBe(12);
  });

  it('stops with the reason when the repeats cannot fit in the cap', () => {
    const { clock, step } = fakeClock(25);
    expect(() => measure(step, { minTime: 3, repeats: 3, warmup: 0, cap: 60 }, clock)).toThrow(TooSlowError);
    expect(() => measure(step, { minTime: 3, repeats: 3, warmup: 0, cap: 60 }, clock)).toThrow(/one step takes 25\.0 s.*60 s cap/);
  });

  it('median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(() => median([])).toThrow(/no values/);
  });
});

describe('markdownDoc', () => {
  const report = (load: [number, number]): BenchReport => ({
    rows: [row('plexus', 'js', 900), row('tfjs', 'cpu', 300)],
    machine: { date: 'today', node: 'v20', platform: 'Linux', cpu: 'Xeon', cores: 2, memoryGB: 24, load },
    columns: { 'plexus/js': { ok: true, info: {}, note: '' }, 'tfjs/cpu': { ok: true, info: { tfjs: '4.22.0' }, note: '' } },
    size: 'full',
    timing: { minTime: 3, repeats: 3, warmup: 1, cap: 60 },
  });

  it('records the command, versions, cores and targets, and warns when the machine was busy', () => {
    const quiet = markdownDoc(report([0.5, 1.2]), 'pnpm bench --markdown docs/benchmarks.md');
    expect(quiet).toContain('```sh\npnpm bench --markdown docs/benchmarks.md\n```');
    expect(quiet).toContain('- Machine: Xeon, 2 cores, 24 GiB, Linux');
    expect(quiet).toContain('- TensorFlow.js: 4.22.0');
    expect(quiet).toContain('target ≥ 3×: met');
    expect(quiet).not.toContain('The machine was busy');
    expect(markdownDoc(report([3.5, 1]), 'pnpm bench')).toContain('The machine was busy during this run (load up to 3.5 on 2 cores)');
  });
});
