import type { Tensor } from '@plexus/tensor';
import { ArgumentError, ShapeError, fmtShape, full, noGrad, ones, zeros } from '@plexus/tensor';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import type { FactoryOptions } from './options.js';
import { checkBool, checkPositiveInt, floatDType } from './options.js';

export interface BatchNormOptions extends FactoryOptions {
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
  /**
   * Weight of the new batch in the running statistics (default 0.1):
   * running = (1 − momentum)·running + momentum·batch. null: a cumulative average instead.
   */
  momentum?: number | null;
  /** Learned per-channel scale (weight, init 1) and shift (bias, init 0) (default true). */
  affine?: boolean;
  /** Keep running mean/variance for evaluation (default true); without them eval uses batch statistics. */
  trackRunningStats?: boolean;
}

/**
 * Batch normalisation over every dim but the channel dim 1 (Ioffe & Szegedy). Training mode
 * normalises with the batch mean and biased variance and updates the running mean and the
 * running UNBIASED variance (as PyTorch does); evaluation mode uses the running statistics.
 * Buffers: runningMean, runningVar, numBatchesTracked.
 */
abstract class BatchNormBase extends Module {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  weight: Parameter | null;
  bias: Parameter | null;

  protected constructor(private readonly layer: string, numFeatures: number, options: BatchNormOptions) {
    super();
    checkPositiveInt(layer, 'numFeatures', numFeatures);
    const { eps = 1e-5, momentum = 0.1, affine = true, trackRunningStats = true } = options;
    if (typeof eps !== 'number' || !(eps >= 0)) throw new ArgumentError(`${layer}: eps must be a number >= 0, got ${String(eps)}`);
    if (momentum !== null && (typeof momentum !== 'number' || !(momentum >= 0 && momentum <= 1))) {
      throw new ArgumentError(`${layer}: momentum must be in [0, 1] or null, got ${String(momentum)}`);
    }
    checkBool(layer, 'affine', affine);
    checkBool(layer, 'trackRunningStats', trackRunningStats);
    const dtype = floatDType(layer, options.dtype);
    this.numFeatures = numFeatures;
    this.eps = eps;
    this.momentum = momentum;
    this.affine = affine;
    this.trackRunningStats = trackRunningStats;
    this.weight = affine ? new Parameter(ones([numFeatures], { dtype })) : null;
    this.bias = affine ? new Parameter(zeros([numFeatures], { dtype })) : null;
    if (trackRunningStats) {
      this.registerBuffer('runningMean', zeros([numFeatures], { dtype }));
      this.registerBuffer('runningVar', ones([numFeatures], { dtype }));
      this.registerBuffer('numBatchesTracked', zeros([], { dtype: 'int32' }));
    }
  }

  /** The running mean (null without trackRunningStats). */
  get runningMean(): Tensor | null {
    return this.trackRunningStats ? this.getBuffer('runningMean') : null;
  }

  /** The running unbiased variance (null without trackRunningStats). */
  get runningVar(): Tensor | null {
    return this.trackRunningStats ? this.getBuffer('runningVar') : null;
  }

  get numBatchesTracked(): number {
    return this.trackRunningStats ? (this.getBuffer('numBatchesTracked').item() as number) : 0;
  }

  /** Running mean 0, running variance 1, no batches seen. */
  resetRunningStats(): void {
    if (!this.trackRunningStats) return;
    noGrad(() => {
      for (const [name, value] of [['runningMean', 0], ['runningVar', 1], ['numBatchesTracked', 0]] as const) {
        const b = this.getBuffer(name);
        b.assign(full(b.shape, value, { dtype: b.dtype, backend: b.backend }));
      }
    });
  }

  /** The ranks this layer accepts and how their dims read, for the error message. */
  protected abstract readonly layouts: Record<number, string>;

  forward(x: Tensor): Tensor {
    const C = this.numFeatures;
    if (!(x.rank in this.layouts) || x.shape[1] !== C) {
      const expected = Object.values(this.layouts).map((l) => `[N, ${C}${l}]`).join(' or ');
      throw new ShapeError(`${this.layer}: expected input ${expected} (${C} channels), got ${fmtShape(x.shape)}`);
    }
    const axes = x.shape.map((_, i) => i).filter((i) => i !== 1);
    const statShape = x.shape.map((d, i) => (i === 1 ? d : 1));
    const n = x.size / C;
    let mean: Tensor;
    let variance: Tensor;
    if (this.training || !this.trackRunningStats) {
      if (this.training && n <= 1) {
        throw new ArgumentError(`${this.layer}: expected more than 1 value per channel when training, got input ${fmtShape(x.shape)}`);
      }
      mean = x.mean(axes, true);
      variance = x.sub(mean).square().mean(axes, true); // biased, for normalising
      if (this.training && this.trackRunningStats) this.updateRunningStats(mean, variance, n);
    } else {
      mean = this.getBuffer('runningMean').reshape(statShape);
      variance = this.getBuffer('runningVar').reshape(statShape);
    }
    let y = x.sub(mean).mul(variance.add(this.eps).rsqrt());
    if (this.weight && this.bias) y = y.mul(this.weight.reshape(statShape)).add(this.bias.reshape(statShape));
    return y;
  }

  private updateRunningStats(mean: Tensor, biasedVar: Tensor, n: number): void {
    noGrad(() => {
      const count = this.getBuffer('numBatchesTracked');
      count.assign(count.add(1));
      const f = this.momentum ?? 1 / (count.item() as number);
      const runningMean = this.getBuffer('runningMean');
      const runningVar = this.getBuffer('runningVar');
      const batchMean = mean.reshape([this.numFeatures]).cast(runningMean.dtype);
      const unbiased = biasedVar.reshape([this.numFeatures]).mul(n / (n - 1)).cast(runningVar.dtype);
      runningMean.assign(runningMean.mul(1 - f).add(batchMean.mul(f)));
      runningVar.assign(runningVar.mul(1 - f).add(unbiased.mul(f)));
    });
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}, affine=${this.affine}, trackRunningStats=${this.trackRunningStats}`;
  }
}

/** Batch normalisation of [N, C] or [N, C, L] inputs (torch.nn.BatchNorm1d). */
export class BatchNorm1d extends BatchNormBase {
  protected readonly layouts = { 2: '', 3: ', L' };

  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super('BatchNorm1d', numFeatures, options);
  }
}

/** Batch normalisation of [N, C, H, W] inputs (torch.nn.BatchNorm2d). */
export class BatchNorm2d extends BatchNormBase {
  protected readonly layouts = { 4: ', H, W' };

  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super('BatchNorm2d', numFeatures, options);
  }
}
