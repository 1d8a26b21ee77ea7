import type { Tensor } from '@plexus/tensor';
import { ArgumentError } from '@plexus/tensor';
import type { BaseOptions, ParamGroup, Params, StateSpec, Update } from './optimizer.js';
import { Optimizer, resolveDefaults } from './optimizer.js';
import { addScaled } from './pointwise.js';
import { checkBoolean, checkNonNegative, checkNumber } from './validate.js';

export interface SGDOptions extends BaseOptions {
  /** Learning rate (default 1e-3, as in PyTorch 2). */
  lr: number;
  /** Momentum factor (default 0: plain SGD). */
  momentum: number;
  /** Dampening of the momentum's new gradient term (default 0). */
  dampening: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Nesterov momentum (needs momentum > 0 and dampening 0). */
  nesterov: boolean;
  /** Maximize the objective instead of minimizing it. */
  maximize: boolean;
}

export type SGDState = { momentumBuffer?: Tensor };

export const SGD_DEFAULTS: Readonly<SGDOptions> = {
  lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false,
};

/**
 * Stochastic gradient descent with optional momentum, as torch.optim.SGD:
 *   g ← ±∇ + wd·p;  b ← g (first step) else μ·b + (1 − dampening)·g;
 *   g ← g + μ·b (nesterov) or b;  p ← p − lr·g.
 */
export class SGD extends Optimizer<SGDOptions, SGDState> {
  constructor(params: Params<SGDOptions>, options?: Partial<SGDOptions>) {
    super(params, resolveDefaults('SGD', SGD_DEFAULTS, options), 'SGD');
  }

  protected override validateOptions(o: SGDOptions): void {
    super.validateOptions(o);
    checkNonNegative(this.name, 'momentum', o.momentum);
    checkNumber(this.name, 'dampening', o.dampening);
    checkNonNegative(this.name, 'weightDecay', o.weightDecay);
    checkBoolean(this.name, 'nesterov', o.nesterov);
    checkBoolean(this.name, 'maximize', o.maximize);
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
      throw new ArgumentError(`${this.name}: nesterov requires momentum > 0 and dampening = 0, got momentum ${o.momentum} and dampening ${o.dampening}`);
    }
  }

  protected override stateSpec(group: ParamGroup<SGDOptions>): StateSpec {
    return group.momentum !== 0 ? { momentumBuffer: 'tensor' } : {};
  }

  protected update(p: Tensor, grad: Tensor, state: SGDState | undefined, group: ParamGroup<SGDOptions>): Update<SGDState> {
    const { lr, momentum, dampening, weightDecay, nesterov, maximize } = group;
    let g = maximize ? grad.neg() : grad;
    if (weightDecay !== 0) g = addScaled(g, p, weightDecay);
    if (momentum === 0) return { param: addScaled(p, g, -lr), state: {} };
    const prev = state?.momentumBuffer;
    // The buffer starts as the gradient itself: no dampening on the first step.
    const buf = prev === undefined ? g.detach() : addScaled(prev.mul(momentum), g, 1 - dampening);
    g = nesterov ? addScaled(g, buf, momentum) : buf;
    return { param: addScaled(p, g, -lr), state: { momentumBuffer: buf } };
  }
}
