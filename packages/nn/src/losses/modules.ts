import type { Tensor } from '@plexus/tensor';
import { Module } from '../module.js';
import type { BCEOptions, BCEWithLogitsOptions } from './bce.js';
import { bceWithLogits, binaryCrossEntropy } from './bce.js';
import type { CrossEntropyOptions } from './cross-entropy.js';
import { crossEntropy } from './cross-entropy.js';
import type { HuberOptions, SmoothL1Options } from './huber.js';
import { huberLoss, smoothL1Loss } from './huber.js';
import type { KLDivOptions } from './kl-div.js';
import { klDiv } from './kl-div.js';
import { l1Loss } from './l1.js';
import { mseLoss } from './mse.js';
import type { NLLOptions } from './nll.js';
import { nllLoss } from './nll.js';
import type { ReductionOptions } from './reduction.js';

type LossFn<O> = (input: Tensor, target: Tensor, options: O) => Tensor;

/**
 * Module forms of the loss functions (torch.nn.MSELoss, …): the options are fixed at
 * construction and `forward(input, target)` applies the function. Tensor options (weight,
 * posWeight) are registered as buffers, so `to()` converts them with the model.
 */
abstract class Loss<O extends object> extends Module {
  readonly options: O;
  /** The options held as buffers. */
  private readonly tensorKeys: readonly string[];

  protected constructor(private readonly fn: LossFn<O>, options: O, tensorKeys: readonly string[] = []) {
    super();
    this.options = { ...options };
    for (const key of tensorKeys) {
      const t = Reflect.get(options, key) as Tensor | null | undefined;
      if (t) this.registerBuffer(key, t);
    }
    this.tensorKeys = tensorKeys.filter((k) => Reflect.get(options, k));
  }

  forward(input: Tensor, target: Tensor): Tensor {
    const options = { ...this.options };
    for (const key of this.tensorKeys) Reflect.set(options, key, this.getBuffer(key));
    return this.fn(input, target, options);
  }
}

export class MSELoss extends Loss<ReductionOptions> {
  constructor(options: ReductionOptions = {}) {
    super(mseLoss, options);
  }
}

export class L1Loss extends Loss<ReductionOptions> {
  constructor(options: ReductionOptions = {}) {
    super(l1Loss, options);
  }
}

export class HuberLoss extends Loss<HuberOptions> {
  constructor(options: HuberOptions = {}) {
    super(huberLoss, options);
  }
}

export class SmoothL1Loss extends Loss<SmoothL1Options> {
  constructor(options: SmoothL1Options = {}) {
    super(smoothL1Loss, options);
  }
}

export class CrossEntropyLoss extends Loss<CrossEntropyOptions> {
  constructor(options: CrossEntropyOptions = {}) {
    super(crossEntropy, options, ['weight']);
  }
}

export class NLLLoss extends Loss<NLLOptions> {
  constructor(options: NLLOptions = {}) {
    super(nllLoss, options, ['weight']);
  }
}

export class BCELoss extends Loss<BCEOptions> {
  constructor(options: BCEOptions = {}) {
    super(binaryCrossEntropy, options, ['weight']);
  }
}

export class BCEWithLogitsLoss extends Loss<BCEWithLogitsOptions> {
  constructor(options: BCEWithLogitsOptions = {}) {
    super(bceWithLogits, options, ['weight', 'posWeight']);
  }
}

export class KLDivLoss extends Loss<KLDivOptions> {
  constructor(options: KLDivOptions = {}) {
    super(klDiv, options);
  }
}
