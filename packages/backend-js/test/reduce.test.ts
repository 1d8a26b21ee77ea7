import type { DType, ReduceOp, Shape } from '@plexus/tensor';
import { describe, expect, it } from 'vitest';
import { backend, f32, randomValues, ravel, run, sizeOfShape, t, unravel } from './helpers.js';

/** Reference reduction: visit every element, drop the reduced coordinates. */
function naiveReduce(op: ReduceOp, x: number[], shape: Shape, axes: number[]): { values: number[]; shape: number[] } {
  const outShape = shape.filter((_, d) => !axes.includes(d));
  const init = { sum: 0, prod: 1, max: -Infinity, min: Infinity }[op];
  const values = new Array<number>(sizeOfShape(outShape)).fill(init);
  x.forEach((v, p) => {
    const idx = unravel(p, shape).filter((_, d) => !axes.includes(d));
    const o = ravel(idx, outShape);
    const cur = values[o];
    values[o] = op === 'sum' ? cur + v : op === 'prod' ? cur * v : op === 'max' ? Math.max(cur, v) : Math.min(cur, v);
  });
  return { values, shape: outShape };
}

const CASES: [Shape, number[]][] = [
  [[5], [0]],
  [[3, 4], [0]],
  [[3, 4], [1]],
  [[3, 4], [0, 1]],
  [[2, 3, 4], [1]],
  [[2, 3, 4], [0, 2]],
  [[2, 3, 4, 5], [0, 2]],
  [[2, 3, 4, 5], [1, 3]],
  [[2, 3, 4, 5], [1, 2]],
  [[3, 1, 4], [1]],
  [[3, 1, 4], [0, 1]],
  [[1, 1], [0, 1]],
  [[600, 3], [0]],
  [[2, 700], [1]],
];

describe('sum / prod / max / min', () => {
  it('match a naive reference over many axis patterns (float64)', () => {
    for (const [shape, axes] of CASES) {
      const x = randomValues(sizeOfShape(shape), 21).map((v) => v + 0.5);
      for (const op of ['sum', 'prod', 'max', 'min'] as const) {
        const ref = naiveReduce(op, x, shape, axes);
        const got = run(op, [t(x, shape, 'float64')], { axes }, ref.shape, 'float64');
        got.forEach((v, i) => {
          const tol = Math.abs(ref.values[i]) * 1e-12 + 1e-300;
          expect(Math.abs(v - ref.values[i]), `${op} ${shape} ${axes}`).toBeLessThanOrEqual(tol);
        });
      }
    }
  });

  it('reduce an empty axis to the identity, and a scalar to itself', () => {
    expect(run('sum', [t([4], [], 'float32')], { axes: [0] }, [], 'float32')).toEqual([4]);
    expect(run('sum', [t([true], [], 'bool')], { axes: [] }, [], 'int32')).toEqual([1]);
    expect(run('sum', [t([], [0], 'float32')], { axes: [0] }, [], 'float32')).toEqual([0]);
    expect(run('prod', [t([], [0], 'float32')], { axes: [0] }, [], 'float32')).toEqual([1]);
    expect(run('sum', [t([], [3, 0], 'float32')], { axes: [1] }, [3], 'float32')).toEqual([0, 0, 0]);
    expect(run('prod', [t([], [3, 0], 'int32')], { axes: [1] }, [3], 'int32')).toEqual([1, 1, 1]);
    expect(run('sum', [t([], [0, 3], 'float32')], { axes: [1] }, [0], 'float32')).toEqual([]);
  });

  it('sum/prod of int32 and bool give int32; int32 wraps', () => {
    expect(run('sum', [t([true, true, false, true], [2, 2], 'bool')], { axes: [1] }, [2], 'int32')).toEqual([2, 1]);
    expect(run('prod', [t([true, true, false, true], [2, 2], 'bool')], { axes: [0] }, [2], 'int32')).toEqual([0, 1]);
    expect(run('sum', [t([2 ** 31 - 1, 1, 5], [3], 'int32')], { axes: [0] }, [], 'int32')).toEqual([-(2 ** 31) + 5]);
    expect(run('prod', [t([65536, 65536, 3], [3], 'int32')], { axes: [0] }, [], 'int32')).toEqual([0]);
    expect(run('prod', [t([46341, 46341, 3, 7], [2, 2], 'int32')], { axes: [0] }, [2], 'int32'))
      .toEqual([Math.imul(46341, 3), Math.imul(46341, 7)]);
    expect(run('prod', [t([123457, 98765, 4321], [3], 'int32')], { axes: [0] }, [], 'int32'))
      .toEqual([Math.imul(Math.imul(123457, 98765), 4321)]);
  });

  it('max/min keep int32 and bool dtypes', () => {
    expect(run('max', [t([3, -9, 7, 1], [2, 2], 'int32')], { axes: [1] }, [2], 'int32')).toEqual([3, 7]);
    expect(run('min', [t([true, false, true, true], [2, 2], 'bool')], { axes: [1] }, [2], 'bool')).toEqual([0, 1]);
  });

  it('max/min propagate NaN in every layout', () => {
    const x = [1, NaN, 3, 4, 5, 6];
    expect(run('max', [t(x, [2, 3])], { axes: [1] }, [2], 'float32')).toEqual([NaN, 6]);
    expect(run('min', [t(x, [2, 3])], { axes: [1] }, [2], 'float32')).toEqual([NaN, 4]);
    expect(run('max', [t(x, [2, 3])], { axes: [0] }, [3], 'float32')).toEqual([4, NaN, 6]);
    expect(run('min', [t([NaN, 2, 1], [3])], { axes: [0] }, [], 'float32')).toEqual([NaN]);
    expect(run('max', [t([1, 2, NaN], [3])], { axes: [0] }, [], 'float32')).toEqual([NaN]);
    expect(run('max', [t(x, [2, 1, 3])], { axes: [0, 2] }, [1], 'float32')).toEqual([NaN]);
  });

  it('float32 sum over 4M elements is within 1e-6 relative of the float64 sum', () => {
    const n = 4 * 1024 * 1024;
    const x = new Float32Array(n);
    let s = 12345;
    for (let i = 0; i < n; i++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      x[i] = s / 2 ** 32 + 0.1; // positive, so the exact sum is large and rounding error shows
    }
    let exact = 0;
    let c = 0; // Kahan in double: far more accurate than needed as the reference
    for (let i = 0; i < n; i++) {
      const y = x[i] - c;
      const t2 = exact + y;
      c = t2 - exact - y;
      exact = t2;
    }
    const info = { dataId: backend.write(x, [n], 'float32'), shape: [n], dtype: 'float32' as DType };
    const got = run('sum', [info], { axes: [0] }, [], 'float32')[0];
    expect(Math.abs(got - exact) / exact).toBeLessThan(1e-6);
    expect(got).toBe(f32(exact));
    // Column sums over many rows take the blocked path.
    const cols = run('sum', [info], { axes: [0] }, [4], 'float32');
    expect(cols.length).toBe(4);
    const two = run('sum', [{ ...info, shape: [n / 4, 4] }], { axes: [0] }, [4], 'float32');
    const totalCols = two.reduce((a, b) => a + b, 0);
    expect(Math.abs(totalCols - exact) / exact).toBeLessThan(1e-6);
  });

  it('float64 pairwise sum is accurate to a few ulps', () => {
    const n = 1 << 20;
    const x = new Array<number>(n).fill(0.1);
    const got = run('sum', [t(x, [n], 'float64')], { axes: [0] }, [], 'float64')[0];
    expect(Math.abs(got - n * 0.1) / (n * 0.1)).toBeLessThan(1e-14);
  });
});

describe('argmax / argmin', () => {
  it('return the first extreme along the axis', () => {
    const x = t([1, 5, 5, 0, 0, -2, 7, 7, 3], [3, 3], 'float32');
    expect(run('argmax', [x], { axis: 1 }, [3], 'int32')).toEqual([1, 0, 0]);
    expect(run('argmin', [x], { axis: 1 }, [3], 'int32')).toEqual([0, 2, 2]);
    expect(run('argmax', [x], { axis: 0 }, [3], 'int32')).toEqual([2, 2, 0]);
    expect(run('argmin', [x], { axis: 0 }, [3], 'int32')).toEqual([1, 1, 1]);
  });

  it('count NaN as the extreme, first NaN winning', () => {
    const x = t([1, NaN, 9, NaN, 2, 3], [2, 3]);
    expect(run('argmax', [x], { axis: 1 }, [2], 'int32')).toEqual([1, 0]);
    expect(run('argmin', [x], { axis: 1 }, [2], 'int32')).toEqual([1, 0]);
    expect(run('argmax', [x], { axis: 0 }, [3], 'int32')).toEqual([1, 0, 0]);
    expect(run('argmax', [t([3, 9, NaN, NaN], [4])], { axis: 0 }, [], 'int32')).toEqual([2]);
  });

  it('work on int32, bool, middle axes and scalars', () => {
    expect(run('argmax', [t([false, true, true], [3], 'bool')], { axis: 0 }, [], 'int32')).toEqual([1]);
    expect(run('argmin', [t([4, -2, -2], [3], 'int32')], { axis: 0 }, [], 'int32')).toEqual([1]);
    const x = randomValues(2 * 5 * 3, 9);
    const got = run('argmax', [t(x, [2, 5, 3], 'float64')], { axis: 1 }, [2, 3], 'int32');
    for (let a = 0; a < 2; a++) {
      for (let c = 0; c < 3; c++) {
        let best = 0;
        for (let b = 1; b < 5; b++) if (x[a * 15 + b * 3 + c] > x[a * 15 + best * 3 + c]) best = b;
        expect(got[a * 3 + c]).toBe(best);
      }
    }
    expect(run('argmax', [t([4], [])], { axis: 0 }, [], 'int32')).toEqual([0]);
  });
});
