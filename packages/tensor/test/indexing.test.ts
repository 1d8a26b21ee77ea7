import { describe, expect, it } from 'vitest';
import {
  ArgumentError, DTypeError, ShapeError, arange, gather, indexSelect, oneHot, scatterAdd, tensor, where, zeros,
} from '@plexus/tensor';
import type { NestedArray } from '@plexus/tensor';
import { expectError, values } from './helpers.js';

const idx = (v: NestedArray) => tensor(v as number[], { dtype: 'int32' });

describe('gather', () => {
  const x = tensor([[1, 2, 3], [4, 5, 6]]);
  it('along dim 1 and dim 0 (torch.gather)', () => {
    expect(gather(x, 1, idx([[2, 0], [1, 1]])).toArraySync()).toEqual([[3, 1], [5, 5]]);
    expect(gather(x, 0, idx([[1, 0, 1]])).toArraySync()).toEqual([[4, 2, 6]]);
    expect(x.gather(-1, idx([[0], [2]])).toArraySync()).toEqual([[1], [6]]);
    const y = gather(x, 1, idx([[0, 0, 0, 0], [2, 2, 2, 2]]));
    expect(y.shape).toEqual([2, 4]);
    expect(y.dtype).toBe('float32');
    expect(gather(x.int(), 1, idx([[1], [0]])).dtype).toBe('int32');
  });
  it('3-D, against the definition', () => {
    const a = arange(24).reshape([2, 3, 4]);
    const index = idx([[[3, 0], [1, 1], [2, 0]], [[0, 0], [3, 3], [1, 2]]]);
    const got = values(gather(a, 2, index));
    const iv = values(index);
    const want = iv.map((k, p) => {
      const i = Math.floor(p / 6);
      const j = Math.floor(p / 2) % 3;
      return i * 12 + j * 4 + k;
    });
    expect(got).toEqual(want);
  });
  it('errors: float index (DTypeError), out of range (ArgumentError), bad shape', () => {
    expectError(() => gather(x, 1, tensor([[0]])), DTypeError, 'gather: index must be int32, got float32');
    expectError(() => gather(x, 1, idx([[0, 3]])), ArgumentError, 'gather: index 3 is out of range for a dimension of size 3');
    expectError(() => gather(x, 1, idx([[-1]])), ArgumentError, 'index -1', 'size 3');
    expectError(() => gather(x, 1, idx([0])), ShapeError, 'gather: index [1] must have the rank of input [2,3]');
    expectError(() => gather(x, 1, idx([[0], [0], [0]])), ShapeError, 'gather');
    expectError(() => gather(x, 2, idx([[0]])), ArgumentError, 'gather: axis 2');
  });
});

describe('scatterAdd', () => {
  it('adds src at the indexed positions, accumulating repeats', () => {
    const y = scatterAdd(zeros([2, 3]), 1, idx([[0, 0, 2], [1, 2, 1]]), tensor([[1, 2, 3], [4, 5, 6]]));
    expect(y.toArraySync()).toEqual([[3, 0, 3], [0, 10, 5]]);
    const z = scatterAdd(tensor([[1, 1], [1, 1], [1, 1]]), 0, idx([[2, 0]]), tensor([[5, 7]]));
    expect(z.toArraySync()).toEqual([[1, 8], [1, 1], [6, 1]]);
  });
  it('keeps x dtype and shape (src is cast)', () => {
    const y = zeros([4], { dtype: 'int32' }).scatterAdd(0, idx([1, 1, 3]), tensor([1.9, 1, 2]));
    expect(y.dtype).toBe('int32');
    expect(values(y)).toEqual([0, 2, 0, 2]);
    const b = scatterAdd(zeros([3]), 0, idx([0, 0]), tensor([1, 1]));
    expect(values(b)).toEqual([2, 0, 0]);
  });
  it('errors', () => {
    expectError(() => scatterAdd(zeros([3]), 0, tensor([0]), tensor([1])), DTypeError, 'scatterAdd: index must be int32, got float32');
    expectError(() => scatterAdd(zeros([3]), 0, idx([3]), tensor([1])), ArgumentError, 'scatterAdd: index 3 is out of range for a dimension of size 3');
    expectError(() => scatterAdd(zeros([3]), 0, idx([0, 1]), tensor([1])), ShapeError, 'scatterAdd: index [2] and src [1] must share a shape');
  });
});

describe('indexSelect', () => {
  const x = tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
  it('picks rows or columns, repeats allowed', () => {
    expect(indexSelect(x, 0, idx([2, 0, 2])).toArraySync()).toEqual([[7, 8, 9], [1, 2, 3], [7, 8, 9]]);
    expect(x.indexSelect(1, idx([1])).toArraySync()).toEqual([[2], [5], [8]]);
    expect(indexSelect(x, -1, idx([])).shape).toEqual([3, 0]);
  });
  it('errors', () => {
    expectError(() => indexSelect(x, 0, idx([[0]])), ShapeError, 'indexSelect: index must be 1-D, got [1,1]');
    expectError(() => indexSelect(x, 0, tensor([0])), DTypeError, 'indexSelect: index must be int32');
    expectError(() => indexSelect(x, 0, idx([5])), ArgumentError, 'indexSelect: index 5 is out of range for a dimension of size 3');
  });
});

describe('oneHot', () => {
  it('int32 encoding with a new last dim', () => {
    const y = oneHot(idx([0, 2, 1]), 3);
    expect(y.dtype).toBe('int32');
    expect(y.toArraySync()).toEqual([[1, 0, 0], [0, 0, 1], [0, 1, 0]]);
    expect(oneHot(idx([[1], [0]]), 2).shape).toEqual([2, 1, 2]);
  });
  it('errors', () => {
    expectError(() => oneHot(idx([3]), 3), ArgumentError, 'oneHot: index 3 is out of range for a dimension of size 3');
    expectError(() => oneHot(idx([0]), 0), ArgumentError, 'oneHot: numClasses must be a positive integer, got 0');
    expectError(() => oneHot(tensor([0]), 2), DTypeError, 'oneHot: index must be int32');
  });
});

describe('where', () => {
  it('broadcasts condition and both branches', () => {
    const c = tensor([[true], [false]]);
    const y = where(c, tensor([1, 2, 3]), tensor(0));
    expect(y.shape).toEqual([2, 3]);
    expect(y.toArraySync()).toEqual([[1, 2, 3], [0, 0, 0]]);
  });
  it('numeric conditions mean != 0; numbers and tensors mix', () => {
    expect(values(where(tensor([0, 2, -1]), 1, tensor([5, 6, 7])))).toEqual([5, 1, 1]);
    expect(values(where(tensor([true, false]), 1.5, 0))).toEqual([1.5, 0]);
    expect(where(tensor([true, false]), true, false).dtype).toBe('bool');
  });
  it('dtype promotion of branches', () => {
    const c = tensor([true, false]);
    expect(where(c, tensor([1, 2], { dtype: 'int32' }), tensor([1, 2], { dtype: 'float64' })).dtype).toBe('float64');
    expect(where(c, tensor([1, 2], { dtype: 'int32' }), 0.5).dtype).toBe('float32');
  });
  it('shape mismatch names where', () => {
    expectError(() => where(tensor([true, false]), zeros([3]), 0), ShapeError, 'where: shapes [2] and [3]');
  });
});
