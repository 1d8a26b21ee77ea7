import { broadcastShapes } from '@plexus/tensor';
import type { Shape } from '@plexus/tensor';
import { describe, expect, it } from 'vitest';
import { f32, randomValues, ravel, run, sizeOfShape, t, unravel } from './helpers.js';

/** Reference broadcasting: out[idx] = f(a[idx mapped], b[idx mapped]). */
function naiveBinary(
  f: (x: number, y: number) => number,
  a: number[], aShape: Shape, b: number[], bShape: Shape,
): { values: number[]; shape: number[] } {
  const shape = broadcastShapes('test', aShape, bShape);
  const pick = (vals: number[], s: Shape, idx: number[]) =>
    vals[ravel(idx.slice(idx.length - s.length).map((i, d) => (s[d] === 1 ? 0 : i)), s)];
  const values = Array.from({ length: sizeOfShape(shape) }, (_, p) => {
    const idx = unravel(p, shape);
    return f(pick(a, aShape, idx), pick(b, bShape, idx));
  });
  return { values, shape };
}

describe('binary arithmetic', () => {
  const shapePairs: [Shape, Shape][] = [
    [[2, 3], [2, 3]],
    [[2, 3], [3]],
    [[2, 1], [1, 3]],
    [[3, 1, 4], [2, 1]],
    [[4, 5], []],
    [[], [4, 5]],
    [[1], [2, 2]],
    [[2, 1, 3, 1], [1, 4, 1, 5]],
    [[5, 1], [5, 7]],
    [[0, 3], [3]],
    [[2, 0], [2, 1]],
    [[], []],
  ];

  it('add/sub/mul/div/maximum/minimum broadcast like NumPy (float64)', () => {
    const fns = {
      add: (x: number, y: number) => x + y, sub: (x: number, y: number) => x - y,
      mul: (x: number, y: number) => x * y, div: (x: number, y: number) => x / y,
      maximum: Math.max, minimum: Math.min,
    };
    for (const [aShape, bShape] of shapePairs) {
      const a = randomValues(sizeOfShape(aShape), 3);
      const b = randomValues(sizeOfShape(bShape), 4);
      for (const [op, f] of Object.entries(fns)) {
        const ref = naiveBinary(f, a, aShape, b, bShape);
        const got = run(op as 'add', [t(a, aShape, 'float64'), t(b, bShape, 'float64')], {}, ref.shape, 'float64');
        expect(got, `${op} ${aShape} ${bShape}`).toEqual(ref.values);
      }
    }
  });

  it('float32 results are the double result rounded once', () => {
    const a = randomValues(6, 7).map(f32);
    const b = randomValues(3, 8).map(f32);
    const ref = naiveBinary((x, y) => f32(x * y), a, [2, 3], b, [3]);
    expect(run('mul', [t(a, [2, 3]), t(b, [3])], {}, [2, 3], 'float32')).toEqual(ref.values);
    expect(run('add', [t([0.1], [1]), t([0.2], [1])], {}, [1], 'float32')).toEqual([f32(f32(0.1) + f32(0.2))]);
  });

  it('float64 keeps double precision', () => {
    expect(run('add', [t([0.1], [1], 'float64'), t([0.2], [1], 'float64')], {}, [1], 'float64')).toEqual([0.1 + 0.2]);
    expect(run('sub', [t([1 + 2 ** -52], [], 'float64'), t([1], [], 'float64')], {}, [], 'float64')).toEqual([2 ** -52]);
  });

  it('int32 wraps on add, sub and mul', () => {
    const big = t([2 ** 31 - 1, -(2 ** 31), 65536, 123456789], [4], 'int32');
    expect(run('sub', [t([-(2 ** 31)], [1], 'int32'), t([1], [1], 'int32')], {}, [1], 'int32')).toEqual([2 ** 31 - 1]);
    const two = t([1, -1, 65536, 1000], [4], 'int32');
    expect(run('add', [big, two], {}, [4], 'int32')).toEqual([-(2 ** 31), 2 ** 31 - 1, 131072, 123457789]);
    expect(run('sub', [big, two], {}, [4], 'int32')).toEqual([2 ** 31 - 2, -(2 ** 31) + 1, 0, 123455789]);
    expect(run('mul', [big, two], {}, [4], 'int32')).toEqual([2 ** 31 - 1, -(2 ** 31), 0, Math.imul(123456789, 1000)]);
  });

  it('int32 div truncates toward zero and gives 0 for x/0', () => {
    const a = t([7, -7, 7, -7, 5, -(2 ** 31)], [6], 'int32');
    const b = t([2, 2, -2, -2, 0, -1], [6], 'int32');
    expect(run('div', [a, b], {}, [6], 'int32')).toEqual([3, -3, -3, 3, 0, -(2 ** 31)]);
  });

  it('int32 pow is integer power', () => {
    const a = t([2, 3, -2, 1, -1, -1, 5, 0, 2, 7], [10], 'int32');
    const b = t([10, 0, 3, -5, -3, -4, -1, 0, 31, 12], [10], 'int32');
    expect(run('pow', [a, b], {}, [10], 'int32')).toEqual([1024, 1, -8, 1, -1, 1, 0, 1, -(2 ** 31), Math.imul(7 ** 6, 7 ** 6)]);
  });

  it('float pow follows C: pow(1, NaN) = 1, pow(x, 0) = 1', () => {
    const a = t([2, 1, NaN, -1, 4, -8], [6], 'float64');
    const b = t([0.5, NaN, 0, Infinity, -0.5, 1 / 3], [6], 'float64');
    expect(run('pow', [a, b], {}, [6], 'float64')).toEqual([Math.SQRT2, 1, 1, 1, 0.5, NaN]);
  });

  it('maximum/minimum propagate NaN from either side', () => {
    const a = t([NaN, 1, 2], [3]);
    const b = t([1, NaN, 3], [3]);
    expect(run('maximum', [a, b], {}, [3], 'float32')).toEqual([NaN, NaN, 3]);
    expect(run('minimum', [a, b], {}, [3], 'float32')).toEqual([NaN, NaN, 2]);
  });

  it('bool arithmetic stays 0/1', () => {
    const a = t([true, true, false, false], [4], 'bool');
    const b = t([true, false, true, false], [4], 'bool');
    expect(run('add', [a, b], {}, [4], 'bool')).toEqual([1, 1, 1, 0]);
    expect(run('mul', [a, b], {}, [4], 'bool')).toEqual([1, 0, 0, 0]);
    expect(run('maximum', [a, b], {}, [4], 'bool')).toEqual([1, 1, 1, 0]);
    expect(run('minimum', [a, b], {}, [4], 'bool')).toEqual([1, 0, 0, 0]);
  });

  it('handles long rows, strided broadcasts and a scalar operand', () => {
    const a = randomValues(64 * 100, 11);
    const b = randomValues(100, 12);
    const ref = naiveBinary((x, y) => x - y, a, [64, 100], b, [100]);
    expect(run('sub', [t(a, [64, 100], 'float64'), t(b, [100], 'float64')], {}, [64, 100], 'float64')).toEqual(ref.values);
    const col = randomValues(64, 13);
    const ref2 = naiveBinary((x, y) => x * y, a, [64, 100], col, [64, 1]);
    expect(run('mul', [t(a, [64, 100], 'float64'), t(col, [64, 1], 'float64')], {}, [64, 100], 'float64')).toEqual(ref2.values);
    const ref3 = naiveBinary((x, y) => x / y, [3], [], a, [64, 100]);
    expect(run('div', [t([3], [], 'float64'), t(a, [64, 100], 'float64')], {}, [64, 100], 'float64')).toEqual(ref3.values);
  });
});

describe('compare and where', () => {
  it('compares with broadcasting; NaN is unequal to everything', () => {
    const a = t([1, 2, NaN], [3, 1]);
    const b = t([2, NaN], [2]);
    const shape = [3, 2];
    expect(run('equal', [a, b], {}, shape, 'bool')).toEqual([0, 0, 1, 0, 0, 0]);
    expect(run('notEqual', [a, b], {}, shape, 'bool')).toEqual([1, 1, 0, 1, 1, 1]);
    expect(run('less', [a, b], {}, shape, 'bool')).toEqual([1, 0, 0, 0, 0, 0]);
    expect(run('lessEqual', [a, b], {}, shape, 'bool')).toEqual([1, 0, 1, 0, 0, 0]);
    expect(run('greater', [a, b], {}, shape, 'bool')).toEqual([0, 0, 0, 0, 0, 0]);
    expect(run('greaterEqual', [a, b], {}, shape, 'bool')).toEqual([0, 0, 1, 0, 0, 0]);
  });

  it('compares int32 and bool inputs', () => {
    expect(run('less', [t([-5, 3], [2], 'int32'), t([0], [], 'int32')], {}, [2], 'bool')).toEqual([1, 0]);
    expect(run('equal', [t([true, false], [2], 'bool'), t([true], [1], 'bool')], {}, [2], 'bool')).toEqual([1, 0]);
  });

  it('where broadcasts all three inputs', () => {
    const cond = t([true, false, true], [3, 1], 'bool');
    const a = t([1, 2], [2], 'int32');
    const b = t([-1], [], 'int32');
    expect(run('where', [cond, a, b], {}, [3, 2], 'int32')).toEqual([1, 2, -1, -1, 1, 2]);
    const x = randomValues(12, 5);
    const c = x.map((v) => v > 0);
    expect(run('where', [t(c, [12], 'bool'), t(x, [12], 'float64'), t([0], [], 'float64')], {}, [12], 'float64'))
      .toEqual(x.map((v) => (v > 0 ? v : 0)));
    expect(run('where', [t([], [0], 'bool'), t([1], [], 'float32'), t([0], [], 'float32')], {}, [0], 'float32')).toEqual([]);
  });
});

describe('cast', () => {
  it('float to int truncates toward zero; NaN and infinities become 0', () => {
    expect(run('cast', [t([1.9, -1.9, 0.5, -0.5, NaN, Infinity], [6])], { dtype: 'int32' }, [6], 'int32'))
      .toEqual([1, -1, 0, 0, 0, 0]);
  });

  it('anything to bool is x != 0, NaN included', () => {
    expect(run('cast', [t([0, -0, 0.1, NaN, -3], [5], 'float64')], { dtype: 'bool' }, [5], 'bool')).toEqual([0, 0, 1, 1, 1]);
    expect(run('cast', [t([0, 7, -1], [3], 'int32')], { dtype: 'bool' }, [3], 'bool')).toEqual([0, 1, 1]);
  });

  it('bool to numbers is 0/1; float64 to float32 rounds', () => {
    const b = t([true, false], [2], 'bool');
    expect(run('cast', [b], { dtype: 'float32' }, [2], 'float32')).toEqual([1, 0]);
    expect(run('cast', [b], { dtype: 'int32' }, [2], 'int32')).toEqual([1, 0]);
    expect(run('cast', [t([0.1, 1e300], [2], 'float64')], { dtype: 'float32' }, [2], 'float32')).toEqual([f32(0.1), Infinity]);
    expect(run('cast', [t([2 ** 31 - 1, -5], [2], 'int32')], { dtype: 'float64' }, [2], 'float64')).toEqual([2 ** 31 - 1, -5]);
  });
});
