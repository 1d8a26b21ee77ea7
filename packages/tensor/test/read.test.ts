import { describe, expect, it } from 'vitest';
import { ArgumentError, arange, formatTensor, ones, scalar, tensor, zeros } from '@plexus/tensor';
import { expectError } from './helpers.js';

describe('reading values', () => {
  it('toArray (async) and toArraySync give nested arrays', async () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    await expect(x.toArray()).resolves.toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(x.toArraySync()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(arange(8).reshape([2, 2, 2]).toArraySync()).toEqual([[[0, 1], [2, 3]], [[4, 5], [6, 7]]]);
    await expect(tensor([true, false]).toArray()).resolves.toEqual([true, false]);
    await expect(scalar(4).toArray()).resolves.toBe(4);
    expect(zeros([2, 0]).toArraySync()).toEqual([[], []]);
    expect(zeros([0, 2]).toArraySync()).toEqual([]);
  });
  it('data() and dataSync() give a typed array of the dtype', async () => {
    expect(tensor([1, 2]).dataSync()).toBeInstanceOf(Float32Array);
    expect(tensor([1, 2], { dtype: 'float64' }).dataSync()).toBeInstanceOf(Float64Array);
    expect(arange(3).dataSync()).toBeInstanceOf(Int32Array);
    expect(tensor([true]).dataSync()).toBeInstanceOf(Uint8Array);
    const d = await tensor([1.5, 2.5]).data();
    expect(Array.from(d)).toEqual([1.5, 2.5]);
  });
  it('item() of a one-element tensor of any shape', () => {
    expect(scalar(2.5).item()).toBe(2.5);
    expect(tensor([[7]]).item()).toBe(7);
    expect(tensor([true]).item()).toBe(true);
    expect(tensor([0], { dtype: 'int32' }).item()).toBe(0);
    expectError(() => ones([2]).item(), ArgumentError, 'item: expected a tensor with one element, got [2] float32');
  });
  it('shape, rank, ndim, size', () => {
    const x = zeros([2, 3, 4]);
    expect(x.shape).toEqual([2, 3, 4]);
    expect(x.rank).toBe(3);
    expect(x.ndim).toBe(3);
    expect(x.size).toBe(24);
    expect(Object.isFrozen(x.shape)).toBe(true);
    expect(x.describe()).toBe('[2,3,4] float32');
  });
});

describe('toString', () => {
  it('is readable: tensor(...) with the values and the dtype', () => {
    const s = tensor([[1, 2.5], [3, -4]]).toString();
    expect(s).toContain('tensor(');
    expect(s).toContain('2.5000');
    expect(s).toContain('-4.0000');
    expect(s).toContain('dtype=float32');
    expect(s).toBe('tensor([[ 1.0000,  2.5000],\n        [ 3.0000, -4.0000]], dtype=float32)');
    expect(String(arange(3))).toBe('tensor([0, 1, 2], dtype=int32)');
    expect(String(tensor([true, false]))).toContain('true');
    expect(String(scalar(3))).toBe('tensor(3.0000, dtype=float32)');
    expect(formatTensor(tensor([1]))).toBe(String(tensor([1])));
  });
  it('prints special and very small/large values', () => {
    const s = String(tensor([NaN, Infinity, -Infinity, 1e-8, 1e7]));
    for (const part of ['nan', 'inf', '-inf', '1.0000e-8', '1.0000e+7']) expect(s).toContain(part);
  });
  it('summarises large tensors with "..."', () => {
    const s = String(arange(5000));
    expect(s).toContain('...');
    expect(s).toContain('4999');
    expect(s).not.toContain('2500');
    expect(s.length).toBeLessThan(200);
    const m = String(arange(2000).reshape([40, 50]));
    expect(m).toContain('...');
    expect(m.split('\n').length).toBeLessThan(10);
    expect(String(arange(100))).not.toContain('...');
  });
  it('marks requiresGrad and disposed tensors', () => {
    expect(String(tensor([1], { requiresGrad: true }))).toContain('requiresGrad=true');
    const x = tensor([1, 2]);
    x.dispose();
    expect(String(x)).toContain('disposed');
    expect(String(x)).toContain('[2]');
  });
});

describe('printing empty tensors', () => {
  it('shows the shape, like PyTorch', () => {
    expect(zeros([0, 3]).toString()).toBe('tensor([], size=[0,3], dtype=float32)');
  });
});
