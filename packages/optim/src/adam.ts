import type { Tensor } from '@plexus/tensor';
import type { AdamFamilyOptions, AdamState } from './adam-update.js';
import { adamUpdate } from './adam-update.js';
import type { ParamGroup, Params, StateSpec, Update } from './optimizer.js';
import { Optimizer, resolveDefaults } from './optimizer.js';
import { checkBetas, checkBoolean, checkNonNegative } from './validate.js';

export type AdamOptions = AdamFamilyOptions;
export type { AdamState };

export const ADAM_DEFAULTS: Readonly<AdamOptions> = {
  lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false,
};

/** Checks shared by Adam and AdamW. */
export function validateAdamFamily(name: string, o: AdamFamilyOptions): void {
  checkNonNegative(name, 'lr', o.lr);
  checkBetas(name, o.betas);
  checkNonNegative(name, 'eps', o.eps);
  checkNonNegative(name, 'weightDecay', o.weightDecay);
  checkBoolean(name, 'amsgrad', o.amsgrad);
  checkBoolean(name, 'maximize', o.maximize);
}

export function adamStateSpec(amsgrad: boolean): StateSpec {
  const spec: StateSpec = { step: 'number', expAvg: 'tensor', expAvgSq: 'tensor' };
  if (amsgrad) spec.maxExpAvgSq = 'tensor';
  return spec;
}

/**
 * Adam (Kingma & Ba, 2015), as torch.optim.Adam: weight decay is an L2 term in the gradient;
 *   m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²;
 *   p ← p − lr/(1 − β1ᵗ) · m / (√v/√(1 − β2ᵗ) + eps).
 */
export class Adam extends Optimizer<AdamOptions, AdamState> {
  constructor(params: Params<AdamOptions>, options?: Partial<AdamOptions>) {
    super(params, resolveDefaults('Adam', ADAM_DEFAULTS, options), 'Adam');
  }

  protected override validateOptions(o: AdamOptions): void {
    validateAdamFamily(this.name, o);
  }

  protected override stateSpec(group: ParamGroup<AdamOptions>): StateSpec {
    return adamStateSpec(group.amsgrad);
  }

  protected update(p: Tensor, grad: Tensor, state: AdamState | undefined, group: ParamGroup<AdamOptions>): Update<AdamState> {
    return adamUpdate(p, grad, state, group, false);
  }
}
