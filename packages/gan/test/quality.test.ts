import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError, manualSeed, rand, tensor } from '@plexus/tensor';
import { Linear } from '@plexus/nn';
import { predictProbabilities, sampleQuality } from '../src/index.js';
import { expectClose, values } from './helpers.js';

const oneHot = (classes: number[], c = 10) => ({ data: classes.flatMap((k) => Array.from({ length: c }, (_, j) => (j === k ? 1 : 0))), shape: [classes.length, c] });

describe('sampleQuality', () => {
  it('confident predictions spread evenly over 10 classes score the maximum: IS 10, 10 effective classes', () => {
    const q = sampleQuality(oneHot(Array.from({ length: 100 }, (_, i) => i % 10)));
    expectClose(q.inceptionScore, 10, 1e-12);
    expectClose(q.effectiveClasses, 10, 1e-12);
    expect(q.meanMaxConfidence).toBe(1);
    expect(q.classCounts).toEqual(new Array(10).fill(10));
    expect(q.modeCollapse).toEqual({ detected: false, reasons: [] });
  });

  it('a collapsed generator (one class) scores IS 1 and is flagged', () => {
    const q = sampleQuality(oneHot(new Array(50).fill(3)));
    expectClose(q.inceptionScore, 1, 1e-12);
    expectClose(q.effectiveClasses, 1, 1e-12);
    expect(q.modeCollapse.detected).toBe(true);
    expect(q.modeCollapse.reasons[0]).toBe('effective number of classes 1.00 < 8');
    expect(q.modeCollapse.reasons[1]).toContain('classes 0 (0.0%), 1 (0.0%), 2 (0.0%), 4 (0.0%)');
  });

  it('uncertain predictions score IS 1 whatever the spread', () => {
    const q = sampleQuality({ data: new Array(40).fill(0.1), shape: [4, 10] });
    expectClose(q.inceptionScore, 1, 1e-12);
    expectClose(q.meanMaxConfidence, 0.1, 1e-12);
  });

  it('matches a hand computation on two classes', () => {
    // p(y|x) rows [0.9, 0.1], [0.2, 0.8]; p(y) = [0.55, 0.45].
    const kl = (p: number[]) => p[0] * Math.log(p[0] / 0.55) + p[1] * Math.log(p[1] / 0.45);
    const q = sampleQuality(tensor([[0.9, 0.1], [0.2, 0.8]], { dtype: 'float64' }), { minEffectiveClasses: 1.5, minClassShare: 0.1 });
    expectClose(q.inceptionScore, Math.exp((kl([0.9, 0.1]) + kl([0.2, 0.8])) / 2), 1e-12);
    expectClose(q.meanMaxConfidence, 0.85, 1e-12);
    expect(q.classCounts).toEqual([1, 1]);
    expectClose(q.effectiveClasses, 2, 1e-12);
    expect(q.modeCollapse.detected).toBe(false);
  });

  it('flags a class below the minimum share even when the effective number is high', () => {
    const classes = [...Array.from({ length: 99 }, (_, i) => i % 9), 9];
    const q = sampleQuality(oneHot(classes));
    expect(q.effectiveClasses).toBeGreaterThan(8);
    expect(q.modeCollapse.detected).toBe(true);
    expect(q.modeCollapse.reasons).toEqual(['class 9 (1.0%) below 2.0% of the samples']);
  });

  it('rejects rows that are not probabilities and bad shapes', () => {
    expect(() => sampleQuality({ data: [0.5, 0.6], shape: [1, 2] })).toThrow('sampleQuality: row 0 sums to 1.1, not 1; apply softmax to logits first');
    expect(() => sampleQuality({ data: [-0.5, 1.5], shape: [1, 2] })).toThrow(ArgumentError);
    expect(() => sampleQuality({ data: [1], shape: [1, 1] })).toThrow(ShapeError);
    expect(() => sampleQuality({ data: [1, 0, 0], shape: [1, 2] })).toThrow(ShapeError);
    expect(() => sampleQuality(oneHot([0, 1]), { minEffectiveClasses: 11 })).toThrow(ArgumentError);
  });
});

describe('predictProbabilities', () => {
  it('returns softmax rows in batches, in evaluation mode, restoring the mode', () => {
    manualSeed(0);
    const classifier = new Linear(4, 3);
    const x = rand([5, 4]);
    const p = predictProbabilities(classifier, x, { batchSize: 2 });
    expect(p.shape).toEqual([5, 3]);
    expectClose(p, values(classifier.forward(x).softmax(-1)), 1e-6);
    expect(classifier.training).toBe(true);
    expect(() => predictProbabilities(classifier, rand([4]))).toThrow(ShapeError);
    expect(() => predictProbabilities({} as Linear, x)).toThrow(ArgumentError);
  });
});
