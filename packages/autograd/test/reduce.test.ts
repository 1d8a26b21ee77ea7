import { describe, expect, it } from 'vitest';
import { max, mean, min, prod, std, sum, variance } from '@plexus/tensor';
import { grad } from '../src/index.js';
import { expectClose, expectGradGradOk, expectGradOk, f64, randn64 } from './helpers.js';

describe('sum and mean', () => {
  it('over everything, one axis, several axes, keepdim, negative axis', () => {
    const [x] = randn64(1, [2, 3, 4]);
    expectGradOk((t) => sum(t), [x]);
    expectGradOk((t) => sum(t, 1), [x]);
    expectGradOk((t) => sum(t, [0, 2]), [x]);
    expectGradOk((t) => t.sum(-1, true), [x]);
    expectGradOk((t) => mean(t), [x]);
    expectGradOk((t) => mean(t, 0), [x]);
    expectGradOk((t) => t.mean([1, 2], true), [x]);
  });

  it('mean gradient is 1/n', () => {
    const x = f64([[1, 2, 3], [4, 5, 6]]);
    expectClose(grad((t) => t.mean())(x), new Array(6).fill(1 / 6));
  });
});

describe('prod', () => {
  it('without zeros', () => {
    const [x] = randn64(2, [2, 3, 4]);
    expectGradOk((t) => prod(t), [x]);
    expectGradOk((t) => prod(t, 1), [x]);
    expectGradOk((t) => t.prod([0, 2], true), [x]);
  });

  it('with one zero and with two zeros (gradCheck)', () => {
    expectGradOk((t) => prod(t), [f64([1.5, 0, -2, 0.7])]);
    expectGradOk((t) => prod(t), [f64([1.5, 0, -2, 0])]);
    // Rows with no, one and two zeros reduced together.
    expectGradOk((t) => prod(t, 1), [f64([[1.5, -2, 0.5], [0, 3, 0.5], [0, 2, 0]])]);
  });

  it('matches hand values', () => {
    // d/dx_i prod(x) = product of the others.
    expectClose(grad((t) => prod(t))(f64([2, 3, 4])), [12, 8, 6]);
    // One zero: only the zero gets a non-zero gradient.
    expectClose(grad((t) => prod(t))(f64([2, 0, 4])), [0, 8, 0]);
    // Two zeros: every gradient is 0.
    expectClose(grad((t) => prod(t))(f64([0, 3, 0])), [0, 0, 0]);
    // Per row, with keepdim.
    expectClose(grad((t) => prod(t, 1, true).sum())(f64([[2, 3, 4], [5, 0, 2], [0, 7, 0]])), [12, 8, 6, 0, 10, 0, 0, 0, 0]);
  });

  it('second derivatives without zeros', () => {
    const [x] = randn64(3, [2, 3]);
    expectGradGradOk((t) => prod(t, 1), [x]);
  });
});

describe('max and min (no ties)', () => {
  it('over everything, one axis, several axes, keepdim', () => {
    const [x] = randn64(4, [2, 3, 4]);
    for (const op of [max, min]) {
      expectGradOk((t) => op(t), [x]);
      expectGradOk((t) => op(t, 1), [x]);
      expectGradOk((t) => op(t, [0, 2]), [x]);
      expectGradOk((t) => op(t, -1, true), [x]);
    }
  });

  it('the gradient goes to the extreme element only', () => {
    expectClose(grad((t) => t.max())(f64([1, 5, 3])), [0, 1, 0]);
    expectClose(grad((t) => t.min(0).sum())(f64([[1, 5], [3, 2]])), [1, 0, 0, 1]);
  });

  it('ties share the gradient evenly', () => {
    expectClose(grad((t) => t.max())(f64([5, 1, 5])), [0.5, 0, 0.5]);
  });
});

describe('var and std', () => {
  it('var over everything, one axis, keepdim, correction 0', () => {
    const [x] = randn64(5, [3, 4]);
    expectGradOk((t) => variance(t), [x]);
    expectGradOk((t) => t.var(1), [x]);
    expectGradOk((t) => t.var(0, { keepdim: true }), [x]);
    expectGradOk((t) => t.var([0, 1], { correction: 0 }), [x]);
  });

  it('std over everything, one axis, correction 0', () => {
    const [x] = randn64(6, [3, 4]);
    expectGradOk((t) => std(t), [x]);
    expectGradOk((t) => t.std(1), [x]);
    expectGradOk((t) => t.std(0, { correction: 0, keepdim: true }), [x]);
  });

  it('var gradient is 2(x - mean)/(n - 1)', () => {
    const x = f64([1, 2, 4, 7]);
    const m = 3.5;
    expectClose(grad((t) => t.var())(x), [1, 2, 4, 7].map((v) => (2 * (v - m)) / 3));
    expect(grad((t) => t.var())(x).shape).toEqual([4]);
  });
});
