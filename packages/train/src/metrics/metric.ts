import type { Tensor } from '@plexus/tensor';
import { ArgumentError, isTensor } from '@plexus/tensor';
import type { Average, ScoreKind } from './classification.js';
import { addToConfusion, averagedScore, countCorrect, countTopK, emptyMatrix } from './classification.js';
import type { ClassOptions } from './host.js';
import { classPairs, hostAsync } from './host.js';
import type { R2Stats } from './regression.js';
import { errorSums, mergeR2, r2FromStats, r2Stats, regressionColumns } from './regression.js';

/**
 * A streaming metric, as Keras's and torchmetrics': `update` with each batch, `compute` the value
 * over everything seen since `reset`. `fit` resets, updates and computes one per epoch and phase.
 */
export interface Metric {
  /** The key in the logs ('accuracy'; validation adds 'val': 'valAccuracy'). */
  readonly name: string;
  reset(): void;
  update(output: Tensor, target: Tensor): void | Promise<void>;
  /** NaN before any update. */
  compute(): number;
}

/** Fraction of correct class predictions. */
export class Accuracy implements Metric {
  readonly name: string;
  private correct = 0;
  private total = 0;

  constructor(private readonly options: ClassOptions & { name?: string } = {}) {
    this.name = options.name ?? 'accuracy';
  }

  reset(): void {
    this.correct = this.total = 0;
  }

  async update(output: Tensor, target: Tensor): Promise<void> {
    const { pred, truth } = classPairs('Accuracy', await hostAsync('Accuracy', output), await hostAsync('Accuracy', target), this.options);
    this.correct += countCorrect(pred, truth);
    this.total += pred.length;
  }

  compute(): number {
    return this.total ? this.correct / this.total : NaN;
  }
}

/** Fraction of samples whose class is among the k highest scores. */
export class TopKAccuracy implements Metric {
  readonly name: string;
  private correct = 0;
  private total = 0;

  constructor(readonly k = 5, options: { name?: string } = {}) {
    if (!Number.isInteger(k) || k < 1) throw new ArgumentError(`TopKAccuracy: k must be a positive integer, got ${k}`);
    this.name = options.name ?? `top${k}Accuracy`;
  }

  reset(): void {
    this.correct = this.total = 0;
  }

  async update(output: Tensor, target: Tensor): Promise<void> {
    const r = countTopK('TopKAccuracy', await hostAsync('TopKAccuracy', output), await hostAsync('TopKAccuracy', target), this.k);
    this.correct += r.correct;
    this.total += r.total;
  }

  compute(): number {
    return this.total ? this.correct / this.total : NaN;
  }
}

/** The running confusion matrix (row = true class, column = predicted). `compute` returns the matrix. */
export class ConfusionMatrix {
  readonly name = 'confusionMatrix';
  private matrix: number[][];

  constructor(private readonly options: ClassOptions & { numClasses?: number } = {}) {
    const n = options.numClasses;
    if (n !== undefined && (!Number.isInteger(n) || n < 1)) throw new ArgumentError(`ConfusionMatrix: numClasses must be a positive integer, got ${n}`);
    this.matrix = emptyMatrix(n ?? 0);
  }

  reset(): void {
    this.matrix = emptyMatrix(this.options.numClasses ?? 0);
  }

  async update(output: Tensor, target: Tensor): Promise<void> {
    const { pred, truth } = classPairs('ConfusionMatrix', await hostAsync('ConfusionMatrix', output), await hostAsync('ConfusionMatrix', target), this.options);
    this.matrix = addToConfusion(this.matrix, pred, truth, this.options.numClasses);
  }

  compute(): number[][] {
    return this.matrix.map((row) => [...row]);
  }
}

export interface ScoreOptions extends ClassOptions {
  /** See `precision`'s options (default 'macro'). */
  average?: Average;
  /** Log key (default 'precision' / 'recall' / 'f1', with the average appended when not macro: 'f1Micro'). */
  name?: string;
}

abstract class ConfusionScore implements Metric {
  readonly name: string;
  private readonly confusion: ConfusionMatrix;
  private readonly average: Average;

  protected constructor(private readonly kind: ScoreKind, options: ScoreOptions) {
    this.average = options.average ?? 'macro';
    if (!['macro', 'micro', 'weighted', 'binary'].includes(this.average)) {
      throw new ArgumentError(`${kind}: average must be 'macro', 'micro', 'weighted' or 'binary', got '${String(this.average)}'`);
    }
    const suffix = this.average === 'macro' ? '' : this.average[0].toUpperCase() + this.average.slice(1);
    this.name = options.name ?? `${kind}${suffix}`;
    this.confusion = new ConfusionMatrix(options);
  }

  reset(): void {
    this.confusion.reset();
  }

  update(output: Tensor, target: Tensor): Promise<void> {
    return this.confusion.update(output, target);
  }

  compute(): number {
    const m = this.confusion.compute();
    return m.length === 0 ? NaN : averagedScore(m, this.kind, this.average);
  }
}

export class Precision extends ConfusionScore {
  constructor(options: ScoreOptions = {}) {
    super('precision', options);
  }
}

export class Recall extends ConfusionScore {
  constructor(options: ScoreOptions = {}) {
    super('recall', options);
  }
}

export class F1Score extends ConfusionScore {
  constructor(options: ScoreOptions = {}) {
    super('f1', options);
  }
}

abstract class ErrorMean implements Metric {
  private sum = 0;
  private count = 0;

  protected constructor(readonly name: string, private readonly which: 'squared' | 'absolute') {}

  reset(): void {
    this.sum = this.count = 0;
  }

  async update(output: Tensor, target: Tensor): Promise<void> {
    const out = await hostAsync(this.name, output);
    const t = await hostAsync(this.name, target);
    regressionColumns(this.name, out, t);
    const s = errorSums(out, t);
    this.sum += s[this.which];
    this.count += s.count;
  }

  compute(): number {
    return this.count ? this.sum / this.count : NaN;
  }
}

export class MeanSquaredError extends ErrorMean {
  constructor(options: { name?: string } = {}) {
    super(options.name ?? 'mse', 'squared');
  }
}

export class MeanAbsoluteError extends ErrorMean {
  constructor(options: { name?: string } = {}) {
    super(options.name ?? 'mae', 'absolute');
  }
}

/** R² over everything seen (exact across batches, not a mean of per-batch R²). */
export class R2Score implements Metric {
  readonly name: string;
  private stats: R2Stats | undefined;

  constructor(options: { name?: string } = {}) {
    this.name = options.name ?? 'r2';
  }

  reset(): void {
    this.stats = undefined;
  }

  async update(output: Tensor, target: Tensor): Promise<void> {
    const batch = r2Stats('R2Score', await hostAsync('R2Score', output), await hostAsync('R2Score', target));
    this.stats = mergeR2(this.stats, batch, 'R2Score');
  }

  compute(): number {
    return this.stats && this.stats.n > 0 ? r2FromStats(this.stats) : NaN;
  }
}

/** A per-batch function (a number or a one-element tensor), averaged over samples. */
export type MetricFn = (output: Tensor, target: Tensor) => number | Tensor;

/** Wraps a per-batch metric function; each batch counts with its number of samples. */
export class MeanMetric implements Metric {
  private sum = 0;
  private count = 0;

  constructor(readonly name: string, private readonly fn: MetricFn) {
    if (typeof fn !== 'function') throw new ArgumentError(`MeanMetric: expected a function, got ${typeof fn}`);
  }

  reset(): void {
    this.sum = this.count = 0;
  }

  async update(output: Tensor, target: Tensor): Promise<void> {
    const r = this.fn(output, target);
    const value = isTensor(r) ? Number((await r.data())[0]) : r;
    if (typeof value !== 'number') throw new ArgumentError(`metric '${this.name}': expected a number or a tensor, got ${typeof value}`);
    const n = output.rank > 0 ? output.shape[0] : 1;
    this.sum += value * n;
    this.count += n;
  }

  compute(): number {
    return this.count ? this.sum / this.count : NaN;
  }
}
