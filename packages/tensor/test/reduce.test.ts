import { describe, expect, it } from 'vitest';
import {
  ArgumentError, ShapeError, all, any, argmax, argmin, max, mean, min, prod, scalar, std, sum, tensor, variance, zeros,
} from '@plexus/tensor';
import type { Tensor } from '@plexus/tensor';
import { expectClose, expectError, f32, lcg, values } from './helpers.js';

const SHAPE = [2, 3, 4];
const DATA = lcg(24, 17).map((v) => Math.round(v * 100) / 10); // one decimal, distinct enough
const X = tensor(DATA, SHAPE, { dtype: 'float64' });

/** Host reduction of DATA over `axes` (row-major [2,3,4]); returns values in output order. */
function reduceRef(axes: number[], f: (vs: number[]) => number): number[] {
  const keep = [0, 1, 2].filter((a) => !axes.includes(a));
  const groups = new Map<string, number[]>();
  for (let i = 0; i < 2; i++)
    for (let j = 0; j < 3; j++)
      for (let k = 0; k < 4; k++) {
        const idx = [i, j, k];
        const key = keep.map((a) => idx[a]).join(',');
        if (!groups.has(key)) groups.set(key, []);
        groups.get(key)!.push(DATA[i * 12 + j * 4 + k]);
      }
  return [...groups.values()].map(f);
}
const S = (vs: number[]) => vs.reduce((a, b) => a + b, 0);
const M = (vs: number[]) => S(vs) / vs.length;
const V = (c: number) => (vs: number[]) => {
  const m = M(vs);
  return S(vs.map((v) => (v - m) ** 2)) / (vs.length - c);
};
const REFS: Record<string, (vs: number[]) => number> = {
  sum: S,
  mean: M,
  max: (vs) => Math.max(...vs),
  min: (vs) => Math.min(...vs),
  prod: (vs) => vs.reduce((a, b) => a * b, 1),
};
const OPS: Record<string, (x: Tensor, d?: number | number[], k?: boolean) => Tensor> = { sum, mean, max, min, prod };
const AXES: (number[] | undefined)[] = [[0], [1], [2], [0, 1], [0, 2], [1, 2], [0, 1, 2], undefined];

describe('sum / mean / max / min / prod over any axes', () => {
  for (const name of Object.keys(OPS)) {
    it(`${name}`, () => {
      for (const axes of AXES) {
        const ax = axes ?? [0, 1, 2];
        const want = reduceRef(ax, REFS[name]);
        const outShape = SHAPE.filter((_, i) => !ax.includes(i));
        const y = OPS[name](X, axes);
        expect(y.dtype).toBe('float64');
        expectClose(y, want, { shape: outShape, atol: 1e-9, rtol: 1e-12 });
        // keepdim keeps size-1 dims; negative axes name the same dims.
        const kept = OPS[name](X, ax, true);
        expectClose(kept, want, { shape: SHAPE.map((d, i) => (ax.includes(i) ? 1 : d)), atol: 1e-9, rtol: 1e-12 });
        const neg = OPS[name](X, ax.map((a) => a - 3));
        expect(values(neg)).toEqual(values(y));
      }
    });
  }
  it('method forms agree', () => {
    expect(values(X.sum(1))).toEqual(values(sum(X, 1)));
    expect(values(X.mean([0, 2], true))).toEqual(values(mean(X, [0, 2], true)));
    expect(X.max().shape).toEqual([]);
    expect(X.min(-1, true).shape).toEqual([2, 3, 1]);
    expect(X.prod(0).shape).toEqual([3, 4]);
  });
  it('dtypes: int/bool sums and prods give int32; mean of ints gives float32; max keeps int32', () => {
    const i = tensor([[1, 2], [3, 4]], { dtype: 'int32' });
    expect(sum(i).dtype).toBe('int32');
    expect(sum(i).item()).toBe(10);
    expect(prod(i, 1).dtype).toBe('int32');
    expect(values(prod(i, 1))).toEqual([2, 12]);
    const b = tensor([true, true, false]);
    expect(sum(b).dtype).toBe('int32');
    expect(sum(b).item()).toBe(2);
    expect(mean(i).dtype).toBe('float32');
    expect(mean(i).item()).toBe(2.5);
    expect(values(mean(i, 0))).toEqual([2, 3]);
    expect(max(i, 1).dtype).toBe('int32');
    expect(values(max(i, 1))).toEqual([2, 4]);
    expect(sum(tensor([1, 2])).dtype).toBe('float32');
  });
  it('a scalar reduces to itself', () => {
    expect(sum(scalar(3)).item()).toBe(3);
    expect(max(scalar(3)).shape).toEqual([]);
    expect(sum(scalar(3), 0).item()).toBe(3);
  });
  it('NaN propagates through max and sum', () => {
    expectClose(max(tensor([1, NaN, 3])), [NaN]);
    expectClose(sum(tensor([1, NaN])), [NaN]);
  });
  it('max / min over an empty dim throw a clear error; sum gives 0', () => {
    expectError(() => max(zeros([2, 0]), 1), ShapeError, 'max: cannot reduce over dimension 1 of size 0 in [2,0]');
    expectError(() => min(zeros([0, 3])), ShapeError, 'min:', '[0,3]');
    expect(values(sum(zeros([2, 0]), 1))).toEqual([0, 0]);
    expect(values(max(zeros([2, 0]), 0))).toEqual([]);
  });
  it('bad axes name the op', () => {
    expectError(() => sum(X, 3), ArgumentError, 'sum: axis 3 is out of range for a tensor of rank 3');
    expectError(() => mean(X, [0, 0]), ArgumentError, 'repeated axis');
  });
});

describe('accuracy', () => {
  it('float32 sum of 4M elements is within 1e-6 relative of the float64 sum', () => {
    const n = 4 * 1024 * 1024;
    const data = new Float32Array(n);
    let s = 12345;
    for (let i = 0; i < n; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      data[i] = s / 2 ** 32 + 0.1; // positive, in [0.1, 1.1)
    }
    let exact = 0;
    for (let i = 0; i < n; i++) exact += data[i];
    const got = sum(tensor(data)).item() as number;
    expect(Math.abs(got - exact) / exact).toBeLessThan(1e-6);
    const m = mean(tensor(data)).item() as number;
    expect(Math.abs(m - exact / n) / (exact / n)).toBeLessThan(1e-6);
  });
  it('float32 mean of a constant is within float32 rounding', () => {
    const m = mean(tensor(new Float32Array(100_001).fill(0.1))).item() as number;
    expect(Math.abs(m - f32(0.1)) / 0.1).toBeLessThan(2 ** -22);
  });
});

describe('argmax / argmin', () => {
  it('return the first extreme index, int32', () => {
    const x = tensor([1, 3, 3, 2, -1, -1]);
    expect(argmax(x).dtype).toBe('int32');
    expect(argmax(x).item()).toBe(1);
    expect(argmin(x).item()).toBe(4);
  });
  it('along a dim, negative dims, keepdim', () => {
    const x = tensor([[1, 5, 5], [7, 0, 7], [2, 2, 2]]);
    expect(values(argmax(x, 1))).toEqual([1, 0, 0]);
    expect(values(argmax(x, -1, true))).toEqual([1, 0, 0]);
    expect(argmax(x, -1, true).shape).toEqual([3, 1]);
    expect(values(argmin(x, 0))).toEqual([0, 1, 2]);
    expect(values(x.argmax(0))).toEqual([1, 0, 1]);
  });
  it('over everything returns a flat index; keepdim gives all-ones shape', () => {
    const x = tensor([[1, 9], [9, 0]]);
    expect(argmax(x).item()).toBe(1);
    expect(argmin(x).item()).toBe(3);
    expect(argmax(x, undefined, true).shape).toEqual([1, 1]);
    expect(argmax(X).item()).toBe(DATA.indexOf(Math.max(...DATA)));
  });
  it('bool and int inputs', () => {
    expect(argmax(tensor([false, true, true])).item()).toBe(1);
    expect(argmin(tensor([3, -2, -2], { dtype: 'int32' })).item()).toBe(1);
  });
  it('empty input throws with the op name', () => {
    expectError(() => argmax(zeros([0])), ShapeError, 'argmax');
    expectError(() => argmin(zeros([2, 0]), 1), ShapeError, 'argmin', '[2,0]');
  });
});

describe('var / std', () => {
  it('correction 1 (default) and 0', () => {
    const x = tensor([1, 2, 3, 4]);
    expectClose(variance(x), [5 / 3]);
    expectClose(variance(x, undefined, { correction: 0 }), [1.25]);
    expectClose(std(x), [Math.sqrt(5 / 3)]);
    expectClose(std(x, undefined, { correction: 0 }), [Math.sqrt(1.25)]);
    expectClose(x.var(), [5 / 3]);
    expectClose(x.std(0, { correction: 0 }), [Math.sqrt(1.25)]);
  });
  it('over axes with keepdim, against the host', () => {
    for (const axes of [[0], [2], [1, 2], [0, 1, 2]]) {
      for (const c of [0, 1]) {
        const y = variance(X, axes, { correction: c });
        expectClose(y, reduceRef(axes, V(c)), { shape: SHAPE.filter((_, i) => !axes.includes(i)), atol: 1e-9 });
        const k = std(X, axes, { correction: c, keepdim: true });
        expectClose(k, reduceRef(axes, (vs) => Math.sqrt(V(c)(vs))), {
          shape: SHAPE.map((d, i) => (axes.includes(i) ? 1 : d)),
          atol: 1e-9,
        });
      }
    }
  });
  it('int input gives float32; a single element with correction 1 is NaN', () => {
    expect(variance(tensor([1, 2], { dtype: 'int32' })).dtype).toBe('float32');
    expectClose(variance(tensor([1, 2], { dtype: 'int32' })), [0.5]);
    expectClose(variance(tensor([3])), [NaN]);
    expectClose(variance(tensor([3]), undefined, { correction: 0 }), [0]);
  });
});

describe('all / any', () => {
  const b = tensor([[true, false, true], [true, true, true]]);
  it('over dims and everything', () => {
    expect(all(b).dtype).toBe('bool');
    expect(all(b).item()).toBe(false);
    expect(any(b).item()).toBe(true);
    expect(values(all(b, 1))).toEqual([0, 1]);
    expect(values(any(b, 0))).toEqual([1, 1, 1]);
    expect(values(all(b, 0))).toEqual([1, 0, 1]);
    expect(all(b, -1, true).shape).toEqual([2, 1]);
    expect(values(b.any(1, true))).toEqual([1, 1]);
  });
  it('numbers count as true when non-zero', () => {
    const x = tensor([[0, 0.5], [0, 0]]);
    expect(values(any(x, 1))).toEqual([1, 0]);
    expect(values(all(tensor([1, -2, 3], { dtype: 'int32' })))).toEqual([1]);
    expect(all(tensor([NaN])).item()).toBe(true);
  });
  it('empty reductions: any is false, all is true', () => {
    expect(any(zeros([0])).item()).toBe(false);
    expect(all(zeros([0])).item()).toBe(true);
  });
});

describe('max/min of bool', () => {
  it('keep the bool dtype (logical or / and)', () => {
    const b = tensor([[true, false], [false, false]]);
    expect(max(b).dtype).toBe('bool');
    expect(max(b).item()).toBe(true);
    expect(min(b, 1).toArraySync()).toEqual([false, false]);
    expect(max(b, 0).toArraySync()).toEqual([true, false]);
  });
});
