import type { Tensor } from '@plexus/tensor';
import { ArgumentError, ShapeError, fmtShape, ones, zeros } from '@plexus/tensor';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import type { FactoryOptions } from './options.js';
import { checkBool, floatDType } from './options.js';

export interface LayerNormOptions extends FactoryOptions {
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
  /** Learned elementwise scale (init 1) and shift (init 0) of normalizedShape (default true). */
  elementwiseAffine?: boolean;
  /** With elementwiseAffine, learn the shift too (default true). */
  bias?: boolean;
}

/**
 * Normalises over the trailing dims given by `normalizedShape` with their mean and biased
 * variance, per sample (torch.nn.LayerNorm); the same in training and evaluation.
 */
export class LayerNorm extends Module {
  readonly normalizedShape: readonly number[];
  readonly eps: number;
  weight: Parameter | null;
  bias: Parameter | null;

  constructor(normalizedShape: number | readonly number[], options: LayerNormOptions = {}) {
    super();
    const shape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    if (shape.length === 0 || shape.some((d) => !Number.isInteger(d) || d < 1)) {
      throw new ArgumentError(`LayerNorm: normalizedShape must be a positive integer or a non-empty list of them, got ${String(normalizedShape)}`);
    }
    const { eps = 1e-5, elementwiseAffine = true, bias = true } = options;
    if (typeof eps !== 'number' || !(eps >= 0)) throw new ArgumentError(`LayerNorm: eps must be a number >= 0, got ${String(eps)}`);
    checkBool('LayerNorm', 'elementwiseAffine', elementwiseAffine);
    checkBool('LayerNorm', 'bias', bias);
    const dtype = floatDType('LayerNorm', options.dtype);
    this.normalizedShape = Object.freeze(shape);
    this.eps = eps;
    this.weight = elementwiseAffine ? new Parameter(ones(shape, { dtype })) : null;
    this.bias = elementwiseAffine && bias ? new Parameter(zeros(shape, { dtype })) : null;
  }

  forward(x: Tensor): Tensor {
    const k = this.normalizedShape.length;
    const tail = x.shape.slice(x.rank - k);
    if (x.rank < k || tail.some((d, i) => d !== this.normalizedShape[i])) {
      throw new ShapeError(`LayerNorm: expected input [..., ${this.normalizedShape.join(', ')}], got ${fmtShape(x.shape)}`);
    }
    const axes = this.normalizedShape.map((_, i) => x.rank - k + i);
    const mean = x.mean(axes, true);
    const centred = x.sub(mean);
    let y = centred.mul(centred.square().mean(axes, true).add(this.eps).rsqrt());
    if (this.weight) y = y.mul(this.weight);
    if (this.bias) y = y.add(this.bias);
    return y;
  }

  override extraRepr(): string {
    return `[${this.normalizedShape.join(', ')}], eps=${this.eps}, elementwiseAffine=${this.weight !== null}`;
  }
}
