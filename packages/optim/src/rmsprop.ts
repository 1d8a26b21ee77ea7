import type { Tensor } from '@plexus/tensor';
import { zerosLike } from '@plexus/tensor';
import type { BaseOptions, ParamGroup, Params, StateSpec, Update } from './optimizer.js';
import { Optimizer, resolveDefaults } from './optimizer.js';
import { addcdiv, addcmul, addScaled, lerp } from './pointwise.js';
import { checkBoolean, checkNonNegative } from './validate.js';

export interface RMSpropOptions extends BaseOptions {
  lr: number;
  /** Smoothing constant of the squared-gradient average. */
  alpha: number;
  /** Added to the denominator after the square root. */
  eps: number;
  weightDecay: number;
  momentum: number;
  /** Normalize by the estimated variance (E[g²] − E[g]²) instead of E[g²]. */
  centered: boolean;
  maximize: boolean;
}

export type RMSpropState = { step: number; squareAvg: Tensor; gradAvg?: Tensor; momentumBuffer?: Tensor };

export const RMSPROP_DEFAULTS: Readonly<RMSpropOptions> = {
  lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false,
};

/**
 * RMSprop (Hinton), as torch.optim.RMSprop:
 *   v ← α·v + (1 − α)·g²;  centered: a ← α·a + (1 − α)·g, d ← √(v − a²) + eps, else d ← √v + eps;
 *   momentum: b ← μ·b + g/d, p ← p − lr·b;  else p ← p − lr·g/d.
 */
export class RMSprop extends Optimizer<RMSpropOptions, RMSpropState> {
  constructor(params: Params<RMSpropOptions>, options?: Partial<RMSpropOptions>) {
    super(params, resolveDefaults('RMSprop', RMSPROP_DEFAULTS, options), 'RMSprop');
  }

  protected override validateOptions(o: RMSpropOptions): void {
    super.validateOptions(o);
    checkNonNegative(this.name, 'alpha', o.alpha);
    checkNonNegative(this.name, 'eps', o.eps);
    checkNonNegative(this.name, 'weightDecay', o.weightDecay);
    checkNonNegative(this.name, 'momentum', o.momentum);
    checkBoolean(this.name, 'centered', o.centered);
    checkBoolean(this.name, 'maximize', o.maximize);
  }

  protected override stateSpec(group: ParamGroup<RMSpropOptions>): StateSpec {
    const spec: StateSpec = { step: 'number', squareAvg: 'tensor' };
    if (group.momentum > 0) spec.momentumBuffer = 'tensor';
    if (group.centered) spec.gradAvg = 'tensor';
    return spec;
  }

  protected update(p: Tensor, grad: Tensor, state: RMSpropState | undefined, group: ParamGroup<RMSpropOptions>): Update<RMSpropState> {
    const { lr, alpha, eps, weightDecay, momentum, centered, maximize } = group;
    let g = maximize ? grad.neg() : grad;
    if (weightDecay !== 0) g = addScaled(g, p, weightDecay);
    const next: RMSpropState = {
      step: (state?.step ?? 0) + 1,
      squareAvg: addcmul((state?.squareAvg ?? zerosLike(p)).mul(alpha), g, g, 1 - alpha),
    };
    let avg: Tensor;
    if (centered) {
      next.gradAvg = lerp(state?.gradAvg ?? zerosLike(p), g, 1 - alpha);
      avg = addcmul(next.squareAvg, next.gradAvg, next.gradAvg, -1).sqrt();
    } else {
      avg = next.squareAvg.sqrt();
    }
    avg = avg.add(eps);
    if (momentum > 0) {
      next.momentumBuffer = addcdiv((state?.momentumBuffer ?? zerosLike(p)).mul(momentum), g, avg, 1);
      return { param: addScaled(p, next.momentumBuffer, -lr), state: next };
    }
    return { param: addcdiv(p, g, avg, -lr), state: next };
  }
}
