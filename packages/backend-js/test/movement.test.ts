import type { Shape } from '@plexus/tensor';
import { describe, expect, it } from 'vitest';
import { backend, randomValues, ravel, run, runInfo, sizeOfShape, t, unravel } from './helpers.js';

const iota = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('reshape', () => {
  it('keeps the elements and makes a new handle', () => {
    const x = t(iota(6), [2, 3]);
    const before = backend.memory().numHandles;
    const y = runInfo('reshape', [x], { shape: [3, 2] }, [3, 2], 'float32');
    expect(backend.memory().numHandles).toBe(before + 1);
    expect(Array.from(backend.readSync(y))).toEqual(iota(6));
    expect(run('reshape', [t([7], [])], { shape: [1, 1] }, [1, 1], 'float32')).toEqual([7]);
  });
});

describe('permute', () => {
  it('matches a naive transpose for several permutations', () => {
    const shape = [2, 3, 4, 5];
    const x = iota(120);
    for (const perm of [[0, 1, 2, 3], [3, 2, 1, 0], [1, 0, 2, 3], [0, 2, 3, 1], [2, 0, 3, 1]]) {
      const outShape = perm.map((p) => shape[p]);
      const expected = iota(120).map((p) => {
        const o = unravel(p, outShape);
        const idx = new Array<number>(4);
        perm.forEach((src, d) => (idx[src] = o[d]));
        return x[ravel(idx, shape)];
      });
      expect(run('permute', [t(x, shape, 'int32')], { perm }, outShape, 'int32')).toEqual(expected);
    }
    expect(run('permute', [t([1, 2, 3, 4, 5, 6], [2, 3], 'bool')], { perm: [1, 0] }, [3, 2], 'bool')).toEqual([1, 1, 1, 1, 1, 1]);
    expect(run('permute', [t([], [0, 3])], { perm: [1, 0] }, [3, 0], 'float32')).toEqual([]);
  });
});

describe('expand', () => {
  it('repeats size-1 dims', () => {
    expect(run('expand', [t([1, 2], [2, 1])], { shape: [2, 3] }, [2, 3], 'float32')).toEqual([1, 1, 1, 2, 2, 2]);
    expect(run('expand', [t([1, 2, 3], [1, 3])], { shape: [2, 3] }, [2, 3], 'float32')).toEqual([1, 2, 3, 1, 2, 3]);
    expect(run('expand', [t([5], [1, 1])], { shape: [2, 2] }, [2, 2], 'float64')).toEqual([5, 5, 5, 5]);
    expect(run('expand', [t([5], [1])], { shape: [0] }, [0], 'float32')).toEqual([]);
  });
});

describe('slice', () => {
  it('takes begin + i*step per axis', () => {
    const x = t(iota(20), [4, 5], 'int32');
    expect(run('slice', [x], { begin: [1, 0], end: [3, 5], step: [1, 1] }, [2, 5], 'int32')).toEqual(iota(10).map((i) => i + 5));
    expect(run('slice', [x], { begin: [0, 1], end: [4, 5], step: [2, 3] }, [2, 2], 'int32')).toEqual([1, 4, 11, 14]);
    expect(run('slice', [x], { begin: [3, 4], end: [4, 5], step: [1, 1] }, [1, 1], 'int32')).toEqual([19]);
    expect(run('slice', [x], { begin: [2, 2], end: [2, 5], step: [1, 1] }, [0, 3], 'int32')).toEqual([]);
    const long = t(iota(100), [100]);
    expect(run('slice', [long], { begin: [10], end: [90], step: [1] }, [80], 'float32')).toEqual(iota(80).map((i) => i + 10));
  });
});

describe('pad', () => {
  it('pads with a constant around the input', () => {
    const x = t([1, 2, 3, 4], [2, 2]);
    expect(run('pad', [x], { pads: [[1, 0], [0, 2]], value: -1 }, [3, 4], 'float32')).toEqual([
      -1, -1, -1, -1,
      1, 2, -1, -1,
      3, 4, -1, -1,
    ]);
    expect(run('pad', [t([true], [1], 'bool')], { pads: [[1, 1]], value: 0 }, [3], 'bool')).toEqual([0, 1, 0]);
    expect(run('pad', [t([7], [1], 'int32')], { pads: [[0, 1]], value: 2.9 }, [2], 'int32')).toEqual([7, 2]);
    expect(run('pad', [t([], [0])], { pads: [[2, 1]], value: 5 }, [3], 'float32')).toEqual([5, 5, 5]);
    expect(run('pad', [t([3], [])], { pads: [], value: 5 }, [], 'float32')).toEqual([3]);
  });
});

describe('concat', () => {
  it('joins along any axis, empty parts included', () => {
    const a = t([1, 2, 3, 4], [2, 2]);
    const b = t([5, 6], [2, 1]);
    const e = t([], [2, 0]);
    expect(run('concat', [a, b, e], { axis: 1 }, [2, 3], 'float32')).toEqual([1, 2, 5, 3, 4, 6]);
    expect(run('concat', [a, t([9, 9], [1, 2])], { axis: 0 }, [3, 2], 'float32')).toEqual([1, 2, 3, 4, 9, 9]);
    expect(run('concat', [t([1], [1], 'int32')], { axis: 0 }, [1], 'int32')).toEqual([1]);
    const big = randomValues(3 * 40, 2);
    const got = run('concat', [t(big, [3, 40], 'float64'), t(big, [3, 40], 'float64')], { axis: 1 }, [3, 80], 'float64');
    const shape: Shape = [3, 80];
    for (let p = 0; p < sizeOfShape(shape); p++) {
      const [r, c] = unravel(p, shape);
      expect(got[p]).toBe(big[r * 40 + (c % 40)]);
    }
  });
});
