import { describe, expect, it } from 'vitest';
import {
  ArgumentError, ShapeError, arange, broadcastTo, cat, chunk, concat, expand, flatten, flip, narrow, pad, permute,
  reshape, slice, split, squeeze, stack, t, tensor, tile, transpose, tril, triu, unsqueeze, zeros,
} from '@plexus/tensor';
import type { NestedArray } from '@plexus/tensor';
import { expectError, values } from './helpers.js';

const x24 = () => arange(24).reshape([2, 3, 4]);
/** Element of arange(prod(shape)) reshaped to shape, at a multi-index. */
const at = (shape: number[], idx: number[]) => idx.reduce((o, v, i) => o * shape[i] + v, 0);

describe('reshape / flatten / squeeze / unsqueeze', () => {
  it('reshape keeps order; -1 is inferred', () => {
    const y = reshape(x24(), [4, -1]);
    expect(y.shape).toEqual([4, 6]);
    expect(values(y)).toEqual([...Array(24).keys()]);
    expect(x24().reshape([-1]).shape).toEqual([24]);
    expect(x24().view([2, 12]).shape).toEqual([2, 12]);
    expect(tensor([5]).reshape([]).shape).toEqual([]);
  });
  it('reshape errors name both shapes', () => {
    expectError(() => reshape(x24(), [5, 5]), ShapeError, 'reshape: cannot reshape [2,3,4] (24 elements) into [5,5]');
    expectError(() => reshape(x24(), [5, -1]), ShapeError, '[2,3,4]', '[5,-1]');
    expectError(() => reshape(x24(), [-1, -1]), ShapeError, 'reshape: only one dimension may be -1');
    expectError(() => reshape(x24(), [2.5, 2]), ShapeError, 'reshape: invalid dimension 2.5');
  });
  it('flatten with start and end dims', () => {
    expect(flatten(x24()).shape).toEqual([24]);
    expect(flatten(x24(), 1).shape).toEqual([2, 12]);
    expect(flatten(x24(), 0, 1).shape).toEqual([6, 4]);
    expect(x24().flatten(-2, -1).shape).toEqual([2, 12]);
    expect(flatten(tensor(3)).shape).toEqual([1]);
    expectError(() => flatten(x24(), 2, 1), ArgumentError, 'flatten');
  });
  it('squeeze removes size-1 dims (all or listed; others kept)', () => {
    const z = zeros([1, 3, 1, 2]);
    expect(squeeze(z).shape).toEqual([3, 2]);
    expect(squeeze(z, 0).shape).toEqual([3, 1, 2]);
    expect(squeeze(z, [0, -2]).shape).toEqual([3, 2]);
    expect(squeeze(z, 1).shape).toEqual([1, 3, 1, 2]);
    expect(zeros([1]).squeeze().shape).toEqual([]);
  });
  it('unsqueeze inserts at any position, negatives counting from the end', () => {
    const z = zeros([3, 2]);
    expect(unsqueeze(z, 0).shape).toEqual([1, 3, 2]);
    expect(unsqueeze(z, 2).shape).toEqual([3, 2, 1]);
    expect(unsqueeze(z, -1).shape).toEqual([3, 2, 1]);
    expect(unsqueeze(z, -3).shape).toEqual([1, 3, 2]);
    expect(tensor(1).unsqueeze(0).shape).toEqual([1]);
    expectError(() => unsqueeze(z, 3), ArgumentError, 'unsqueeze: axis 3');
  });
});

describe('transpose / t / permute', () => {
  it('permute moves elements', () => {
    const y = permute(x24(), [2, 0, 1]);
    expect(y.shape).toEqual([4, 2, 3]);
    const v = values(y);
    for (let k = 0; k < 4; k++)
      for (let i = 0; i < 2; i++)
        for (let j = 0; j < 3; j++) expect(v[at([4, 2, 3], [k, i, j])]).toBe(at([2, 3, 4], [i, j, k]));
    expect(values(permute(x24(), [-1, 0, 1]))).toEqual(v);
  });
  it('transpose swaps two dims (last two by default)', () => {
    const y = transpose(x24());
    expect(y.shape).toEqual([2, 4, 3]);
    expect(values(y)).toEqual(values(permute(x24(), [0, 2, 1])));
    expect(x24().transpose(0, 2).shape).toEqual([4, 3, 2]);
    expect(transpose(tensor([1, 2])).shape).toEqual([2]);
  });
  it('t() for rank <= 2', () => {
    expect(t(tensor([[1, 2, 3], [4, 5, 6]])).toArraySync()).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(tensor([1, 2]).t().shape).toEqual([2]);
    expectError(() => t(x24()), ShapeError, 't: expects a tensor of rank <= 2, got [2,3,4]');
  });
  it('permute errors', () => {
    expectError(() => permute(x24(), [0, 1]), ShapeError, 'permute: expected 3 dims for a tensor of shape [2,3,4], got [0,1]');
    expectError(() => permute(x24(), [0, 1, 1]), ArgumentError, 'permute: repeated dim in [0,1,1]');
    expectError(() => permute(x24(), [0, 1, 3]), ArgumentError, 'permute: axis 3');
  });
});

describe('expand / broadcastTo', () => {
  it('repeats size-1 dims and adds leading dims; -1 keeps a dim', () => {
    const c = tensor([[1], [2], [3]]);
    expect(expand(c, [3, 4]).toArraySync()).toEqual([[1, 1, 1, 1], [2, 2, 2, 2], [3, 3, 3, 3]]);
    expect(expand(c, [-1, 2]).shape).toEqual([3, 2]);
    const y = expand(tensor([1, 2]), [2, 3, 2]);
    expect(y.shape).toEqual([2, 3, 2]);
    expect(values(y)).toEqual([1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2]);
    expect(values(broadcastTo(tensor(7), [2, 2]))).toEqual([7, 7, 7, 7]);
    expect(c.broadcastTo([2, 3, 1]).shape).toEqual([2, 3, 1]);
    expect(expand(tensor([[1], [2]]), [2, 0]).shape).toEqual([2, 0]);
  });
  it('impossible expansions name both shapes', () => {
    expectError(() => expand(zeros([3, 2]), [3, 4]), ShapeError, 'expand: cannot expand [3,2] to [3,4] (dimension 1: 2 vs 4)');
    expectError(() => expand(zeros([3, 2]), [2]), ShapeError, 'expand: target [2] has fewer dims than the input [3,2]');
    expectError(() => expand(zeros([1]), [-1, 2]), ShapeError, 'expand');
  });
});

describe('concat / stack', () => {
  it('concat along dims, negative dims, promotion', () => {
    const a = tensor([[1, 2], [3, 4]]);
    const b = tensor([[5, 6]]);
    expect(concat([a, b]).toArraySync()).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(cat([a, tensor([[9], [8]])], -1).toArraySync()).toEqual([[1, 2, 9], [3, 4, 8]]);
    const i = tensor([[7, 8]], { dtype: 'int32' });
    const y = concat([i, a]);
    expect(y.dtype).toBe('float32');
    expect(values(y)).toEqual([7, 8, 1, 2, 3, 4]);
    expect(concat([i, tensor([[true, false]])]).dtype).toBe('int32');
    expect(concat([a, tensor([[0.5, 1]], { dtype: 'float64' })]).dtype).toBe('float64');
  });
  it('concat skips empty pieces and of a single tensor returns it', () => {
    const a = tensor([1, 2]);
    expect(values(concat([zeros([0]), a, zeros([0])]))).toEqual([1, 2]);
    expect(concat([zeros([0, 2]), zeros([0, 2])]).shape).toEqual([0, 2]);
    expect(concat([a])).toBe(a);
  });
  it('concat mismatch names the shapes', () => {
    expectError(() => concat([zeros([2, 3]), zeros([2, 4])]), ShapeError, 'concat: shapes must match except in dimension 0, got [2,3], [2,4]');
    expectError(() => concat([zeros([2]), zeros([2, 1])]), ShapeError, 'concat');
    expectError(() => concat([]), ArgumentError, 'concat: expected a non-empty array');
    expectError(() => concat([tensor(1), tensor(2)]), ShapeError, 'concat: scalars (shape []) cannot be concatenated; use stack');
    expectError(() => concat([zeros([2]), 3 as never]), ArgumentError, 'concat: expected tensors[1] to be a Tensor');
  });
  it('stack along a new dim', () => {
    const a = tensor([1, 2, 3]);
    const b = tensor([4, 5, 6]);
    expect(stack([a, b]).toArraySync()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(stack([a, b], 1).toArraySync()).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(stack([a, b], -1).shape).toEqual([3, 2]);
    expect(stack([tensor(1), tensor(2)]).shape).toEqual([2]);
    expectError(() => stack([a, tensor([1, 2])]), ShapeError, 'stack: all tensors must have one shape, got [3], [2]');
  });
});

describe('split / chunk', () => {
  it('split by size: the last piece may be smaller', () => {
    const parts = split(arange(7), 3);
    expect(parts.map((p) => values(p))).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect(split(arange(6), 6).length).toBe(1);
  });
  it('split by a list of sizes along a dim', () => {
    const parts = split(x24(), [1, 3], -1);
    expect(parts.map((p) => p.shape)).toEqual([[2, 3, 1], [2, 3, 3]]);
    expect(values(parts[0])).toEqual([0, 4, 8, 12, 16, 20]);
    expect(x24().split([2, 0, 1], 1).map((p) => p.shape)).toEqual([[2, 2, 4], [2, 0, 4], [2, 1, 4]]);
    expectError(() => split(x24(), [1, 1], 1), ArgumentError, 'split: sizes [1,1] do not sum to dimension 1 of [2,3,4]');
    expectError(() => split(x24(), 0), ArgumentError, 'split: splitSize must be an integer >= 1');
    expectError(() => split(arange(3), [4, -1]), ArgumentError, 'split: size must be an integer >= 0, got -1');
  });
  it('chunk like torch.chunk', () => {
    expect(chunk(arange(6), 4).map((p) => values(p))).toEqual([[0, 1], [2, 3], [4, 5]]);
    expect(chunk(arange(5), 3).map((p) => values(p))).toEqual([[0, 1], [2, 3], [4]]);
    expect(chunk(arange(6), 3).map((p) => p.size)).toEqual([2, 2, 2]);
    expect(x24().chunk(2, 2).map((p) => p.shape)).toEqual([[2, 3, 2], [2, 3, 2]]);
    expectError(() => chunk(arange(6), 0), ArgumentError, 'chunk: chunks must be an integer >= 1');
  });
});

describe('slice / narrow', () => {
  const a = arange(10);
  it('Python-style bounds: negatives, defaults, clamping, step', () => {
    expect(values(slice(a, 0, 2, 5))).toEqual([2, 3, 4]);
    expect(values(slice(a, 0, -3))).toEqual([7, 8, 9]);
    expect(values(slice(a, 0, null, -7))).toEqual([0, 1, 2]);
    expect(values(slice(a, 0, -100, 100))).toEqual(values(a));
    expect(values(slice(a, 0, 1, null, 3))).toEqual([1, 4, 7]);
    expect(values(slice(a, 0, 0, 10, 4))).toEqual([0, 4, 8]);
    expect(slice(a, 0, 5, 2).shape).toEqual([0]);
    expect(slice(a, 0, 20, 30).shape).toEqual([0]);
    expect(slice(a, 0)).toBe(a);
  });
  it('along an inner dim', () => {
    const y = x24().slice(-1, 1, 4, 2);
    expect(y.shape).toEqual([2, 3, 2]);
    expect(values(y)).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23]);
    expect(values(x24().slice(1, 2))).toEqual([8, 9, 10, 11, 20, 21, 22, 23]);
  });
  it('bad step or index names slice', () => {
    expectError(() => slice(a, 0, 0, 5, 0), ArgumentError, 'slice: step must be an integer >= 1, got 0');
    expectError(() => slice(a, 0, 0, 5, -1), ArgumentError, 'slice: step');
    expectError(() => slice(a, 0, 1.5), ArgumentError, 'slice: index must be an integer');
    expectError(() => slice(a, 1), ArgumentError, 'slice: axis 1');
  });
  it('narrow', () => {
    expect(values(narrow(a, 0, 2, 3))).toEqual([2, 3, 4]);
    expect(values(narrow(a, 0, -2, 2))).toEqual([8, 9]);
    expect(x24().narrow(1, 1, 2).shape).toEqual([2, 2, 4]);
    expectError(() => narrow(a, 0, 8, 3), ArgumentError, 'narrow: start 8 and length 3 do not fit dimension 0 of [10]');
  });
});

describe('pad', () => {
  it('F.pad order: last dim first', () => {
    const x = tensor([[1, 2], [3, 4]]);
    expect(pad(x, [1, 2]).toArraySync()).toEqual([[0, 1, 2, 0, 0], [0, 3, 4, 0, 0]]);
    expect(pad(x, [0, 0, 1, 0]).toArraySync()).toEqual([[0, 0], [1, 2], [3, 4]]);
    const y = pad(x, [1, 0, 0, 1], -1);
    expect(y.toArraySync()).toEqual([[-1, 1, 2], [-1, 3, 4], [-1, -1, -1]]);
    expect(x.pad([0, 0])).toBe(x);
    expect(pad(tensor([1], { dtype: 'int32' }), [1, 1], 7).dtype).toBe('int32');
    expect(values(pad(tensor([1], { dtype: 'int32' }), [1, 1], 7))).toEqual([7, 1, 7]);
    expect(pad(zeros([2, 3, 4]), [1, 1, 2, 2, 3, 3]).shape).toEqual([8, 7, 6]);
  });
  it('errors', () => {
    expectError(() => pad(zeros([2]), [1]), ArgumentError, 'pad: expected an even number of pads for at most 1 dims, got [1]');
    expectError(() => pad(zeros([2]), [1, 1, 1, 1]), ArgumentError, 'pad');
    expectError(() => pad(zeros([2]), [-1, 0]), ArgumentError, 'pad: padding must be an integer >= 0');
  });
});

describe('tile / flip', () => {
  it('tile like torch.tile', () => {
    const x = tensor([[1, 2], [3, 4]]);
    expect(tile(x, [2, 1]).toArraySync()).toEqual([[1, 2], [3, 4], [1, 2], [3, 4]]);
    expect(tile(x, [1, 2]).toArraySync()).toEqual([[1, 2, 1, 2], [3, 4, 3, 4]]);
    expect(tile(tensor([1, 2]), [2, 2]).toArraySync()).toEqual([[1, 2, 1, 2], [1, 2, 1, 2]]);
    expect(tile(x, [2]).toArraySync()).toEqual([[1, 2, 1, 2], [3, 4, 3, 4]]);
    expect(x.tile([0, 1]).shape).toEqual([0, 2]);
    expectError(() => tile(x, [-1]), ArgumentError, 'tile');
  });
  it('flip one or several dims', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(flip(x, 1).toArraySync()).toEqual([[3, 2, 1], [6, 5, 4]]);
    expect(flip(x, 0).toArraySync()).toEqual([[4, 5, 6], [1, 2, 3]]);
    expect(x.flip([0, -1]).toArraySync()).toEqual([[6, 5, 4], [3, 2, 1]]);
    expect(flip(tensor([true, false]), 0).toArraySync()).toEqual([false, true]);
  });
});

describe('triu / tril', () => {
  const m = tensor([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]);
  const ref = (k: number, upper: boolean): NestedArray =>
    [0, 1, 2].map((i) => [0, 1, 2, 3].map((j) => ((upper ? j - i >= k : j - i <= k) ? i * 4 + j + 1 : 0)));
  it('diagonal offsets', () => {
    for (const k of [-3, -1, 0, 1, 2, 5]) {
      expect(triu(m, k).toArraySync()).toEqual(ref(k, true));
      expect(tril(m, k).toArraySync()).toEqual(ref(k, false));
    }
    expect(m.triu().toArraySync()).toEqual(ref(0, true));
    expect(m.tril(-1).toArraySync()).toEqual(ref(-1, false));
  });
  it('batched, dtype kept, rank < 2 rejected', () => {
    const b = stack([m, m.mul(-1)]);
    const y = tril(b);
    expect(y.shape).toEqual([2, 3, 4]);
    expect(values(y.slice(0, 1, 2).reshape([3, 4]))).toEqual(values(tril(m.mul(-1))));
    expect(triu(tensor([[1, 2], [3, 4]], { dtype: 'int32' })).dtype).toBe('int32');
    expectError(() => triu(tensor([1, 2])), ShapeError, 'triu: expects a tensor of rank >= 2, got [2]');
  });
});
