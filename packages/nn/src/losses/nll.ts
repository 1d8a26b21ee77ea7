import type { Tensor } from '@plexus/tensor';
import type { ClassIndexOptions } from './class-index.js';
import { checkClassTarget, classTerms } from './class-index.js';
import type { ReductionOptions } from './reduction.js';
import { checkFloatInput, checkReduction } from './reduction.js';

export interface NLLOptions extends ClassIndexOptions, ReductionOptions {}

/**
 * Negative log-likelihood of log-probabilities `input` [N, C, d1, …] (or [C]) at int32 class
 * indices `target` [N, d1, …] (or []): −weight[y]·input[y] per sample. The mean divides by the
 * sum of the weights of the non-ignored targets, as in PyTorch.
 */
export function nllLoss(input: Tensor, target: Tensor, options: NLLOptions = {}): Tensor {
  checkFloatInput('nllLoss', input);
  checkClassTarget('nllLoss', input, target);
  const reduction = checkReduction('nllLoss', options.reduction ?? 'mean', ['mean', 'sum', 'none']);
  const terms = classTerms('nllLoss', input, target, options);
  if (reduction === 'none') return terms.nll.reshape(terms.outShape);
  const total = terms.nll.sum();
  return reduction === 'sum' ? total : total.div(terms.sampleWeight.sum());
}
