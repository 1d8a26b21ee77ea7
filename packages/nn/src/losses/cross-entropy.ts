import type { Tensor } from '@plexus/tensor';
import { ArgumentError, DTypeError, isFloating, isTensor } from '@plexus/tensor';
import type { ClassIndexOptions } from './class-index.js';
import { checkClassTarget, classDim, classTerms } from './class-index.js';
import type { ReductionOptions } from './reduction.js';
import { checkFloatInput, checkNumber, checkReduction, optionalWeight, sameShapeTarget } from './reduction.js';

export interface CrossEntropyOptions extends ClassIndexOptions, ReductionOptions {
  /**
   * Mixes the target with the uniform distribution: (1 − ε)·target + ε/C (default 0). For class
   * indices that is (1 − ε)·nll + ε·(mean over classes of −w·log p), as PyTorch computes it.
   */
  labelSmoothing?: number;
}

/**
 * Cross entropy between logits [N, C, d1, …] (or [C]) and either int32 class indices
 * [N, d1, …] (or []) or class probabilities of the logits' shape, with exactly PyTorch's
 * semantics for weight, ignoreIndex, labelSmoothing and reduction. Computed from logSoftmax, so
 * large logits do not overflow.
 */
export function crossEntropy(input: Tensor, target: Tensor, options: CrossEntropyOptions = {}): Tensor {
  const op = 'crossEntropy';
  checkFloatInput(op, input);
  const reduction = checkReduction(op, options.reduction ?? 'mean', ['mean', 'sum', 'none']);
  const eps = options.labelSmoothing ?? 0;
  checkNumber(op, 'labelSmoothing', eps, 0, 1);
  if (!isTensor(target)) throw new ArgumentError(`${op}: expected target to be a Tensor, got ${target === null ? 'null' : typeof target}`);
  if (isFloating(target.dtype)) return probabilityTarget(input, target, options, eps, reduction);
  if (target.dtype !== 'int32') {
    throw new DTypeError(`${op}: target must be int32 class indices or float class probabilities, got ${target.dtype}`);
  }
  checkClassTarget(op, input, target);
  const dim = classDim(input);
  const terms = classTerms(op, input.logSoftmax(dim), target, options);
  const C = terms.numClasses;
  let smooth: Tensor | null = null;
  if (eps > 0) {
    // −Σ_c w_c·log p_c per sample, zero where the target is ignored.
    const weighted = terms.weight ? terms.rows.mul(terms.weight) : terms.rows;
    smooth = weighted.sum(1).neg().mul(terms.valid.cast(input.dtype));
  }
  const combine = (nll: Tensor, sm: Tensor | null): Tensor => (sm ? nll.mul(1 - eps).add(sm.mul(eps / C)) : nll);
  if (reduction === 'none') return combine(terms.nll, smooth).reshape(terms.outShape);
  const total = combine(terms.nll.sum(), smooth ? smooth.sum() : null);
  // Both parts of the mean share one denominator: the summed weights of non-ignored targets.
  return reduction === 'sum' ? total : total.div(terms.sampleWeight.sum());
}

/** Soft targets: −Σ_c w_c·t_c·log p_c per sample; the mean divides by the number of samples. */
function probabilityTarget(input: Tensor, target: Tensor, options: CrossEntropyOptions, eps: number, reduction: 'mean' | 'sum' | 'none'): Tensor {
  const op = 'crossEntropy';
  const t0 = sameShapeTarget(op, input, target);
  if (input.rank === 0) throw new ArgumentError(`${op}: input must be [N, C, ...] or [C], got a scalar`);
  const ignoreIndex = options.ignoreIndex ?? -100;
  if (ignoreIndex >= 0) throw new ArgumentError(`${op}: ignoreIndex (${ignoreIndex}) is not supported with probability targets`);
  const dim = classDim(input);
  const C = input.shape[dim];
  const weight = optionalWeight(op, 'weight', options.weight, input, [C]);
  const t = eps > 0 ? t0.mul(1 - eps).add(eps / C) : t0;
  let terms = input.logSoftmax(dim).mul(t);
  if (weight) terms = terms.mul(weight.reshape(input.shape.map((d, i) => (i === dim ? d : 1))));
  const perSample = terms.sum(dim).neg();
  if (reduction === 'none') return perSample;
  const total = perSample.sum();
  return reduction === 'sum' ? total : total.div(input.size / C);
}
