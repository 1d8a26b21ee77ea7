import '@plexus/backend-js';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '@plexus/app-kit';
import { setBackend } from '@plexus/tensor';
import type { RnnOptions } from '../src/options.js';
import { parseOptions } from '../src/options.js';
import { run } from '../src/run.js';

const out = mkdtempSync(join(tmpdir(), 'plexus-rnn-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const tiny: RnnOptions = {
  task: 'mnist', cells: ['lstm', 'gru'], hidden: 8, layers: 1, bidirectional: false, epochs: 1, batchSize: 32, lr: 3e-3, clip: 1, seed: 0, out,
  augment: true, chrono: false, pooling: 'last', limit: 64, length: 28, horizon: 1, verbose: 0, plots: false,
};
type Models = { cell: string; [k: string]: unknown }[];

describe('rnn demo (tiny configurations on backend-js)', () => {
  it('mnist: trains LSTM and GRU on row sequences and tests them on held-out digits', async () => {
    setBackend('js');
    const logs: string[] = [];
    const r = await run(tiny, (l) => logs.push(l));
    expect(r).toMatchObject({ task: 'mnist', backend: 'js', seed: 0, trainImages: 64, testImages: 64 });
    const models = r.models as Models;
    expect(models.map((m) => m.cell)).toEqual(['lstm', 'gru']);
    for (const m of models) {
      expect(m.testAccuracy as number).toBeGreaterThanOrEqual(0);
      expect(m.testAccuracy as number).toBeLessThanOrEqual(1);
      expect(Number.isFinite(m.trainLoss)).toBe(true);
    }
    expect(logs.some((l) => l.startsWith('LSTM: test accuracy'))).toBe(true);
  });

  it('adding: reports every cell\'s held-out MSE against the always-1.0 baseline', async () => {
    setBackend('js');
    const r = await run({ ...tiny, task: 'adding', cells: ['rnn', 'gru'], length: 6, limit: 64, epochs: 2, plots: true }, () => undefined);
    expect(r.task).toBe('adding');
    expect(Math.abs((r.baselineMse as number) - 1 / 6)).toBeLessThan(0.03);
    const models = r.models as Models;
    expect(models.map((m) => m.cell)).toEqual(['rnn', 'gru']);
    for (const m of models) {
      expect(m.testMseByEpoch as number[]).toHaveLength(2);
      expect(Number.isFinite(m.testMse)).toBe(true);
      expect(typeof m.solved).toBe('boolean');
    }
    expect(readFileSync(join(out, 'adding-mse.png')).subarray(1, 4).toString()).toBe('PNG');
  });

  it('forecast: forecasts the last 20% and compares with seasonal naive, with a PNG plot', async () => {
    setBackend('js');
    const r = await run({ ...tiny, task: 'forecast', cells: ['gru'], length: 12, horizon: 6, epochs: 1, batchSize: 128, plots: true }, () => undefined);
    expect(r).toMatchObject({ task: 'forecast', trainPoints: 800, testPoints: 200, window: 12, horizon: 6 });
    const naive = r.seasonalNaive as { mae: number; rmse: number };
    expect(naive.mae).toBeGreaterThan(0);
    expect(naive.rmse).toBeGreaterThanOrEqual(naive.mae);
    const [m] = r.models as Models;
    expect(Number.isFinite(m.mae)).toBe(true);
    expect(r.files).toContain(join(out, 'forecast.png'));
    expect(existsSync(join(out, 'forecast.svg'))).toBe(true);
    expect(readFileSync(join(out, 'forecast.png')).subarray(1, 4).toString()).toBe('PNG');
  });

  it('parses the command line with per-task defaults, and rejects bad values with a UsageError', () => {
    const mnist = parseOptions([]);
    expect(mnist.options).toMatchObject({ task: 'mnist', cells: ['lstm', 'gru'], hidden: 128, bidirectional: false, epochs: 12, batchSize: 128, out: 'out/rnn' });
    expect(mnist.backend).toBe('auto');
    const adding = parseOptions(['--task', 'adding', '--cells', 'lstm', '--length', '50', '--backend', 'cpu']);
    expect(adding.options).toMatchObject({ task: 'adding', cells: ['lstm'], length: 50, hidden: 64, limit: 3200 });
    expect(adding.backend).toBe('cpu');
    expect(parseOptions(['--task=forecast', '--horizon', '4']).options).toMatchObject({ task: 'forecast', horizon: 4, length: 72 });
    expect(() => parseOptions(['--task', 'translate'])).toThrow(UsageError);
    expect(() => parseOptions(['--cells', 'lstm,tcn'])).toThrow(/--cells must be a comma-separated list/);
    expect(() => parseOptions(['--clip=-1'])).toThrow(/--clip must be a number >= 0/);
    expect(() => parseOptions(['--bidirectional', 'maybe'])).toThrow(UsageError);
    expect(() => parseOptions(['--hidden', '0'])).toThrow(UsageError);
  });
});
