import type { Tensor } from '@plexus/tensor';
import { where } from '@plexus/tensor';
import { checkReduction, reduce, sameShapeTarget } from './reduction.js';

export interface KLDivOptions {
  /**
   * 'batchmean' (sum / batch size) gives the true KL divergence per sample; 'mean' (the default,
   * as in PyTorch) averages over every element.
   */
  reduction?: 'mean' | 'sum' | 'none' | 'batchmean';
  /** The target is given as log-probabilities (default false: probabilities). */
  logTarget?: boolean;
}

/**
 * Kullback–Leibler divergence KL(target ‖ p) pointwise, with `input` = log p:
 * target·(log target − input), taken as 0 where target = 0 (or exp(t)·(t − input) for log targets,
 * 0 where t = −∞).
 */
export function klDiv(input: Tensor, target: Tensor, options: KLDivOptions = {}): Tensor {
  const t = sameShapeTarget('klDiv', input, target);
  const reduction = checkReduction('klDiv', options.reduction ?? 'mean', ['mean', 'sum', 'none', 'batchmean']);
  let loss: Tensor;
  if (options.logTarget) {
    // exp(t)·(t − input), with 0 where t = −∞ (probability 0) instead of PyTorch's 0·∞ = NaN;
    // the branch sees t = 0 there so its gradient is finite too.
    const present = t.gt(-Infinity);
    const safeT = where(present, t, 0);
    loss = where(present, safeT.exp().mul(safeT.sub(input)), 0);
  } else {
    // x·log x → 0 as x → 0; the log sees 1 there so neither value nor gradient is NaN.
    const logT = where(t.gt(0), t, 1).log();
    loss = t.mul(logT.sub(input));
  }
  if (reduction === 'batchmean') return loss.sum().div(input.rank > 0 ? input.shape[0] : 1);
  return reduce('klDiv', loss, reduction);
}
