import type { ReduceOp, Tensor } from '@plexus/tensor';
import { cast, equal, expand, logicalAnd, prod, reducedShape, reshape, sum, where } from '@plexus/tensor';
import type { GradRuleTable } from './types.js';

/** The output gradient with the reduced axes restored as size 1, broadcast back over x. */
function spread(g: Tensor, x: Tensor, axes: readonly number[]): Tensor {
  return expand(reshape(g, reducedShape(x.shape, axes, true)), x.shape);
}

/** max/min: the gradient is shared evenly among the elements equal to the extreme. */
function extremeRule(g: Tensor, x: Tensor, y: Tensor, axes: readonly number[]): Tensor {
  const kept = reshape(y, reducedShape(x.shape, axes, true));
  const mask = cast(equal(x, kept), x.dtype);
  const count = sum(mask, [...axes], true);
  return spread(g, x, axes).mul(mask).div(count);
}

export const reduceRules: GradRuleTable<ReduceOp | 'argmax' | 'argmin'> = {
  sum: (g, { inputs: [x], attrs }) => [spread(g, x, attrs.axes)],
  /**
   * The product of the others, exact with zeros: with no zero it is y/x; with one zero only that
   * element gets the product of the rest; with two or more zeros every gradient is 0.
   */
  prod: (g, { inputs: [x], attrs }) => {
    const isZero = equal(x, 0);
    const zeros = sum(cast(isZero, 'int32'), [...attrs.axes], true);
    const safe = where(isZero, 1, x);
    const rest = prod(safe, [...attrs.axes], true);
    const noZero = rest.div(safe);
    const loneZero = where(logicalAnd(equal(zeros, 1), isZero), rest, 0);
    return [spread(g, x, attrs.axes).mul(where(equal(zeros, 0), noZero, loneZero))];
  },
  max: (g, { inputs: [x], output: y, attrs }) => [extremeRule(g, x, y, attrs.axes)],
  min: (g, { inputs: [x], output: y, attrs }) => [extremeRule(g, x, y, attrs.axes)],
  argmax: () => [null],
  argmin: () => [null],
};
