import { broadcastShapes } from '@plexus/tensor';
import type { Shape } from '@plexus/tensor';
import { describe, expect, it } from 'vitest';
import { randomValues, ravel, run, sizeOfShape, t, unravel } from './helpers.js';

/** Triple loop in double, with NumPy batch broadcasting. */
function naiveMatmul(a: number[], aShape: Shape, b: number[], bShape: Shape): { values: number[]; shape: number[] } {
  const [m, k] = aShape.slice(-2);
  const n = bShape[bShape.length - 1];
  const aBatch = aShape.slice(0, -2);
  const bBatch = bShape.slice(0, -2);
  const batch = broadcastShapes('test', aBatch, bBatch);
  const values: number[] = [];
  const pick = (s: Shape, idx: number[]) => ravel(idx.slice(idx.length - s.length).map((i, d) => (s[d] === 1 ? 0 : i)), s);
  for (let bt = 0; bt < sizeOfShape(batch); bt++) {
    const idx = unravel(bt, batch);
    const ao = pick(aBatch, idx) * m * k;
    const bo = pick(bBatch, idx) * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a[ao + i * k + p] * b[bo + p * n + j];
        values.push(s);
      }
    }
  }
  return { values, shape: [...batch, m, n] };
}

function check(aShape: Shape, bShape: Shape, dtype: 'float32' | 'float64', tol: number): void {
  const a = randomValues(sizeOfShape(aShape), aShape.length * 7 + 1).map(dtype === 'float32' ? Math.fround : (v) => v);
  const b = randomValues(sizeOfShape(bShape), bShape.length * 5 + 2).map(dtype === 'float32' ? Math.fround : (v) => v);
  const ref = naiveMatmul(a, aShape, b, bShape);
  const got = run('matmul', [t(a, aShape, dtype), t(b, bShape, dtype)], {}, ref.shape, dtype);
  expect(got.length).toBe(ref.values.length);
  let worst = 0;
  got.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - ref.values[i]) / (Math.abs(ref.values[i]) + 1e-3))));
  expect(worst, `${aShape} @ ${bShape} ${dtype}`).toBeLessThan(tol);
}

describe('matmul', () => {
  it('small exact case', () => {
    expect(run('matmul', [t([1, 2, 3, 4, 5, 6], [2, 3]), t([7, 8, 9, 10, 11, 12], [3, 2])], {}, [2, 2], 'float32'))
      .toEqual([58, 64, 139, 154]);
  });

  it('matches a naive triple loop across block edges (float64 and float32)', () => {
    const shapes: [Shape, Shape][] = [
      [[1, 1], [1, 1]],
      [[5, 7], [7, 3]],
      [[3, 9], [9, 1]],
      [[1, 40], [40, 50]],
      [[37, 41], [41, 43]],
      [[64, 64], [64, 64]],
      [[70, 513], [513, 9]],
      [[33, 300], [300, 1030]],
      [[130, 257], [257, 67]],
    ];
    for (const [aShape, bShape] of shapes) {
      check(aShape, bShape, 'float64', 1e-12);
      check(aShape, bShape, 'float32', 1e-6);
    }
  });

  it('broadcasts batch dims', () => {
    const shapes: [Shape, Shape][] = [
      [[2, 1, 4, 5], [3, 5, 6]],
      [[4, 5], [3, 5, 6]],
      [[3, 4, 5], [5, 6]],
      [[2, 3, 40, 50], [50, 36]],
      [[2, 1, 40, 50], [1, 3, 50, 36]],
      [[1, 8, 6], [2, 6, 8]],
    ];
    for (const [aShape, bShape] of shapes) {
      check(aShape, bShape, 'float64', 1e-12);
      check(aShape, bShape, 'float32', 1e-6);
    }
  });

  it('propagates NaN and infinity even through zeros', () => {
    const got = run('matmul', [t([0, 1, 1, 1], [2, 2], 'float64'), t([NaN, 1, 2, Infinity], [2, 2], 'float64')], {}, [2, 2], 'float64');
    expect(got).toEqual([NaN, Infinity, NaN, Infinity]);
  });

  it('int32 wraps and bool is a logical product', () => {
    expect(run('matmul', [t([65536, 1], [1, 2], 'int32'), t([65536, 7], [2, 1], 'int32')], {}, [1, 1], 'int32')).toEqual([7]);
    const a = randomValues(12, 3).map((v) => Math.round(v * 100));
    const b = randomValues(20, 4).map((v) => Math.round(v * 100));
    const ref = naiveMatmul(a, [3, 4], b, [4, 5]);
    expect(run('matmul', [t(a, [3, 4], 'int32'), t(b, [4, 5], 'int32')], {}, [3, 5], 'int32')).toEqual(ref.values);
    expect(run('matmul', [t([1, 0, 0, 0], [2, 2], 'bool'), t([1, 1, 0, 1], [2, 2], 'bool')], {}, [2, 2], 'bool')).toEqual([1, 1, 0, 0]);
  });

  it('handles zero-size dims', () => {
    expect(run('matmul', [t([], [2, 0]), t([], [0, 3])], {}, [2, 3], 'float32')).toEqual([0, 0, 0, 0, 0, 0]);
    expect(run('matmul', [t([], [0, 4]), t(new Array(12).fill(1), [4, 3])], {}, [0, 3], 'float32')).toEqual([]);
    expect(run('matmul', [t([], [0, 2, 4]), t(new Array(12).fill(1), [4, 3])], {}, [0, 2, 3], 'float64')).toEqual([]);
  });
});
