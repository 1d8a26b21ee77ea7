import { describe, expect, it } from 'vitest';
import { gather, indexSelect, scatterAdd, tensor } from '@plexus/tensor';
import { grad } from '../src/index.js';
import { expectClose, expectGradOk, f64, randn64 } from './helpers.js';

const int = (v: number[] | number[][]) => tensor(v, { dtype: 'int32' });

describe('gather, scatterAdd, indexSelect pass gradCheck', () => {
  it('gather along axis 1 and axis 0, with repeated indices', () => {
    const [x] = randn64(1, [3, 4]);
    expectGradOk((t, i) => gather(t, 1, i), [x, int([[0, 3], [2, 2], [1, 0]])]);
    expectGradOk((t) => t.gather(0, int([[2, 0, 1, 1], [0, 0, 2, 1]])), [x]);
  });

  it('gather with repeated indices accumulates', () => {
    const g = grad((t) => gather(t, 0, int([1, 1, 2, 1])).sum())(f64([5, 6, 7]));
    expectClose(g, [0, 3, 1]);
  });

  it('scatterAdd: gradients to both x and src', () => {
    const [x, src] = randn64(2, [3, 4], [2, 4]);
    const index = int([[0, 1, 2, 0], [2, 2, 0, 1]]);
    expectGradOk((t, s) => scatterAdd(t, 0, index, s), [x, src]);
    expectGradOk((t, s) => t.scatterAdd(1, int([[0, 0], [3, 1], [2, 2]]), s.slice(0, 0, 3).slice(1, 0, 2)), [x, randn64(3, [3, 4])[0]]);
  });

  it('scatterAdd of a nonlinear function (the gradient uses the index)', () => {
    const [x, src] = randn64(4, [4], [6]);
    const index = int([0, 3, 3, 1, 0, 0]);
    expectGradOk((t, s) => scatterAdd(t.sin(), 0, index, s.square()).exp(), [x, src]);
  });

  it('indexSelect on both axes with repeats', () => {
    const [x] = randn64(5, [4, 3]);
    expectGradOk((t) => indexSelect(t, 0, int([3, 0, 3])), [x]);
    expectGradOk((t) => t.indexSelect(1, int([2, 2, 1, 0])), [x]);
  });

  it('integer index inputs pass through gradCheck and get no gradient', () => {
    const [x] = randn64(6, [3]);
    const i = int([2, 0]);
    const g = grad((t) => gather(t, 0, i).sum())(x);
    expectClose(g, [1, 0, 1]);
    expect(i.requiresGrad).toBe(false);
    expect(i.grad).toBeNull();
  });
});
