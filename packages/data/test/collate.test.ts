import { describe, expect, it } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import { ArgumentError, ShapeError, tensor } from '@plexus/tensor';
import { defaultCollate } from '../src/index.js';
import { expectError, values } from './helpers.js';

describe('defaultCollate', () => {
  it('stacks tensors along a new first dim', () => {
    const b = defaultCollate([tensor([1, 2]), tensor([3, 4]), tensor([5, 6])]);
    expect(b.shape).toEqual([3, 2]);
    expect(values(b)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('turns numbers into float32 and booleans into bool', () => {
    const n = defaultCollate([1, 2.5, 3]);
    expect(n.dtype).toBe('float32');
    expect(values(n)).toEqual([1, 2.5, 3]);
    const b = defaultCollate([true, false]);
    expect(b.dtype).toBe('bool');
    expect(values(b)).toEqual([1, 0]);
  });

  it('keeps int32 scalars int32, so labels stay usable for crossEntropy', () => {
    const b = defaultCollate([tensor(3, { dtype: 'int32' }), tensor(7, { dtype: 'int32' })]);
    expect(b.dtype).toBe('int32');
    expect(b.shape).toEqual([2]);
  });

  it('stacks typed arrays into [batch, length] tensors of their type', () => {
    const b = defaultCollate([Int32Array.of(1, 2), Int32Array.of(3, 4)]);
    expect(b.dtype).toBe('int32');
    expect(b.shape).toEqual([2, 2]);
    expect(values(b)).toEqual([1, 2, 3, 4]);
  });

  it('recurses into tuples and plain objects, and keeps strings as arrays', () => {
    const samples: [Tensor, { y: number; name: string }][] = [
      [tensor([1]), { y: 0, name: 'a' }],
      [tensor([2]), { y: 1, name: 'b' }],
    ];
    const b = defaultCollate(samples);
    expect(b[0].shape).toEqual([2, 1]);
    expect(values(b[1].y)).toEqual([0, 1]);
    expect(b[1].name).toEqual(['a', 'b']);
  });

  it('names the sample and field that do not match', () => {
    expectError(() => defaultCollate([tensor([1, 2]), tensor([1, 2, 3])]), ShapeError, 'sample 1', '[3] float32', '[2] float32');
    expectError(() => defaultCollate([{ x: tensor([1]) }, { x: tensor([[1]]) }]), ShapeError, 'sample 1 at x');
    expectError(() => defaultCollate([{ a: 1 }, { b: 1 }]), ArgumentError, 'keys of sample 0');
    expectError(() => defaultCollate([1, 'x']), ArgumentError, 'sample 1', 'string');
    expectError(() => defaultCollate([]), ArgumentError, 'non-empty');
  });
});
