import type { Tensor } from '@plexus/tensor';
import { ArgumentError, ShapeError, concat } from '@plexus/tensor';
import { checkTensor, positiveInt } from './options.js';
import type { Autoencoder } from './train.js';
import { inEvalMode } from './train.js';
import { VAE } from './vae.js';

export interface BatchedOptions {
  /** Samples per forward pass (default 256). */
  batchSize?: number;
}

/**
 * Reconstructions of `x` [N, ...] in evaluation mode without gradients, in batches (a VAE decodes
 * its posterior mean). The model's train/eval mode is restored afterwards.
 */
export function reconstruct(model: Autoencoder, x: Tensor, options: BatchedOptions = {}): Tensor {
  checkTensor('reconstruct', 'x', x);
  if (x.rank < 2) throw new ShapeError(`reconstruct: expected a batch [N, ...], got ${x.describe()}`);
  const batchSize = positiveInt('reconstruct', 'batchSize', options.batchSize ?? 256);
  return inEvalMode(model, () => {
    const parts: Tensor[] = [];
    for (let b = 0; b < x.shape[0]; b += batchSize) {
      const batch = x.narrow(0, b, Math.min(batchSize, x.shape[0] - b));
      parts.push(model instanceof VAE ? model.forward(batch).reconstruction : model.forward(batch));
    }
    return parts.length === 1 ? parts[0] : concat(parts, 0);
  });
}

export interface ReconstructionErrorOptions extends BatchedOptions {
  /**
   * Divide each error by the sample's mean squared value (||x − x̂||² / ||x||², default false).
   * Raw errors grow with the amount of ink, so busy normal images can outscore sparse anomalies;
   * the relative error takes that out.
   */
  relative?: boolean;
}

/**
 * Each sample's mean squared reconstruction error (over its values), as float64 numbers: the
 * anomaly score of an autoencoder trained on normal data only.
 */
export async function reconstructionErrors(model: Autoencoder, x: Tensor, options: ReconstructionErrorOptions = {}): Promise<Float64Array> {
  const relative = options.relative ?? false;
  if (typeof relative !== 'boolean') throw new ArgumentError(`reconstructionErrors: relative must be a boolean, got ${String(relative)}`);
  const recon = reconstruct(model, x, options);
  const target = x.cast(recon.dtype);
  let perSample = recon.sub(target).square().flatten(1).mean(1);
  if (relative) perSample = perSample.div(target.square().flatten(1).mean(1));
  return Float64Array.from(await perSample.data());
}

/**
 * Area under the ROC curve of `scores` for telling positives (label 1 / true) from negatives,
 * computed exactly as the Mann–Whitney U statistic: the probability that a random positive
 * scores higher than a random negative, ties counting one half (average ranks). O(n log n).
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number | boolean>): number {
  if (scores === null || typeof scores !== 'object' || typeof scores.length !== 'number') throw new ArgumentError('rocAuc: scores must be an array of numbers');
  if (labels === null || typeof labels !== 'object' || typeof labels.length !== 'number') throw new ArgumentError('rocAuc: labels must be an array of 0/1 or booleans');
  const n = scores.length;
  if (labels.length !== n) throw new ShapeError(`rocAuc: ${n} scores but ${labels.length} labels`);
  const positive = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const l = labels[i];
    if (l !== 0 && l !== 1 && l !== true && l !== false) throw new ArgumentError(`rocAuc: labels must be 0/1 or booleans, got ${String(l)} at index ${i}`);
    if (!Number.isFinite(scores[i])) throw new ArgumentError(`rocAuc: scores must be finite, got ${scores[i]} at index ${i}`);
    positive[i] = l === 1 || l === true ? 1 : 0;
  }
  const nPos = positive.reduce((a, b) => a + b, 0);
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) throw new ArgumentError(`rocAuc: needs both positives and negatives, got ${nPos} positives and ${nNeg} negatives`);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  // Sum of the positives' ranks (1-based), tied scores sharing their average rank.
  let rankSum = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++;
    const averageRank = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) if (positive[order[k]]) rankSum += averageRank;
    i = j + 1;
  }
  const u = rankSum - (nPos * (nPos + 1)) / 2;
  return u / (nPos * nNeg);
}
