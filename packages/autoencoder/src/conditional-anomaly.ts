import type { Tensor } from '@plexus/tensor';
import { ArgumentError, ShapeError, concat } from '@plexus/tensor';
import type { ConditionalAutoencoder } from './conditional.js';
import { checkFlatBatch, oneOf, positiveInt } from './options.js';
import { inEvalMode } from './train.js';

export interface LabelErrorOptions {
  /** Samples per forward pass (default 128; each is decoded once per class). */
  batchSize?: number;
  /** Per-sample error: mean squared ('mse', default) or mean absolute ('l1') difference. */
  metric?: 'mse' | 'l1';
}

/**
 * How a sample's conditional reconstruction errors become one anomaly score:
 * - 'min': the smallest error over the known labels (C2AE: a normal sample has one label that
 *   reconstructs it well, an unknown one has none);
 * - 'ratio': that smallest error divided by the second smallest. Raw errors are dominated by how
 *   much ink a digit has; the ratio cancels it and measures whether ONE label explains the sample
 *   clearly better than the rest (normal) or two or more do about equally (e.g. a 9 read as 4 or 7).
 */
export type ConditionalScore = 'min' | 'ratio';

export interface ConditionalErrorOptions extends LabelErrorOptions {
  /** Default 'min'. */
  score?: ConditionalScore;
}

/** Each sample's reconstruction errors under every label. */
export interface LabelErrors {
  /** Row-major [N, numClasses]: errors[i·numClasses + c] is sample i's error conditioned on class c. */
  errors: Float64Array;
  numSamples: number;
  numClasses: number;
}

/**
 * Every sample's reconstruction error conditioned on each known label, in evaluation mode without
 * gradients: each batch is encoded once and its codes decoded numClasses times in one pass.
 */
export async function labelReconstructionErrors(model: ConditionalAutoencoder, x: Tensor, options: LabelErrorOptions = {}): Promise<LabelErrors> {
  const where = 'labelReconstructionErrors';
  if (model === null || typeof model !== 'object' || typeof (model as { decode?: unknown }).decode !== 'function' || typeof (model as { numClasses?: unknown }).numClasses !== 'number') {
    throw new ArgumentError(`${where}: model must be a ConditionalAutoencoder`);
  }
  const batch = checkFlatBatch(where, x, model.inputDim);
  if (options === null || typeof options !== 'object') throw new ArgumentError(`${where}: options must be an object`);
  const batchSize = positiveInt(where, 'batchSize', options.batchSize ?? 128);
  const metric = oneOf(where, 'metric', options.metric ?? 'mse', ['mse', 'l1'] as const);
  const n = batch.shape[0];
  const k = model.numClasses;
  const parts = inEvalMode(model, () => {
    const out: Tensor[] = [];
    for (let b = 0; b < n; b += batchSize) {
      const m = Math.min(batchSize, n - b);
      const flat = batch.narrow(0, b, m).reshape([m, model.inputDim]);
      const z = model.encode(flat);
      // Rows c·m … c·m + m − 1 decode the batch under label c.
      const zAll = z.unsqueeze(0).expand([k, m, model.latentDim]).reshape([k * m, model.latentDim]);
      const labels = new Int32Array(k * m);
      for (let c = 0; c < k; c++) labels.fill(c, c * m, (c + 1) * m);
      const diff = model.decode(zAll, labels).reshape([k, m, model.inputDim]).sub(flat.cast(model.classifier.weight.dtype).unsqueeze(0));
      const err = (metric === 'mse' ? diff.square() : diff.abs()).mean(2); // [k, m]
      out.push(err.t());
    }
    return out;
  });
  const all = parts.length === 1 ? parts[0] : concat(parts, 0);
  return { errors: Float64Array.from(await all.data()), numSamples: n, numClasses: k };
}

/** Anomaly scores from per-label errors (see ConditionalScore). */
export function scoreLabelErrors(errors: LabelErrors, score: ConditionalScore = 'min'): Float64Array {
  const where = 'scoreLabelErrors';
  if (errors === null || typeof errors !== 'object' || !(errors.errors instanceof Float64Array)) throw new ArgumentError(`${where}: expected { errors, numSamples, numClasses } from labelReconstructionErrors`);
  const { numSamples: n, numClasses: k } = errors;
  if (errors.errors.length !== n * k) throw new ShapeError(`${where}: ${errors.errors.length} errors for ${n} samples × ${k} classes`);
  oneOf(where, 'score', score, ['min', 'ratio'] as const);
  if (score === 'ratio' && k < 2) throw new ArgumentError(`${where}: the 'ratio' score needs at least 2 classes, got ${k}`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    let second = Infinity;
    for (let c = 0; c < k; c++) {
      const e = errors.errors[i * k + c];
      if (e < best) {
        second = best;
        best = e;
      } else if (e < second) {
        second = e;
      }
    }
    // 0/0 (two perfect reconstructions) counts as a tie: maximally ambiguous.
    out[i] = score === 'min' ? best : second > 0 ? best / second : 1;
  }
  return out;
}

/**
 * The anomaly score of each sample from a trained ConditionalAutoencoder: by default the minimum
 * over the known labels of its conditional reconstruction error (C2AE), or with score 'ratio'
 * that minimum over the second smallest. Higher means more anomalous.
 */
export async function conditionalReconstructionErrors(model: ConditionalAutoencoder, x: Tensor, options: ConditionalErrorOptions = {}): Promise<Float64Array> {
  const score = oneOf('conditionalReconstructionErrors', 'score', options?.score ?? 'min', ['min', 'ratio'] as const);
  return scoreLabelErrors(await labelReconstructionErrors(model, x, options), score);
}

/** The label with the smallest conditional reconstruction error per sample (a reconstruction-based classifier). */
export function bestLabels(errors: LabelErrors): Int32Array {
  const { numSamples: n, numClasses: k } = errors;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (errors.errors[i * k + c] < errors.errors[i * k + best]) best = c;
    out[i] = best;
  }
  return out;
}

