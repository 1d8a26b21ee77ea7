import { describe, expect, it } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import { elu, logsumexp, maximum, minimum, relu, softmax, softplus, zeros } from '@plexus/tensor';
import { grad } from '../src/index.js';
import { expectClose, f64, values } from './helpers.js';

// Values at kinks and limits follow PyTorch's conventions.
describe('gradients at kinks, ties and limits', () => {
  it("abs'(0) = 0 and relu'(0) = 0", () => {
    expectClose(grad((t) => t.abs().sum())(f64([0, -2, 3])), [0, -1, 1]);
    expectClose(grad((t) => relu(t).sum())(f64([0, -2, 3])), [0, 0, 1]);
  });

  it('clamp passes the gradient at its bounds and blocks it outside', () => {
    expectClose(grad((t) => t.clamp(0, 1).sum())(f64([0, 1, 0.5, -1, 2])), [1, 1, 1, 0, 0]);
  });

  it('maximum/minimum split the gradient on ties', () => {
    const [ga, gb] = grad((a: Tensor, b: Tensor) => maximum(a, b).sum(), [0, 1])(f64([1, 2]), f64([1, 3]));
    expectClose(ga, [0.5, 0]);
    expectClose(gb, [0.5, 1]);
    expectClose(grad((a) => minimum(a, a).sum())(f64([1, 2])), [1, 1]);
  });

  it('max over an axis shares the gradient among tied elements', () => {
    expectClose(grad((t) => t.max(1).sum())(f64([[1, 3, 3], [2, 2, 2]])), [0, 0.5, 0.5, 1 / 3, 1 / 3, 1 / 3]);
  });

  it('pow(0, b): gradients 0 (and no NaN) for both operands', () => {
    const [ga, gb] = grad((a: Tensor, b: Tensor) => a.pow(b).sum(), [0, 1])(f64([0, 2]), f64([2, 2]));
    expectClose(ga, [0, 4]);
    expectClose(gb, [0, 4 * Math.log(2)]);
  });

  it('softmax and logsumexp with -inf entries have finite gradients', () => {
    const mask = f64([0, -Infinity, 1]);
    const g1 = grad((t) => softmax(t.add(mask), 0).slice(0, 0, 1).sum())(f64([0.1, 0.2, 0.3]));
    const g2 = grad((t) => logsumexp(t.add(mask), 0))(f64([0.1, 0.2, 0.3]));
    expect(values(g1).every(Number.isFinite)).toBe(true);
    expect(values(g2)[1]).toBe(0);
    expect(values(g2)[0] + values(g2)[2]).toBeCloseTo(1, 12);
  });

  it('elu and softplus stay finite far from 0', () => {
    expectClose(grad((t) => elu(t).sum())(f64([-1000, 1000])), [0, 1]);
    expectClose(grad((t) => softplus(t).sum())(f64([-1000, 1000])), [0, 1]);
  });

  it('empty tensors get empty gradients', () => {
    const g = grad((t) => t.exp().sum())(zeros([0, 3], { dtype: 'float64' }));
    expect(g.shape).toEqual([0, 3]);
  });

  it('0-d tensors', () => {
    const g = grad((t) => t.reshape([1, 1]).exp().sum())(f64(2));
    expect(g.shape).toEqual([]);
    expect(g.item()).toBeCloseTo(Math.exp(2), 12);
  });
});
