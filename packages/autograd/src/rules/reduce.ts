import type { ReduceOp, Tensor } from '@plexus/tensor';
import { cast, equal, expand, prod, reducedShape, reshape, sum, where } from '@plexus/tensor';
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
   * The product of the others. With no zero it is y/x. A lone zero gets the product of the rest,
   * and every other element y/x, which is 0 in value but, being built on the graph-connected
   * output y, has the right derivative with respect to that zero (so second derivatives hold).
   * With two or more zeros every gradient is 0; only its second derivatives are not exact there.
   */
  prod: (g, { inputs: [x], output: y, attrs }) => {
    const axes = [...attrs.axes];
    const isZero = equal(x, 0);
    const zeros = sum(cast(isZero, 'int32'), axes, true);
    const safe = where(isZero, 1, x);
    const rest = prod(safe, axes, true);
    const atZero = where(equal(zeros, 1), rest, 0);
    const elsewhere = reshape(y, reducedShape(x.shape, axes, true)).div(safe);
    return [spread(g, x, attrs.axes).mul(where(isZero, atZero, elsewhere))];
  },
  max: (g, { inputs: [x], output: y, attrs }) => [extremeRule(g, x, y, attrs.axes)],
  min: (g, { inputs: [x], output: y, attrs }) => [extremeRule(g, x, y, attrs.axes)],
  argmax: () => [null],
  argmin: () => [null],
};
