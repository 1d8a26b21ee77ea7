import { ArgumentError, ShapeError } from '@plexus/tensor';
import type { ClassOptions, HostValues, MetricInput } from './host.js';
import { classPairs, hostSync, targetClasses } from './host.js';

/**
 * Classification metrics as plain functions of (predictions, targets) → number, computed on the
 * host in float64. Predictions are scores [N, C] (argmax), single scores [N] / [N, 1]
 * (thresholded) or integer labels; targets are labels [N] or one-hot [N, C].
 */

/** How per-class scores are combined: sklearn's `average`. */
export type Average = 'macro' | 'micro' | 'weighted' | 'binary';

export interface AverageOptions extends ClassOptions {
  /**
   * 'macro' (default): the unweighted mean over the classes that occur in the targets or the
   * predictions; 'weighted': weighted by each class's count in the targets; 'micro': from the
   * total counts (equal to accuracy for single-label data); 'binary': class 1's score.
   */
  average?: Average;
}

export interface ConfusionOptions extends ClassOptions {
  /** Size of the matrix (default: enough for every class seen, and for C of [N, C] scores). */
  numClasses?: number;
}

/** Number of correct predictions among `pred`/`truth`. */
export function countCorrect(pred: Int32Array, truth: Int32Array): number {
  let correct = 0;
  for (let i = 0; i < pred.length; i++) if (pred[i] === truth[i]) correct++;
  return correct;
}

/**
 * Rows whose true class is among the k highest scores: the target's score is beaten by fewer than
 * k others (ties count in the target's favour).
 */
export function countTopK(op: string, out: HostValues, target: HostValues, k: number): { correct: number; total: number } {
  if (!Number.isInteger(k) || k < 1) throw new ArgumentError(`${op}: k must be a positive integer, got ${k}`);
  if (out.shape.length !== 2) throw new ShapeError(`${op}: expected scores [N, C], got [${out.shape.join(',')}]`);
  const [n, c] = out.shape;
  const truth = targetClasses(op, target);
  if (truth.length !== n) throw new ShapeError(`${op}: ${n} rows of scores but ${truth.length} targets`);
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const label = truth[i];
    if (label >= c) throw new ArgumentError(`${op}: target class ${label} at row ${i} is out of range for ${c} scores`);
    const score = out.data[i * c + label];
    let above = 0;
    for (let j = 0; j < c; j++) if (out.data[i * c + j] > score) above++;
    if (above < k) correct++;
  }
  return { correct, total: n };
}

/** Fraction of predictions equal to the target class. */
export function accuracy(output: MetricInput, target: MetricInput, options: ClassOptions = {}): number {
  const { pred, truth } = classPairs('accuracy', hostSync('accuracy', output), hostSync('accuracy', target), options);
  if (pred.length === 0) throw new ArgumentError('accuracy: got no samples');
  return countCorrect(pred, truth) / pred.length;
}

/** Fraction of rows whose true class is among the k highest scores (ties count as correct). */
export function topKAccuracy(output: MetricInput, target: MetricInput, k = 5): number {
  const { correct, total } = countTopK('topKAccuracy', hostSync('topKAccuracy', output), hostSync('topKAccuracy', target), k);
  if (total === 0) throw new ArgumentError('topKAccuracy: got no samples');
  return correct / total;
}

/** Adds (truth, pred) pairs to a square count matrix (row = true class, column = predicted), growing it as needed. */
export function addToConfusion(matrix: number[][], pred: Int32Array, truth: Int32Array, fixedSize?: number): number[][] {
  let size = matrix.length;
  for (let i = 0; i < pred.length; i++) size = Math.max(size, pred[i] + 1, truth[i] + 1);
  if (fixedSize !== undefined && size > fixedSize) {
    throw new ArgumentError(`confusionMatrix: found class ${size - 1}, but numClasses is ${fixedSize}`);
  }
  const out = matrix.map((row) => [...row, ...new Array<number>(size - row.length).fill(0)]);
  while (out.length < size) out.push(new Array<number>(size).fill(0));
  for (let i = 0; i < pred.length; i++) out[truth[i]][pred[i]] += 1;
  return out;
}

export function emptyMatrix(size: number): number[][] {
  return Array.from({ length: size }, () => new Array<number>(size).fill(0));
}

/** The confusion matrix: entry [i][j] counts samples of true class i predicted as j (sklearn's layout). */
export function confusionMatrix(output: MetricInput, target: MetricInput, options: ConfusionOptions = {}): number[][] {
  const out = hostSync('confusionMatrix', output);
  const { pred, truth } = classPairs('confusionMatrix', out, hostSync('confusionMatrix', target), options);
  const { numClasses } = options;
  if (numClasses !== undefined && (!Number.isInteger(numClasses) || numClasses < 1)) {
    throw new ArgumentError(`confusionMatrix: numClasses must be a positive integer, got ${numClasses}`);
  }
  const scoreClasses = out.shape.length === 2 && out.shape[1] > 1 ? out.shape[1] : 0;
  return addToConfusion(emptyMatrix(numClasses ?? scoreClasses), pred, truth, numClasses);
}

export interface PerClassScores {
  precision: number[];
  recall: number[];
  f1: number[];
  /** Samples of each class in the targets. */
  support: number[];
  /** Whether the class occurs in the targets or the predictions. */
  present: boolean[];
}

/** Precision, recall and F1 of every class from a confusion matrix (0 where undefined, as sklearn). */
export function perClassScores(matrix: readonly (readonly number[])[]): PerClassScores {
  const n = matrix.length;
  const out: PerClassScores = { precision: [], recall: [], f1: [], support: [], present: [] };
  for (let c = 0; c < n; c++) {
    if (matrix[c].length !== n) throw new ShapeError(`perClassScores: expected a square matrix, row ${c} has ${matrix[c].length} entries for ${n} rows`);
    const tp = matrix[c][c];
    const actual = matrix[c].reduce((a, b) => a + b, 0);
    let predicted = 0;
    for (let r = 0; r < n; r++) predicted += matrix[r][c];
    out.precision.push(predicted > 0 ? tp / predicted : 0);
    out.recall.push(actual > 0 ? tp / actual : 0);
    out.f1.push(actual + predicted > 0 ? (2 * tp) / (actual + predicted) : 0);
    out.support.push(actual);
    out.present.push(actual > 0 || predicted > 0);
  }
  return out;
}

export type ScoreKind = 'precision' | 'recall' | 'f1';

/** One averaged score from a confusion matrix. */
export function averagedScore(matrix: readonly (readonly number[])[], kind: ScoreKind, average: Average = 'macro'): number {
  const s = perClassScores(matrix);
  const values = s[kind];
  switch (average) {
    case 'macro': {
      const idx = values.map((_, i) => i).filter((i) => s.present[i]);
      return idx.length ? idx.reduce((a, i) => a + values[i], 0) / idx.length : 0;
    }
    case 'weighted': {
      const total = s.support.reduce((a, b) => a + b, 0);
      return total ? values.reduce((a, v, i) => a + v * s.support[i], 0) / total : 0;
    }
    case 'micro': {
      // Single-label data: every error is one false positive and one false negative, so
      // micro precision = micro recall = micro F1 = accuracy.
      const total = matrix.reduce((a, row) => a + row.reduce((x, y) => x + y, 0), 0);
      const tp = matrix.reduce((a, row, i) => a + row[i], 0);
      return total ? tp / total : 0;
    }
    case 'binary': {
      if (matrix.length > 2) throw new ArgumentError(`${kind}: average 'binary' needs two classes, found ${matrix.length}; use 'macro', 'micro' or 'weighted'`);
      return values.length > 1 ? values[1] : 0;
    }
    default:
      throw new ArgumentError(`${kind}: average must be 'macro', 'micro', 'weighted' or 'binary', got '${String(average)}'`);
  }
}

function score(kind: ScoreKind, output: MetricInput, target: MetricInput, options: AverageOptions): number {
  const out = hostSync(kind, output);
  const { pred, truth } = classPairs(kind, out, hostSync(kind, target), options);
  if (pred.length === 0) throw new ArgumentError(`${kind}: got no samples`);
  return averagedScore(addToConfusion([], pred, truth), kind, options.average ?? 'macro');
}

/** Precision: of the samples predicted as a class, the fraction that belong to it (averaged over classes). */
export function precision(output: MetricInput, target: MetricInput, options: AverageOptions = {}): number {
  return score('precision', output, target, options);
}

/** Recall: of the samples of a class, the fraction predicted as it (averaged over classes). */
export function recall(output: MetricInput, target: MetricInput, options: AverageOptions = {}): number {
  return score('recall', output, target, options);
}

/** F1: the harmonic mean of precision and recall, 2·TP / (2·TP + FP + FN) per class (averaged over classes). */
export function f1Score(output: MetricInput, target: MetricInput, options: AverageOptions = {}): number {
  return score('f1', output, target, options);
}
