import { installAutograd } from '@plexus/tensor';
import { backward, record } from './engine.js';

// Importing this package turns on gradient recording at tensor's dispatch point.
installAutograd({
  record,
  backward: (output, options) => backward(output, options),
});

export { grad, gradients, valueAndGrad } from './functional.js';
export type { GradOptions } from './functional.js';
export { backward } from './engine.js';
export type { GradNode } from './engine.js';
export { gradCheck, gradGradCheck } from './gradcheck.js';
export type { GradCheckOptions, GradCheckResult } from './gradcheck.js';
export { gradRules } from './rules/index.js';
export type { GradRule, GradContext, GradRuleTable, RuleGrad } from './rules/index.js';
export { SliceGrad } from './slice-grad.js';
export { ProductGrad } from './product-grad.js';
export { noGrad, withGradMode, isGradEnabled } from '@plexus/tensor';

import type { Tensor } from '@plexus/tensor';
import { detach } from '@plexus/tensor';
/** Identity whose gradient is zero (jax.lax.stop_gradient); same as `x.detach()`. */
export function stopGradient(x: Tensor): Tensor {
  return detach(x);
}
