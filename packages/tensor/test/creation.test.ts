import { describe, expect, it } from 'vitest';
import {
  ArgumentError, DTypeError, ShapeError, arange, eye, full, fullLike, linspace, ones, onesLike, scalar, tensor, zeros,
  zerosLike,
} from '@plexus/tensor';
import { expectClose, expectError, values } from './helpers.js';

describe('tensor()', () => {
  it('from nested arrays', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(x.shape).toEqual([2, 3]);
    expect(x.dtype).toBe('float32');
    expect(values(x)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(x.toArraySync()).toEqual([[1, 2, 3], [4, 5, 6]]);
    const y = tensor([[[true], [false]]]);
    expect(y.shape).toEqual([1, 2, 1]);
    expect(y.dtype).toBe('bool');
    expect(y.toArraySync()).toEqual([[[true], [false]]]);
  });
  it('from a number: shape []', () => {
    const s = tensor(3.5);
    expect(s.shape).toEqual([]);
    expect(s.item()).toBe(3.5);
  });
  it('from typed arrays, with or without a shape', () => {
    const x = tensor(new Float32Array([1, 2, 3, 4, 5, 6]), [3, 2]);
    expect(x.shape).toEqual([3, 2]);
    expect(x.toArraySync()).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(tensor(new Int32Array([1, 2, 3])).shape).toEqual([3]);
    const f = tensor(new Float64Array([0.1, 0.2]), [2, 1]);
    expect(f.dtype).toBe('float64');
    expect(values(f)).toEqual([0.1, 0.2]);
  });
  it('from a flat array with a shape', () => {
    const x = tensor([1, 2, 3, 4], [2, 2]);
    expect(x.toArraySync()).toEqual([[1, 2], [3, 4]]);
    expect(tensor([1, 2, 3, 4], [2, 2], { dtype: 'int32' }).dtype).toBe('int32');
  });
  it('dtype option converts (float -> int truncates)', () => {
    expect(values(tensor([1.9, -1.9], { dtype: 'int32' }))).toEqual([1, -1]);
    expect(values(tensor(new Float32Array([1.5, 0]), { dtype: 'bool' }))).toEqual([1, 0]);
    expect(tensor([true, false], { dtype: 'float32' }).toArraySync()).toEqual([1, 0]);
  });
  it('the input array is copied', () => {
    const data = new Float32Array([1, 2]);
    const x = tensor(data);
    data[0] = 99;
    expect(values(x)).toEqual([1, 2]);
    const out = x.dataSync();
    out[1] = 42;
    expect(values(x)).toEqual([1, 2]);
  });
  it('empty arrays', () => {
    expect(tensor([]).shape).toEqual([0]);
    expect(tensor([]).dtype).toBe('float32');
    expect(tensor([[], []]).shape).toEqual([2, 0]);
    expect(tensor([], [0, 3]).shape).toEqual([0, 3]);
  });
  it('ragged input is a ShapeError naming the depth', () => {
    expectError(() => tensor([[1, 2], [3]]), ShapeError, 'tensor: ragged nested array: expected length 2 at depth 1, got 1');
    expectError(() => tensor([[1, 2], 3] as never), ShapeError, 'tensor: ragged nested array', 'depth 1');
    expectError(() => tensor([1, [2]] as never), ShapeError, 'tensor: ragged nested array: expected a number at depth 1, got an array');
    expectError(() => tensor(['a'] as never), ShapeError, 'got string');
  });
  it('shape mismatches and bad shapes', () => {
    expectError(() => tensor(new Float32Array(5), [2, 3]), ShapeError, 'tensor: 5 values do not fill shape [2,3] (6 elements)');
    expectError(() => tensor([1, 2], [-2, -1]), ShapeError, 'tensor: shape must hold non-negative integers');
  });
  it('requiresGrad option', () => {
    expect(tensor([1, 2], { requiresGrad: true }).requiresGrad).toBe(true);
    expect(tensor([1, 2]).requiresGrad).toBe(false);
    expectError(() => tensor([1], { dtype: 'int32', requiresGrad: true }), DTypeError, 'requiresGrad: only floating tensors');
  });
});

describe('scalar / full / zeros / ones / *Like', () => {
  it('scalar', () => {
    expect(scalar(2).shape).toEqual([]);
    expect(scalar(2).dtype).toBe('float32');
    expect(scalar(true).dtype).toBe('bool');
    expect(scalar(true).item()).toBe(true);
    expect(scalar(7, { dtype: 'int32' }).item()).toBe(7);
  });
  it('full / zeros / ones', () => {
    expect(values(full([2, 2], 3.5))).toEqual([3.5, 3.5, 3.5, 3.5]);
    expect(full([2], true).dtype).toBe('bool');
    expect(values(full([2], 2.7, { dtype: 'int32' }))).toEqual([2, 2]);
    expect(values(full([1], -2.7, { dtype: 'int32' }))).toEqual([-2]);
    expect(values(zeros([2, 3]))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(zeros([2, 3]).dtype).toBe('float32');
    expect(values(ones([3], { dtype: 'int32' }))).toEqual([1, 1, 1]);
    expect(ones([]).shape).toEqual([]);
    expect(values(ones([2], { dtype: 'bool' }))).toEqual([1, 1]);
    expect(values(full([2], NaN))[0]).toBeNaN();
    expectError(() => zeros([2, -1]), ShapeError, 'full: shape must hold non-negative integers, got [2,-1]');
    expectError(() => zeros([1.5]), ShapeError, 'full');
    expectError(() => full([1], 0, { dtype: 'int8' as never }), DTypeError, "full: unknown dtype 'int8'");
  });
  it('zerosLike / onesLike / fullLike keep shape and dtype unless told', () => {
    const x = tensor([[1, 2]], { dtype: 'int32' });
    const z = zerosLike(x);
    expect(z.shape).toEqual([1, 2]);
    expect(z.dtype).toBe('int32');
    expect(values(z)).toEqual([0, 0]);
    expect(onesLike(x, { dtype: 'float64' }).dtype).toBe('float64');
    expect(values(onesLike(x))).toEqual([1, 1]);
    expect(values(fullLike(tensor([1, 2, 3]), 4))).toEqual([4, 4, 4]);
    expect(z.backend).toBe(x.backend);
  });
});

describe('arange / linspace / eye', () => {
  it('arange with integers is int32', () => {
    const a = arange(5);
    expect(a.dtype).toBe('int32');
    expect(values(a)).toEqual([0, 1, 2, 3, 4]);
    expect(values(arange(2, 5))).toEqual([2, 3, 4]);
    expect(values(arange(0, 10, 3))).toEqual([0, 3, 6, 9]);
  });
  it('arange with floats is float32', () => {
    const a = arange(0, 1, 0.25);
    expect(a.dtype).toBe('float32');
    expect(values(a)).toEqual([0, 0.25, 0.5, 0.75]);
    expect(arange(0.5, 3).dtype).toBe('float32');
    expect(values(arange(0.5, 3))).toEqual([0.5, 1.5, 2.5]);
    expectClose(arange(0, 1, 0.1), [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9], { shape: [10] });
    expect(arange(3, undefined, 1, { dtype: 'float64' }).dtype).toBe('float64');
  });
  it('negative steps and empty ranges', () => {
    expect(values(arange(5, 0, -1))).toEqual([5, 4, 3, 2, 1]);
    expect(values(arange(1, -1, -0.5))).toEqual([1, 0.5, 0, -0.5]);
    expect(arange(0, 5, -1).shape).toEqual([0]);
    expect(arange(3, 3).shape).toEqual([0]);
  });
  it('arange errors', () => {
    expectError(() => arange(0, 5, 0), ArgumentError, 'arange: start, end and step must be finite and step non-zero, got (0, 5, 0)');
    expectError(() => arange(0, Infinity), ArgumentError, 'arange');
  });
  it('linspace includes both ends', () => {
    expect(values(linspace(0, 1, 5))).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(values(linspace(-1, 1, 3))).toEqual([-1, 0, 1]);
    expect(values(linspace(2, 2, 1))).toEqual([2]);
    expect(values(linspace(3, 7, 1))).toEqual([3]);
    expect(linspace(0, 1, 0).shape).toEqual([0]);
    const l = linspace(0, 1, 11, { dtype: 'float64' });
    expect(l.dtype).toBe('float64');
    expectClose(l, Array.from({ length: 11 }, (_, i) => i / 10), { atol: 1e-15 });
    expect(values(l)[10]).toBe(1);
    expectError(() => linspace(0, 1, -1), ArgumentError, 'linspace: steps must be a non-negative integer, got -1');
  });
  it('eye', () => {
    expect(eye(3).toArraySync()).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    expect(eye(2, 3).toArraySync()).toEqual([[1, 0, 0], [0, 1, 0]]);
    expect(eye(3, 2).toArraySync()).toEqual([[1, 0], [0, 1], [0, 0]]);
    expect(eye(2, 2, { dtype: 'int32' }).dtype).toBe('int32');
    expect(eye(0).shape).toEqual([0, 0]);
    expectError(() => eye(-1), ArgumentError, 'eye: sizes must be non-negative integers, got (-1, -1)');
  });
});
