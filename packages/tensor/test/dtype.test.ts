import { describe, expect, it } from 'vitest';
import {
  DTypeError, add, arange, cast, div, isDType, isFloating, mul, promoteTypes, scalarDTypeFor, sub, tensor, where,
} from '@plexus/tensor';
import { values } from './helpers.js';

describe('dtype helpers', () => {
  it('promoteTypes follows bool < int32 < float32 < float64', () => {
    expect(promoteTypes('bool', 'int32')).toBe('int32');
    expect(promoteTypes('int32', 'float32')).toBe('float32');
    expect(promoteTypes('float32', 'float64')).toBe('float64');
    expect(promoteTypes('bool', 'bool')).toBe('bool');
    expect(promoteTypes('float64', 'int32')).toBe('float64');
  });
  it('scalarDTypeFor never widens a float tensor', () => {
    expect(scalarDTypeFor(0.5, 'float32')).toBe('float32');
    expect(scalarDTypeFor(2, 'int32')).toBe('int32');
    expect(scalarDTypeFor(2.5, 'int32')).toBe('float32');
    expect(scalarDTypeFor(2, 'bool')).toBe('int32');
    expect(scalarDTypeFor(true, 'int32')).toBe('int32');
  });
  it('isFloating / isDType', () => {
    expect(isFloating('float32')).toBe(true);
    expect(isFloating('float64')).toBe(true);
    expect(isFloating('int32')).toBe(false);
    expect(isDType('bool')).toBe(true);
    expect(isDType('float16')).toBe(false);
  });
});

describe('creation dtypes', () => {
  it('defaults: numbers float32, booleans bool, typed arrays their own type', () => {
    expect(tensor([1, 2]).dtype).toBe('float32');
    expect(tensor([true, false]).dtype).toBe('bool');
    expect(tensor(new Int32Array([1, 2])).dtype).toBe('int32');
    expect(tensor(new Float64Array([1, 2])).dtype).toBe('float64');
    expect(tensor(new Uint8Array([1, 0])).dtype).toBe('bool');
    expect(tensor([1.5, 2], { dtype: 'float64' }).dtype).toBe('float64');
  });
  it('float64 keeps double precision', () => {
    const x = tensor([0.1], { dtype: 'float64' });
    expect(values(x)[0]).toBe(0.1);
    expect(values(tensor([0.1]))[0]).toBe(Math.fround(0.1));
  });
  it('unknown dtype is a DTypeError', () => {
    expect(() => tensor([1], { dtype: 'float16' as never })).toThrow(DTypeError);
    expect(() => tensor([1], { dtype: 'float16' as never })).toThrow(/tensor: unknown dtype 'float16'/);
  });
});

describe('promotion in arithmetic', () => {
  const i = tensor([1, 2, 3], { dtype: 'int32' });
  const f = tensor([0.5, 1.5, 2.5]);
  const b = tensor([true, false, true]);
  const d = tensor([1, 2, 3], { dtype: 'float64' });

  it('int + float -> float32', () => {
    const y = add(i, f);
    expect(y.dtype).toBe('float32');
    expect(values(y)).toEqual([1.5, 3.5, 5.5]);
  });
  it('float32 * 0.5 stays float32; int * 0.5 becomes float32; int * 2 stays int32', () => {
    expect(mul(f, 0.5).dtype).toBe('float32');
    expect(mul(i, 0.5).dtype).toBe('float32');
    expect(values(mul(i, 0.5))).toEqual([0.5, 1, 1.5]);
    expect(mul(i, 2).dtype).toBe('int32');
    expect(values(mul(i, 2))).toEqual([2, 4, 6]);
  });
  it('float64 wins over float32 and int32', () => {
    expect(add(d, f).dtype).toBe('float64');
    expect(add(d, i).dtype).toBe('float64');
    expect(mul(d, 0.5).dtype).toBe('float64');
  });
  it('int / int is true division in float32', () => {
    const y = div(tensor([7, -7, 1], { dtype: 'int32' }), tensor([2, 2, 3], { dtype: 'int32' }));
    expect(y.dtype).toBe('float32');
    expect(values(y)).toEqual([3.5, -3.5, Math.fround(1 / 3)]);
    expect(div(i, 2).dtype).toBe('float32');
    expect(div(d, 2).dtype).toBe('float64');
  });
  it('bool arithmetic gives int32', () => {
    const y = add(b, b);
    expect(y.dtype).toBe('int32');
    expect(values(y)).toEqual([2, 0, 2]);
    expect(sub(b, 1).dtype).toBe('int32');
    expect(values(sub(b, 1))).toEqual([0, -1, 0]);
    expect(add(b, i).dtype).toBe('int32');
    expect(add(b, f).dtype).toBe('float32');
    expect(mul(b, 0.5).dtype).toBe('float32');
    expect(values(mul(b, 0.5))).toEqual([0.5, 0, 0.5]);
  });
  it('comparisons give bool', () => {
    expect(i.gt(1).dtype).toBe('bool');
    expect(values(i.gt(1))).toEqual([0, 1, 1]);
    expect(values(f.le(i))).toEqual([1, 1, 1]);
    expect(values(i.eq(tensor([1, 0, 3])))).toEqual([1, 0, 1]);
    expect(values(i.ne(2))).toEqual([1, 0, 1]);
    expect(values(i.lt(2.5))).toEqual([1, 1, 0]);
    expect(values(i.ge(2))).toEqual([0, 1, 1]);
    expect(b.eq(true).dtype).toBe('bool');
    expect(values(b.eq(true))).toEqual([1, 0, 1]);
  });
  it('where with a bool condition and number branches gives float32', () => {
    const y = where(b, 1, 0);
    expect(y.dtype).toBe('float32');
    expect(values(y)).toEqual([1, 0, 1]);
    expect(where(b, i, 0).dtype).toBe('int32');
    expect(where(b, i, f).dtype).toBe('float32');
  });
});

describe('cast', () => {
  it('float -> int truncates toward zero', () => {
    const y = cast(tensor([1.7, -1.7, 2.5, -2.5, 0.2, -0.2]), 'int32');
    expect(y.dtype).toBe('int32');
    expect(values(y)).toEqual([1, -1, 2, -2, 0, 0]);
    expect(values(tensor([3.9, -3.9], { dtype: 'float64' }).int())).toEqual([3, -3]);
  });
  it('-> bool is x != 0', () => {
    expect(values(cast(tensor([0, 0.1, -2, NaN]), 'bool'))).toEqual([0, 1, 1, 1]);
    expect(values(tensor([0, 5, -1], { dtype: 'int32' }).bool())).toEqual([0, 1, 1]);
  });
  it('bool -> number is 0/1; int -> float is exact', () => {
    expect(values(tensor([true, false]).float())).toEqual([1, 0]);
    expect(tensor([true, false]).int().dtype).toBe('int32');
    expect(values(tensor([16777217], { dtype: 'int32' }).double())).toEqual([16777217]);
    expect(values(tensor([16777217], { dtype: 'int32' }).float())).toEqual([16777216]);
  });
  it('float64 -> float32 rounds', () => {
    expect(values(tensor([0.1], { dtype: 'float64' }).float())).toEqual([Math.fround(0.1)]);
  });
  it('cast to the same dtype returns the tensor itself', () => {
    const x = tensor([1, 2]);
    expect(cast(x, 'float32')).toBe(x);
  });
  it('unknown dtype is a DTypeError naming cast', () => {
    expect(() => cast(tensor([1]), 'half' as never)).toThrow(DTypeError);
    expect(() => cast(tensor([1]), 'half' as never)).toThrow(/cast: unknown dtype 'half'/);
  });
  it('arange with integers is int32', () => {
    expect(arange(3).dtype).toBe('int32');
  });
});
