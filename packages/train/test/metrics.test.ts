import '@plexus/backend-js';
import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError, tensor } from '@plexus/tensor';
import type { Tensor } from '@plexus/tensor';
import {
  Accuracy, ConfusionMatrix, F1Score, MeanAbsoluteError, MeanMetric, MeanSquaredError, Precision, R2Score, Recall, TopKAccuracy,
  accuracy, confusionMatrix, f1Score, meanAbsoluteError, meanSquaredError, perClassScores, precision, r2Score, recall, topKAccuracy,
} from '../src/index.js';
import type { Metric } from '../src/index.js';

// Hand-worked example, 3 classes:
//   truth = [0, 0, 0, 1, 1, 2, 2, 2]
//   preds = [0, 0, 1, 1, 2, 2, 2, 2]
// confusion (row = true): [[2, 1, 0], [0, 1, 1], [0, 0, 3]]
// precision per class 2/2, 1/2, 3/4; recall 2/3, 1/2, 3/3; F1 = 2tp/(2tp+fp+fn) = 4/5, 2/4, 6/7.
const truth = [0, 0, 0, 1, 1, 2, 2, 2];
const preds = [0, 0, 1, 1, 2, 2, 2, 2];
const scores = preds.map((p) => [0, 1, 2].map((c) => (c === p ? 0.7 : c === (p + 1) % 3 ? 0.2 : 0.1)));

describe('classification metrics (hand-computed)', () => {
  it('accuracy, confusion matrix, precision, recall and F1', () => {
    expect(accuracy(scores, truth)).toBe(6 / 8);
    expect(accuracy(preds, truth)).toBe(6 / 8); // integer predictions are labels
    expect(confusionMatrix(scores, truth)).toEqual([[2, 1, 0], [0, 1, 1], [0, 0, 3]]);
    expect(confusionMatrix(preds, truth, { numClasses: 4 })).toEqual([[2, 1, 0, 0], [0, 1, 1, 0], [0, 0, 3, 0], [0, 0, 0, 0]]);
    expect(precision(scores, truth)).toBeCloseTo((1 + 1 / 2 + 3 / 4) / 3, 12);
    expect(recall(scores, truth)).toBeCloseTo((2 / 3 + 1 / 2 + 1) / 3, 12);
    expect(f1Score(scores, truth)).toBeCloseTo((4 / 5 + 1 / 2 + 6 / 7) / 3, 12);
    for (const fn of [precision, recall, f1Score]) expect(fn(scores, truth, { average: 'micro' })).toBeCloseTo(0.75, 12);
    expect(precision(scores, truth, { average: 'weighted' })).toBeCloseTo((3 * 1 + 2 * 0.5 + 3 * 0.75) / 8, 12);
    expect(recall(scores, truth, { average: 'weighted' })).toBeCloseTo(0.75, 12);
    const s = perClassScores([[2, 1, 0], [0, 1, 1], [0, 0, 3]]);
    expect(s.support).toEqual([3, 2, 3]);
    expect(s.precision).toEqual([1, 0.5, 0.75]);
  });

  it('macro averages skip classes absent from targets and predictions; undefined scores are 0', () => {
    // Class 1 never occurs; class 2 is predicted but never true (precision 0, recall undefined → 0).
    const t = [0, 0, 3, 3];
    const p = [0, 2, 3, 3];
    expect(precision(p, t)).toBeCloseTo((1 + 0 + 1) / 3, 12);
    expect(recall(p, t)).toBeCloseTo((0.5 + 0 + 1) / 3, 12);
  });

  it('binary scores: thresholded probabilities, one-hot and float targets', () => {
    const prob = [0.9, 0.4, 0.6, 0.2, 0.7];
    const y = [1, 1, 0, 0, 1];
    expect(accuracy(prob, y)).toBeCloseTo(3 / 5, 12);
    expect(precision(prob, y, { average: 'binary' })).toBeCloseTo(2 / 3, 12);
    expect(recall(prob, y, { average: 'binary' })).toBeCloseTo(2 / 3, 12);
    expect(f1Score(prob, y, { average: 'binary', threshold: 0.65 })).toBeCloseTo(0.8, 12);
    expect(accuracy(prob.map((v) => [v]), y, { threshold: 0.65 })).toBeCloseTo(4 / 5, 12);
    expect(accuracy(tensor(prob), tensor(y.map(Number)))).toBeCloseTo(3 / 5, 12);
    expect(accuracy(scores, truth.map((c) => [0, 1, 2].map((k) => (k === c ? 1 : 0))))).toBe(0.75);
    expect(() => precision(scores, truth, { average: 'binary' })).toThrow(/needs two classes, found 3/);
  });

  it('top-k accuracy counts ties in the target’s favour', () => {
    const s = [
      [0.1, 0.5, 0.3, 0.1],
      [0.6, 0.1, 0.2, 0.1],
      [0.25, 0.25, 0.4, 0.1],
      [0.1, 0.2, 0.3, 0.4],
    ];
    const t = [2, 0, 1, 0];
    expect([1, 2, 3, 4].map((k) => topKAccuracy(s, t, k))).toEqual([0.25, 0.75, 0.75, 1]);
    expect(accuracy(s, t)).toBe(0.25);
    expect(() => topKAccuracy(s, t, 0)).toThrow(ArgumentError);
    expect(() => topKAccuracy(s, [9, 0, 1, 0], 2)).toThrow(/target class 9 at row 0 is out of range for 4 scores/);
  });

  it('rejects mismatched sizes and bad shapes', () => {
    expect(() => accuracy(scores, [0, 1])).toThrow(ShapeError);
    expect(() => accuracy(scores, [0, 1])).toThrow(/8 predictions \[8,3\] but 2 targets/);
    expect(() => accuracy([[[1]]], [0])).toThrow(/expected predictions \[N, C\]/);
    expect(() => confusionMatrix(preds, truth, { numClasses: 2 })).toThrow(/found class 2, but numClasses is 2/);
    expect(() => accuracy(preds, [-1, 0, 0, 0, 0, 0, 0, 0])).toThrow(/non-negative/);
    expect(() => accuracy([], [])).toThrow(/no samples/);
  });
});

describe('regression metrics (hand-computed)', () => {
  it('MSE, MAE and R²', () => {
    const y = [1, 2, 3, 4];
    const yHat = [1.5, 2, 2, 5];
    expect(meanSquaredError(yHat, y)).toBeCloseTo(0.5625, 12);
    expect(meanAbsoluteError(yHat, y)).toBeCloseTo(0.625, 12);
    expect(r2Score(yHat, y)).toBeCloseTo(1 - 2.25 / 5, 12);
    // Two outputs: R² per column (0.5 and 0.96), averaged.
    expect(r2Score([[1, 12], [2, 18], [4, 30]], [[1, 10], [2, 20], [3, 30]])).toBeCloseTo((0.5 + 0.96) / 2, 12);
    expect(r2Score([2, 2], [2, 2])).toBe(1);
    expect(r2Score([2, 3], [2, 2])).toBe(0);
    expect(() => meanSquaredError([1, 2], [1, 2, 3])).toThrow(/differ in size/);
  });
});

async function stream(metric: Metric, batches: [Tensor, Tensor][]): Promise<number> {
  metric.reset();
  for (const [o, t] of batches) await metric.update(o, t);
  return metric.compute();
}

/** Splits rows into batches of `size`. */
function batches(out: number[][] | number[], target: number[] | number[][], size: number, intTargets = true): [Tensor, Tensor][] {
  const res: [Tensor, Tensor][] = [];
  for (let i = 0; i < out.length; i += size) {
    const t = target.slice(i, i + size);
    res.push([tensor(out.slice(i, i + size) as number[][]), intTargets ? tensor(t as number[], { dtype: 'int32' }) : tensor(t as number[][])]);
  }
  return res;
}

describe('streaming metrics over batches equal the whole-set values', () => {
  it('classification', async () => {
    const b = batches(scores, truth, 3);
    expect(await stream(new Accuracy(), b)).toBe(0.75);
    expect(await stream(new Precision(), b)).toBeCloseTo((1 + 1 / 2 + 3 / 4) / 3, 12);
    expect(await stream(new Recall({ average: 'weighted' }), b)).toBeCloseTo(0.75, 12);
    const f1 = new F1Score();
    expect(await stream(f1, b)).toBeCloseTo((4 / 5 + 1 / 2 + 6 / 7) / 3, 12);
    expect(f1.name).toBe('f1');
    expect(new F1Score({ average: 'micro' }).name).toBe('f1Micro');
    expect(await stream(new TopKAccuracy(2), b)).toBe(topKAccuracy(scores, truth, 2));
    const cm = new ConfusionMatrix();
    for (const [o, t] of b) await cm.update(o, t);
    expect(cm.compute()).toEqual([[2, 1, 0], [0, 1, 1], [0, 0, 3]]);
    cm.reset();
    expect(cm.compute()).toEqual([]);
    expect(new Accuracy().compute()).toBeNaN();
  });

  it('regression, R² exact across batches', async () => {
    const y = [[1], [2], [3], [4], [7], [-1], [0.5]];
    const yHat = [[1.5], [2], [2], [5], [6], [0], [0.25]];
    const b = batches(yHat, y, 3, false);
    expect(await stream(new MeanSquaredError(), b)).toBeCloseTo(meanSquaredError(yHat, y), 6);
    expect(await stream(new MeanAbsoluteError(), b)).toBeCloseTo(meanAbsoluteError(yHat, y), 6);
    expect(await stream(new R2Score(), b)).toBeCloseTo(r2Score(yHat, y), 6);
  });

  it('a function metric is averaged over samples', async () => {
    const first = (o: Tensor) => o.sum().item() as number;
    const m = new MeanMetric('firstSum', first);
    // batch sums 3 (2 samples) and 10 (1 sample): (3·2 + 10·1) / 3
    expect(await stream(m, [[tensor([[1], [2]]), tensor([0, 0])], [tensor([[10]]), tensor([0])]])).toBeCloseTo(16 / 3, 12);
  });
});
