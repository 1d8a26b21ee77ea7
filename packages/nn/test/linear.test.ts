import './helpers.js';
import { describe, expect, it } from 'vitest';
import { ArgumentError, DTypeError, ShapeError, manualSeed, randn, tensor } from '@plexus/tensor';
import { Linear } from '../src/index.js';
import { expectLayerGradOk, f64, randn64, values } from './helpers.js';

describe('Linear', () => {
  it('computes x·Wᵀ + b', () => {
    const lin = new Linear(3, 2);
    lin.loadStateDict({ weight: tensor([[1, 2, 3], [4, 5, 6]]), bias: tensor([0.5, -1]) });
    const y = lin.forward(tensor([[1, 0, -1], [2, 1, 0]]));
    expect(y.shape).toEqual([2, 2]);
    // [1−3+0.5, 4−6−1] and [2+2+0.5, 8+5−1]
    expect(values(y)).toEqual([-1.5, -3, 4.5, 12]);
  });

  it('works on any leading dims and without bias', () => {
    const lin = new Linear(2, 1, { bias: false });
    expect(lin.bias).toBeNull();
    expect(lin.parameters()).toHaveLength(1);
    lin.loadStateDict({ weight: tensor([[2, -1]]) });
    const y = lin.forward(tensor([[[1, 1], [3, 1]], [[0, 2], [1, 0]]]));
    expect(y.shape).toEqual([2, 2, 1]);
    expect(values(y)).toEqual([1, 5, -2, 2]);
    expect(values(lin.forward(tensor([4, 1])))).toEqual([7]);
  });

  it('passes gradCheck in float64 w.r.t. input, weight and bias', () => {
    manualSeed(0);
    expectLayerGradOk(new Linear(4, 3, { dtype: 'float64' }), [randn64(1, [2, 4])]);
    expectLayerGradOk(new Linear(3, 2, { dtype: 'float64' }), [randn64(2, [2, 2, 3])]);
    expectLayerGradOk(new Linear(3, 2, { dtype: 'float64', bias: false }), [f64([[1, -2, 0.5]])]);
  });

  it('names the expected and actual shapes on a wrong last dim', () => {
    const lin = new Linear(784, 10);
    expect(() => lin.forward(randn([32, 100]))).toThrow(ShapeError);
    expect(() => lin.forward(randn([32, 100]))).toThrow('Linear: expected input with last dim 784, got [32,100]');
  });

  it('validates its arguments', () => {
    expect(() => new Linear(0, 2)).toThrow(ArgumentError);
    expect(() => new Linear(2, 2.5)).toThrow(/outFeatures must be a positive integer, got 2.5/);
    expect(() => new Linear(2, 2, { dtype: 'int32' })).toThrow(DTypeError);
  });
});
