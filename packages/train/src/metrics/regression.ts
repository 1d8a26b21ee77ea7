import { ArgumentError, ShapeError } from '@plexus/tensor';
import type { HostValues, MetricInput } from './host.js';
import { hostSync } from './host.js';

/** Checks that predictions and targets hold the same number of values; returns the output columns. */
export function regressionColumns(op: string, out: HostValues, target: HostValues): number {
  if (out.data.length !== target.data.length) {
    throw new ShapeError(`${op}: predictions [${out.shape.join(',')}] and targets [${target.shape.join(',')}] differ in size`);
  }
  // [N] and [N, 1] are one output; [N, D] is D outputs (R² averages over them, as sklearn).
  return out.shape.length >= 2 ? out.shape.slice(1).reduce((a, b) => a * b, 1) : 1;
}

/** Sum of squared and of absolute errors over every value. */
export function errorSums(out: HostValues, target: HostValues): { squared: number; absolute: number; count: number } {
  let squared = 0;
  let absolute = 0;
  for (let i = 0; i < out.data.length; i++) {
    const d = out.data[i] - target.data[i];
    squared += d * d;
    absolute += Math.abs(d);
  }
  return { squared, absolute, count: out.data.length };
}

/**
 * Per-output statistics for R², mergeable across batches (Chan et al.'s parallel variance): the
 * count, the targets' mean and sum of squared deviations, and the residual sum of squares.
 */
export interface R2Stats {
  n: number;
  mean: Float64Array;
  m2: Float64Array;
  ssRes: Float64Array;
}

export function r2Stats(op: string, out: HostValues, target: HostValues): R2Stats {
  const d = regressionColumns(op, out, target);
  const n = out.data.length / d;
  const mean = new Float64Array(d);
  const m2 = new Float64Array(d);
  const ssRes = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const y = target.data[i * d + j];
      const delta = y - mean[j];
      mean[j] += delta / (i + 1);
      m2[j] += delta * (y - mean[j]);
      const r = y - out.data[i * d + j];
      ssRes[j] += r * r;
    }
  }
  return { n, mean, m2, ssRes };
}

export function mergeR2(a: R2Stats | undefined, b: R2Stats, op: string): R2Stats {
  if (!a || a.n === 0) return b;
  if (a.mean.length !== b.mean.length) throw new ShapeError(`${op}: batches have ${a.mean.length} and ${b.mean.length} outputs`);
  const n = a.n + b.n;
  const mean = new Float64Array(a.mean.length);
  const m2 = new Float64Array(a.mean.length);
  const ssRes = new Float64Array(a.mean.length);
  for (let j = 0; j < mean.length; j++) {
    const delta = b.mean[j] - a.mean[j];
    mean[j] = a.mean[j] + (delta * b.n) / n;
    m2[j] = a.m2[j] + b.m2[j] + (delta * delta * a.n * b.n) / n;
    ssRes[j] = a.ssRes[j] + b.ssRes[j];
  }
  return { n, mean, m2, ssRes };
}

/** R² = 1 − SS_res / SS_tot per output, averaged; an output with constant targets scores 1 if predicted exactly, else 0 (sklearn). */
export function r2FromStats(s: R2Stats): number {
  let total = 0;
  for (let j = 0; j < s.mean.length; j++) {
    total += s.m2[j] > 0 ? 1 - s.ssRes[j] / s.m2[j] : s.ssRes[j] === 0 ? 1 : 0;
  }
  return total / s.mean.length;
}

function pair(op: string, output: MetricInput, target: MetricInput): [HostValues, HostValues] {
  const out = hostSync(op, output);
  const t = hostSync(op, target);
  regressionColumns(op, out, t);
  if (out.data.length === 0) throw new ArgumentError(`${op}: got no samples`);
  return [out, t];
}

/** Mean squared error over every value. */
export function meanSquaredError(output: MetricInput, target: MetricInput): number {
  const s = errorSums(...pair('meanSquaredError', output, target));
  return s.squared / s.count;
}

/** Mean absolute error over every value. */
export function meanAbsoluteError(output: MetricInput, target: MetricInput): number {
  const s = errorSums(...pair('meanAbsoluteError', output, target));
  return s.absolute / s.count;
}

/** Coefficient of determination R², averaged over outputs for [N, D] (sklearn's uniform average). */
export function r2Score(output: MetricInput, target: MetricInput): number {
  const [out, t] = pair('r2Score', output, target);
  return r2FromStats(r2Stats('r2Score', out, t));
}
