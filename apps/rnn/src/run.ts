import { mkdirSync } from 'node:fs';
import { getBackend } from '@plexus/tensor';
import { runAdding } from './adding.js';
import { runForecast } from './forecast.js';
import { runMnist } from './mnist.js';
import type { RnnOptions } from './options.js';

const round = (v: number, digits = 4): number => Math.round(v * 10 ** digits) / 10 ** digits;

/** Rounds every number of a result (nested) for the result line. */
function rounded(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? value : round(value);
  if (Array.isArray(value)) return value.map(rounded);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rounded(v)]));
  return value;
}

/** Runs the chosen task and returns its measured numbers (what the `result:` line prints). */
export async function run(o: RnnOptions, log: (line: string) => void = console.log): Promise<Record<string, unknown>> {
  const started = performance.now();
  if (o.plots) mkdirSync(o.out, { recursive: true });
  const base = { task: o.task, backend: getBackend().name, seed: o.seed, epochs: o.epochs, batchSize: o.batchSize, lr: o.lr, clip: o.clip, hidden: o.hidden, layers: o.layers, bidirectional: o.bidirectional };
  let result: Record<string, unknown>;
  switch (o.task) {
    case 'mnist':
      result = { ...base, augment: o.augment, pooling: o.pooling, ...(await runMnist(o, log)) };
      break;
    case 'adding':
      result = { ...base, length: o.length, ...(await runAdding(o, log)) };
      break;
    case 'forecast':
      result = { ...base, window: o.length, horizon: o.horizon, ...(await runForecast(o, log)) };
      break;
  }
  return rounded({ ...result, seconds: (performance.now() - started) / 1000 }) as Record<string, unknown>;
}
