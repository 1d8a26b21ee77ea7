import type { Tensor } from '@plexus/tensor';
import type { AdamFamilyOptions, AdamState } from './adam-update.js';
import { adamUpdate } from './adam-update.js';
import { adamStateSpec, validateAdamFamily } from './adam.js';
import type { ParamGroup, Params, StateSpec, Update } from './optimizer.js';
import { Optimizer, resolveDefaults } from './optimizer.js';

export type AdamWOptions = AdamFamilyOptions;

export const ADAMW_DEFAULTS: Readonly<AdamWOptions> = {
  lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 1e-2, amsgrad: false, maximize: false,
};

/**
 * AdamW (Loshchilov & Hutter, 2019), as torch.optim.AdamW: decoupled weight decay, the
 * parameter first shrinks by (1 − lr·wd), then takes Adam's step on the plain gradient.
 */
export class AdamW extends Optimizer<AdamWOptions, AdamState> {
  constructor(params: Params<AdamWOptions>, options?: Partial<AdamWOptions>) {
    super(params, resolveDefaults('AdamW', ADAMW_DEFAULTS, options), 'AdamW');
  }

  protected override validateOptions(o: AdamWOptions): void {
    validateAdamFamily(this.name, o);
  }

  protected override stateSpec(group: ParamGroup<AdamWOptions>): StateSpec {
    return adamStateSpec(group.amsgrad);
  }

  protected update(p: Tensor, grad: Tensor, state: AdamState | undefined, group: ParamGroup<AdamWOptions>): Update<AdamState> {
    return adamUpdate(p, grad, state, group, true);
  }
}
