import type { Tensor } from '@plexus/tensor';
import { fullLike } from '@plexus/tensor';
import type { BaseOptions, ParamGroup, Params, StateSpec, Update } from './optimizer.js';
import { Optimizer, resolveDefaults } from './optimizer.js';
import { addcdiv, addcmul, addScaled } from './pointwise.js';
import { checkBoolean, checkNonNegative } from './validate.js';

export interface AdagradOptions extends BaseOptions {
  lr: number;
  /** The learning rate decays as lr / (1 + (t − 1)·lrDecay). */
  lrDecay: number;
  weightDecay: number;
  /** Starting value of the sum of squared gradients. */
  initialAccumulatorValue: number;
  /** Added to the denominator after the square root. */
  eps: number;
  maximize: boolean;
}

export type AdagradState = { step: number; sum: Tensor };

export const ADAGRAD_DEFAULTS: Readonly<AdagradOptions> = {
  lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false,
};

/**
 * Adagrad (Duchi et al., 2011), as torch.optim.Adagrad:
 *   clr = lr / (1 + (t − 1)·lrDecay);  s ← s + g²;  p ← p − clr·g/(√s + eps).
 */
export class Adagrad extends Optimizer<AdagradOptions, AdagradState> {
  constructor(params: Params<AdagradOptions>, options?: Partial<AdagradOptions>) {
    super(params, resolveDefaults('Adagrad', ADAGRAD_DEFAULTS, options), 'Adagrad');
  }

  protected override validateOptions(o: AdagradOptions): void {
    super.validateOptions(o);
    checkNonNegative(this.name, 'lrDecay', o.lrDecay);
    checkNonNegative(this.name, 'weightDecay', o.weightDecay);
    checkNonNegative(this.name, 'initialAccumulatorValue', o.initialAccumulatorValue);
    checkNonNegative(this.name, 'eps', o.eps);
    checkBoolean(this.name, 'maximize', o.maximize);
  }

  protected override stateSpec(): StateSpec {
    return { step: 'number', sum: 'tensor' };
  }

  protected update(p: Tensor, grad: Tensor, state: AdagradState | undefined, group: ParamGroup<AdagradOptions>): Update<AdagradState> {
    const { lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize } = group;
    let g = maximize ? grad.neg() : grad;
    if (weightDecay !== 0) g = addScaled(g, p, weightDecay);
    const step = (state?.step ?? 0) + 1;
    const clr = lr / (1 + (step - 1) * lrDecay);
    const sum = addcmul(state?.sum ?? fullLike(p, initialAccumulatorValue), g, g, 1);
    const std = sum.sqrt().add(eps);
    return { param: addcdiv(p, g, std, -clr), state: { step, sum } };
  }
}
