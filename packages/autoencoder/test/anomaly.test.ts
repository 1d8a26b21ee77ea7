import { describe, expect, it } from 'vitest';
import { ArgumentError, Generator, ShapeError, manualSeed, rand } from '@plexus/tensor';
import { DenseAutoencoder, VAE, reconstruct, reconstructionErrors, rocAuc } from '../src/index.js';
import { expectClose, values } from './helpers.js';

/** AUC by its definition: over every (positive, negative) pair, 1 if the positive scores higher, ½ on a tie. */
function pairwiseAuc(scores: number[], labels: number[]): number {
  let sum = 0;
  let pairs = 0;
  scores.forEach((s, i) => {
    if (labels[i] !== 1) return;
    scores.forEach((t, j) => {
      if (labels[j] !== 0) return;
      sum += s > t ? 1 : s === t ? 0.5 : 0;
      pairs++;
    });
  });
  return sum / pairs;
}

describe('rocAuc', () => {
  it('matches hand-computed values (scikit-learn example, ties, perfect and inverted)', () => {
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(rocAuc([1, 1, 1, 1], [0, 1, 0, 1])).toBe(0.5);
    expect(rocAuc([0.2, 0.9, 0.5], [false, true, false])).toBe(1);
    expect(rocAuc([0.9, 0.1, 0.5], [0, 1, 1])).toBe(0);
    expect(rocAuc(Float64Array.of(3, 1, 2, 2), [1, 0, 0, 1])).toBe(0.875);
  });

  it('equals the pairwise (Mann–Whitney) definition on random data with ties', () => {
    const u = new Generator(3).nextUniform(600);
    const scores = Array.from({ length: 300 }, (_, i) => Math.round(u[i] * 20) / 20);
    const labels = Array.from({ length: 300 }, (_, i) => (u[300 + i] < 0.3 + 0.4 * scores[i] ? 1 : 0));
    expect(rocAuc(scores, labels)).toBeCloseTo(pairwiseAuc(scores, labels), 12);
  });

  it('rejects one-class labels, bad labels, non-finite scores and length mismatches', () => {
    expect(() => rocAuc([1, 2], [1, 1])).toThrow('rocAuc: needs both positives and negatives, got 2 positives and 0 negatives');
    expect(() => rocAuc([1, 2], [0, 2])).toThrow('rocAuc: labels must be 0/1 or booleans, got 2 at index 1');
    expect(() => rocAuc([1, NaN], [0, 1])).toThrow(ArgumentError);
    expect(() => rocAuc([1, 2, 3], [0, 1])).toThrow(ShapeError);
    expect(() => rocAuc(null as unknown as number[], [0, 1])).toThrow(ArgumentError);
  });
});

describe('reconstructionErrors', () => {
  it("is each sample's mean squared error, in evaluation mode, with the mode restored", async () => {
    manualSeed(0);
    const ae = new DenseAutoencoder({ inputDim: 6, hidden: [4], latentDim: 2, dtype: 'float64' });
    const x = rand([5, 6], { dtype: 'float64' });
    const recon = ae.forward(x);
    const want = values(recon.sub(x).square().mean(1));
    expectClose(Array.from(await reconstructionErrors(ae, x, { batchSize: 2 })), want, 1e-12);
    const energy = values(x.square().mean(1));
    expectClose(Array.from(await reconstructionErrors(ae, x, { relative: true })), want.map((w, i) => w / energy[i]), 1e-12);
    expect(ae.training).toBe(true);
  });

  it('uses the posterior mean for a VAE, so repeated calls agree', async () => {
    const vae = new VAE({ inputDim: 6, latentDim: 2 });
    const x = rand([4, 6]);
    expect(Array.from(await reconstructionErrors(vae, x))).toEqual(Array.from(await reconstructionErrors(vae, x)));
    expect(reconstruct(vae, x).shape).toEqual([4, 6]);
    expect(vae.training).toBe(true);
  });

  it('rejects bad input', async () => {
    const ae = new DenseAutoencoder({ inputDim: 6, latentDim: 2 });
    expect(() => reconstruct(ae, rand([6]))).toThrow(ShapeError);
    expect(() => reconstruct(ae, rand([2, 6]), { batchSize: 0 })).toThrow('reconstruct: batchSize must be a positive integer, got 0');
    await expect(reconstructionErrors(ae, rand([2, 7]))).rejects.toThrow(ShapeError);
    await expect(reconstructionErrors(ae, rand([2, 6]), { relative: 1 as unknown as boolean })).rejects.toThrow(ArgumentError);
  });
});
