import '@plexus/backend-js';
import { describe, expect, it } from 'vitest';
import { ArgumentError, Generator } from '@plexus/tensor';
import { sampleIndex, sampleRows, samplingProbabilities } from '../src/index.js';

const close = (got: ArrayLike<number>, want: number[], tol = 1e-12) => {
  expect(got.length).toBe(want.length);
  want.forEach((w, i) => expect(Math.abs(got[i] - w)).toBeLessThanOrEqual(tol));
};
const softmax = (z: number[]) => {
  const m = Math.max(...z);
  const e = z.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
};

describe('samplingProbabilities', () => {
  const logits = [1, 2, 3, 4];

  it('is the softmax of logits / temperature', () => {
    close(samplingProbabilities(logits), softmax(logits));
    close(samplingProbabilities(logits, { temperature: 0.5 }), softmax([2, 4, 6, 8]));
    close(samplingProbabilities(logits, { temperature: 2 }), softmax([0.5, 1, 1.5, 2]));
  });

  it('temperature 0 is greedy (one-hot on the first maximum)', () => {
    expect(Array.from(samplingProbabilities([1, 5, 5, 2], { temperature: 0 }))).toEqual([0, 1, 0, 0]);
  });

  it('top-k keeps the k most likely tokens (and ties with the k-th), renormalised', () => {
    close(samplingProbabilities(logits, { topK: 2 }), [0, 0, ...softmax([3, 4])]);
    close(samplingProbabilities([1, 3, 3, 4], { topK: 2 }), [0, ...softmax([3, 3, 4])]);
    close(samplingProbabilities(logits, { topK: 10 }), softmax(logits));
  });

  it('top-p keeps the smallest most-likely set whose mass reaches p', () => {
    const lp = [0.1, 0.2, 0.3, 0.4].map(Math.log);
    // 0.4 < 0.5, so 0.3 is kept too; 0.4 + 0.3 >= 0.5 stops there.
    close(samplingProbabilities(lp, { topP: 0.5 }), [0, 0, 3 / 7, 4 / 7]);
    // 0.4 already reaches 0.4.
    close(samplingProbabilities(lp, { topP: 0.4 }), [0, 0, 0, 1]);
    close(samplingProbabilities(lp, { topP: 0.95 }), [0.1, 0.2, 0.3, 0.4]);
    // Always at least one token.
    close(samplingProbabilities(lp, { topP: 1e-9 }), [0, 0, 0, 1]);
    // After top-k (2 of 4: 3/7, 4/7), p = 0.5 keeps only the first.
    close(samplingProbabilities(lp, { topK: 2, topP: 0.5 }), [0, 0, 0, 1]);
    // Temperature first: at T = 0.5 the probabilities are ∝ p², i.e. [1, 4, 9, 16]/30.
    close(samplingProbabilities(lp, { temperature: 0.5, topP: 0.8 }), [0, 0, 9 / 25, 16 / 25], 1e-12);
  });

  it('rejects bad options', () => {
    expect(() => samplingProbabilities(logits, { temperature: -1 })).toThrow(ArgumentError);
    expect(() => samplingProbabilities(logits, { topK: 0 })).toThrow('samplingProbabilities: topK must be a positive integer or null, got 0');
    expect(() => samplingProbabilities(logits, { topP: 0 })).toThrow(ArgumentError);
    expect(() => samplingProbabilities(logits, { topP: 1.5 })).toThrow(ArgumentError);
    expect(() => samplingProbabilities([])).toThrow(ArgumentError);
  });
});

describe('sampleIndex / sampleRows', () => {
  it('draws tokens with the given frequencies and never a zero-probability token', () => {
    const g = new Generator(7);
    const probs = [0.5, 0, 0.3, 0.2];
    const counts = [0, 0, 0, 0];
    const n = 6000;
    for (let i = 0; i < n; i++) counts[sampleIndex(probs, g)]++;
    expect(counts[1]).toBe(0);
    probs.forEach((p, i) => expect(Math.abs(counts[i] / n - p)).toBeLessThan(0.025));
  });

  it('is reproducible from the generator state; greedy rows draw nothing', () => {
    const logits = [0, 1, 2, 0.5, 3, 1, 0, 0];
    const a = sampleRows(logits, 2, {}, new Generator(3));
    expect(sampleRows(logits, 2, {}, new Generator(3))).toEqual(a);
    const g = new Generator(3);
    expect(sampleRows(logits, 2, { temperature: 0 }, g)).toEqual([2, 0]);
    expect(g.getState().offset).toBe(0);
  });
});
