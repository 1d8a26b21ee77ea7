import type { Tensor } from '@plexus/tensor';
import { where } from '@plexus/tensor';
import type { ReductionOptions } from './reduction.js';
import { checkNumber, reduce, sameShapeTarget } from './reduction.js';

export interface HuberOptions extends ReductionOptions {
  /** Where the loss turns from quadratic to linear (default 1). */
  delta?: number;
}

/** Huber loss: ½d² for |d| < delta, delta·(|d| − ½delta) beyond, with d = input − target. */
export function huberLoss(input: Tensor, target: Tensor, options: HuberOptions = {}): Tensor {
  const delta = options.delta ?? 1;
  checkNumber('huberLoss', 'delta', delta, 0, Infinity, true);
  const t = sameShapeTarget('huberLoss', input, target);
  const d = input.sub(t);
  const a = d.abs();
  const loss = where(a.lt(delta), d.square().mul(0.5), a.sub(0.5 * delta).mul(delta));
  return reduce('huberLoss', loss, options.reduction);
}

export interface SmoothL1Options extends ReductionOptions {
  /** Where the loss turns from quadratic to linear (default 1); 0 gives l1Loss. */
  beta?: number;
}

/** Smooth L1: ½d²/beta for |d| < beta, |d| − ½beta beyond (huberLoss / beta). */
export function smoothL1Loss(input: Tensor, target: Tensor, options: SmoothL1Options = {}): Tensor {
  const beta = options.beta ?? 1;
  checkNumber('smoothL1Loss', 'beta', beta, 0);
  const t = sameShapeTarget('smoothL1Loss', input, target);
  const d = input.sub(t);
  const a = d.abs();
  const loss = beta === 0 ? a : where(a.lt(beta), d.square().mul(0.5 / beta), a.sub(0.5 * beta));
  return reduce('smoothL1Loss', loss, options.reduction);
}
