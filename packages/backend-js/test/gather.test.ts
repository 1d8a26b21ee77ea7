import type { Shape } from '@plexus/tensor';
import { describe, expect, it } from 'vitest';
import { randomValues, ravel, run, sizeOfShape, t, unravel } from './helpers.js';

function naiveGather(x: number[], xShape: Shape, index: number[], indexShape: Shape, axis: number): number[] {
  return index.map((v, p) => {
    const idx = unravel(p, indexShape);
    idx[axis] = v;
    return x[ravel(idx, xShape)];
  });
}

function naiveScatterAdd(x: number[], xShape: Shape, index: number[], indexShape: Shape, src: number[], axis: number): number[] {
  const out = x.slice();
  index.forEach((v, p) => {
    const idx = unravel(p, indexShape);
    idx[axis] = v;
    out[ravel(idx, xShape)] += src[p];
  });
  return out;
}

describe('gather', () => {
  it('is torch.gather', () => {
    // torch.gather(tensor([[1,2],[3,4]]), 1, tensor([[0,0],[1,0]])) == [[1,1],[4,3]]
    expect(run('gather', [t([1, 2, 3, 4], [2, 2]), t([0, 0, 1, 0], [2, 2], 'int32')], { axis: 1 }, [2, 2], 'float32'))
      .toEqual([1, 1, 4, 3]);
  });

  it('matches a naive reference, with index smaller than x on other axes', () => {
    const xShape = [4, 5, 6];
    const x = randomValues(sizeOfShape(xShape), 5);
    for (const axis of [0, 1, 2]) {
      const indexShape = [3, 4, 5];
      const index = randomValues(sizeOfShape(indexShape), 6 + axis).map((v) => Math.floor((v + 1) / 2 * xShape[axis]));
      const got = run('gather', [t(x, xShape, 'float64'), t(index, indexShape, 'int32')], { axis }, indexShape, 'float64');
      expect(got).toEqual(naiveGather(x, xShape, index, indexShape, axis));
    }
  });

  it('handles int32, bool, empty index and scalars', () => {
    expect(run('gather', [t([5, 6, 7], [3], 'int32'), t([2, 2, 0], [3], 'int32')], { axis: 0 }, [3], 'int32')).toEqual([7, 7, 5]);
    expect(run('gather', [t([true, false], [2], 'bool'), t([1, 0], [2], 'int32')], { axis: 0 }, [2], 'bool')).toEqual([0, 1]);
    expect(run('gather', [t([5, 6], [2]), t([], [0], 'int32')], { axis: 0 }, [0], 'float32')).toEqual([]);
    expect(run('gather', [t([5], []), t([0], [], 'int32')], { axis: 0 }, [], 'float32')).toEqual([5]);
  });
});

describe('scatterAdd', () => {
  it('is torch.scatter_add, duplicates accumulating', () => {
    // torch.zeros(3).scatter_add(0, tensor([0,2,0,0]), tensor([1.,2.,3.,4.])) == [8, 0, 2]
    expect(run('scatterAdd', [t([0, 0, 0], [3]), t([0, 2, 0, 0], [4], 'int32'), t([1, 2, 3, 4], [4])], { axis: 0 }, [3], 'float32'))
      .toEqual([8, 0, 2]);
  });

  it('matches a naive reference on every axis', () => {
    const xShape = [4, 5, 6];
    const x = randomValues(sizeOfShape(xShape), 15);
    for (const axis of [0, 1, 2]) {
      const indexShape = [3, 5, 2];
      const n = sizeOfShape(indexShape);
      const index = randomValues(n, 16 + axis).map((v) => Math.floor((v + 1) / 2 * xShape[axis]));
      const src = randomValues(n, 26 + axis);
      const got = run(
        'scatterAdd', [t(x, xShape, 'float64'), t(index, indexShape, 'int32'), t(src, indexShape, 'float64')],
        { axis }, xShape, 'float64',
      );
      expect(got).toEqual(naiveScatterAdd(x, xShape, index, indexShape, src, axis));
    }
  });

  it('wraps int32, ors bool, and copies x for an empty index', () => {
    expect(run('scatterAdd', [t([2 ** 31 - 1, 0], [2], 'int32'), t([0], [1], 'int32'), t([1], [1], 'int32')], { axis: 0 }, [2], 'int32'))
      .toEqual([-(2 ** 31), 0]);
    expect(run('scatterAdd', [t([true, false], [2], 'bool'), t([0, 0], [2], 'int32'), t([true, true], [2], 'bool')], { axis: 0 }, [2], 'bool'))
      .toEqual([1, 0]);
    expect(run('scatterAdd', [t([1, 2], [2]), t([], [0], 'int32'), t([], [0])], { axis: 0 }, [2], 'float32')).toEqual([1, 2]);
  });
});
