import type { Tensor } from '@plexus/tensor';
import type { ReductionOptions } from './reduction.js';
import { reduce, sameShapeTarget } from './reduction.js';

/** Mean absolute error: |input − target|, reduced. */
export function l1Loss(input: Tensor, target: Tensor, options: ReductionOptions = {}): Tensor {
  const t = sameShapeTarget('l1Loss', input, target);
  return reduce('l1Loss', input.sub(t).abs(), options.reduction);
}
