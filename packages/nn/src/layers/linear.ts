import type { Tensor } from '@plexus/tensor';
import { ShapeError, fmtShape, zeros } from '@plexus/tensor';
import { fanInAndFanOut, kaimingUniform_, uniform_ } from '../init.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import type { FactoryOptions } from './options.js';
import { checkBool, checkPositiveInt, floatDType } from './options.js';

export interface LinearOptions extends FactoryOptions {
  /** Add a learned bias (default true). */
  bias?: boolean;
}

/**
 * y = x·Wᵀ + b over the last dim (torch.nn.Linear). weight is [outFeatures, inFeatures].
 * PyTorch's initialisation: weight and bias from U(−1/√inFeatures, 1/√inFeatures).
 */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  weight: Parameter;
  bias: Parameter | null;

  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    super();
    checkPositiveInt('Linear', 'inFeatures', inFeatures);
    checkPositiveInt('Linear', 'outFeatures', outFeatures);
    const bias = options.bias ?? true;
    checkBool('Linear', 'bias', bias);
    const dtype = floatDType('Linear', options.dtype);
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.weight = new Parameter(zeros([outFeatures, inFeatures], { dtype }));
    this.bias = bias ? new Parameter(zeros([outFeatures], { dtype })) : null;
    this.resetParameters();
  }

  resetParameters(): void {
    // kaiming_uniform with a = √5 gives bound √(6 / ((1 + 5)·fanIn)) = 1/√fanIn.
    kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const bound = 1 / Math.sqrt(fanInAndFanOut(this.weight)[0]);
      uniform_(this.bias, -bound, bound);
    }
  }

  forward(x: Tensor): Tensor {
    if (x.rank < 1 || x.shape[x.rank - 1] !== this.inFeatures) {
      throw new ShapeError(`Linear: expected input with last dim ${this.inFeatures}, got ${fmtShape(x.shape)}`);
    }
    const y = x.matmul(this.weight.t());
    return this.bias ? y.add(this.bias) : y;
  }

  override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}
