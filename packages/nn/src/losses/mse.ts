import type { Tensor } from '@plexus/tensor';
import type { ReductionOptions } from './reduction.js';
import { reduce, sameShapeTarget } from './reduction.js';

/** Mean squared error: (input − target)², reduced. */
export function mseLoss(input: Tensor, target: Tensor, options: ReductionOptions = {}): Tensor {
  const t = sameShapeTarget('mseLoss', input, target);
  return reduce('mseLoss', input.sub(t).square(), options.reduction);
}
