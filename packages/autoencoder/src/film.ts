import type { Tensor } from '@plexus/tensor';
import { ShapeError, fmtShape } from '@plexus/tensor';
import { Linear, Module } from '@plexus/nn';
import type { ModelOptions } from './options.js';
import { checkTensor, positiveInt } from './options.js';

/**
 * Feature-wise linear modulation (Perez et al., "FiLM", AAAI 2018): features h [N, F] scaled and
 * shifted per feature by amounts computed from a conditioning vector c [N, condDim],
 *   FiLM(h, c) = γ(c) ⊙ h + β(c),   γ = Linear(condDim → F), β = Linear(condDim → F).
 * The conditional decoder of C2AE uses it to make one decoder reconstruct differently per label.
 */
export class FiLM extends Module {
  readonly condDim: number;
  readonly features: number;
  gamma: Linear;
  beta: Linear;

  constructor(condDim: number, features: number, options: ModelOptions = {}) {
    super();
    this.condDim = positiveInt('FiLM', 'condDim', condDim);
    this.features = positiveInt('FiLM', 'features', features);
    this.gamma = new Linear(this.condDim, this.features, { dtype: options?.dtype });
    this.beta = new Linear(this.condDim, this.features, { dtype: options?.dtype });
  }

  forward(h: Tensor, cond: Tensor): Tensor {
    checkTensor('FiLM', 'features', h);
    checkTensor('FiLM', 'cond', cond);
    if (h.rank !== 2 || h.shape[1] !== this.features) throw new ShapeError(`FiLM: expected features [N, ${this.features}], got ${fmtShape(h.shape)}`);
    if (cond.rank !== 2 || cond.shape[1] !== this.condDim || cond.shape[0] !== h.shape[0]) {
      throw new ShapeError(`FiLM: expected cond [${h.shape[0]}, ${this.condDim}] for features ${fmtShape(h.shape)}, got ${fmtShape(cond.shape)}`);
    }
    return this.gamma.forward(cond).mul(h).add(this.beta.forward(cond));
  }

  override extraRepr(): string {
    return `condDim=${this.condDim}, features=${this.features}`;
  }
}
