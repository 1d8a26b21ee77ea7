import { describe, expect, it } from 'vitest';
import {
  ShapeError, add, broadcastShapes, inferShape, mul, normalizeAxes, normalizeAxis, ones, scalar, stridesOf, sizeOf,
  tensor, zeros, ArgumentError,
} from '@plexus/tensor';
import { expectError, values } from './helpers.js';

describe('broadcastShapes', () => {
  it('aligns from the right; size-1 dims stretch', () => {
    expect(broadcastShapes('add', [2, 3], [3])).toEqual([2, 3]);
    expect(broadcastShapes('add', [2, 1], [1, 3])).toEqual([2, 3]);
    expect(broadcastShapes('add', [5, 1, 4], [3, 1])).toEqual([5, 3, 4]);
    expect(broadcastShapes('add', [], [2, 2])).toEqual([2, 2]);
    expect(broadcastShapes('add', [], [])).toEqual([]);
    expect(broadcastShapes('add', [1], [0])).toEqual([0]);
    expect(broadcastShapes('add', [0, 3], [1, 3])).toEqual([0, 3]);
    expect(broadcastShapes('where', [2, 1, 1], [1, 3, 1], [4])).toEqual([2, 3, 4]);
  });
  it('reports the op, the shapes and the failing dimension', () => {
    const e = expectError(() => broadcastShapes('add', [2, 3], [4]), ShapeError);
    expect(e.message).toBe('add: shapes [2,3] and [4] cannot be broadcast together (dimension -1: 3 vs 4)');
    expectError(() => broadcastShapes('mul', [2, 3, 4], [5, 4]), ShapeError, 'mul: shapes [2,3,4] and [5,4]', 'dimension -2: 3 vs 5');
  });
  it('a tensor op with mismatched shapes throws the same message', () => {
    expectError(() => add(ones([2, 3]), ones([4])), ShapeError, 'add: shapes [2,3] and [4] cannot be broadcast together');
    expectError(() => ones([3]).lt(ones([2])), ShapeError, 'less: shapes [3] and [2]');
  });
});

describe('broadcasting arithmetic', () => {
  it('row + column', () => {
    const y = add(tensor([[1], [2]]), tensor([10, 20, 30]));
    expect(y.shape).toEqual([2, 3]);
    expect(values(y)).toEqual([11, 21, 31, 12, 22, 32]);
  });
  it('scalar tensors broadcast against anything and combine to a scalar', () => {
    const s = scalar(2);
    expect(s.shape).toEqual([]);
    expect(s.rank).toBe(0);
    expect(s.size).toBe(1);
    expect(values(mul(s, tensor([[1, 2], [3, 4]])))).toEqual([2, 4, 6, 8]);
    const ss = add(s, scalar(3));
    expect(ss.shape).toEqual([]);
    expect(ss.item()).toBe(5);
    expect(s.toArraySync()).toBe(2);
  });
  it('zero-size tensors broadcast to zero-size results', () => {
    const y = add(zeros([0, 3]), ones([3]));
    expect(y.shape).toEqual([0, 3]);
    expect(y.size).toBe(0);
    expect(values(y)).toEqual([]);
    expect(y.toArraySync()).toEqual([]);
  });
  it('reductions over zero-size dims give identities', () => {
    expect(values(zeros([0, 3]).sum(0))).toEqual([0, 0, 0]);
    expect(zeros([0, 3]).sum(0).shape).toEqual([3]);
    expect(values(zeros([0, 3]).prod(0))).toEqual([1, 1, 1]);
    expect(zeros([3, 0]).sum(1).shape).toEqual([3]);
    expect(values(zeros([3, 0]).sum(1))).toEqual([0, 0, 0]);
    expect(zeros([0, 3]).sum().item()).toBe(0);
    expect(values(zeros([2, 0]).any(1))).toEqual([0, 0]);
    expect(values(zeros([2, 0]).all(1))).toEqual([1, 1]);
    expect(zeros([0, 3]).mean(0).shape).toEqual([3]);
    expect(values(zeros([0, 3]).mean(0)).every(Number.isNaN)).toBe(true);
  });
  it('zero-size creation and reshape', () => {
    expect(zeros([0]).shape).toEqual([0]);
    expect(zeros([2, 0, 3]).reshape([0, 5]).shape).toEqual([0, 5]);
    expect(() => zeros([2, 0]).reshape([-1, 0])).toThrow(ShapeError);
  });
});

describe('shape helpers', () => {
  it('sizeOf / stridesOf', () => {
    expect(sizeOf([])).toBe(1);
    expect(sizeOf([2, 0, 3])).toBe(0);
    expect(stridesOf([2, 3, 4])).toEqual([12, 4, 1]);
    expect(stridesOf([])).toEqual([]);
  });
  it('normalizeAxis handles negatives and rejects out-of-range axes', () => {
    expect(normalizeAxis('sum', -1, 3)).toBe(2);
    expect(normalizeAxis('sum', 0, 0)).toBe(0);
    expectError(() => normalizeAxis('sum', 3, 3), ArgumentError, 'sum: axis 3 is out of range for a tensor of rank 3');
    expectError(() => normalizeAxis('sum', -4, 3), ArgumentError, 'axis -4');
    expect(() => normalizeAxis('sum', 0.5, 3)).toThrow(ArgumentError);
  });
  it('normalizeAxes sorts, and rejects repeats', () => {
    expect(normalizeAxes('sum', [-1, 0], 3)).toEqual([0, 2]);
    expect(normalizeAxes('sum', undefined, 2)).toEqual([0, 1]);
    expectError(() => normalizeAxes('sum', [1, -1], 2), ArgumentError, 'sum: repeated axis');
  });
  it('inferShape resolves -1', () => {
    expect(inferShape('reshape', [2, 6], [3, -1])).toEqual([3, 4]);
    expectError(() => inferShape('reshape', [2, 6], [-1, -1]), ShapeError, 'only one dimension may be -1');
    expectError(() => inferShape('reshape', [2, 6], [5, -1]), ShapeError, 'cannot reshape [2,6] (12 elements) into [5,-1]');
  });
});
