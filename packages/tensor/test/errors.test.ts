import { describe, expect, it } from 'vitest';
import {
  ArgumentError, BackendError, DTypeError, PlexusError, ShapeError, add, arange, concat, expand, gather, mean, permute,
  reshape, slice, sum, tensor, zeros,
} from '@plexus/tensor';
import { expectError } from './helpers.js';

describe('error classes', () => {
  it('are PlexusErrors and Errors, named after their class', () => {
    for (const Cls of [ShapeError, DTypeError, BackendError, ArgumentError]) {
      const e = new Cls('x');
      expect(e).toBeInstanceOf(PlexusError);
      expect(e).toBeInstanceOf(Error);
      expect(e.name).toBe(Cls.name);
    }
  });
});

describe('errors name the op and what it got', () => {
  const x = arange(6).reshape([2, 3]).float();
  it('permute with wrong dims', () => {
    expectError(() => permute(x, [0]), ShapeError, 'permute:', '[2,3]', '[0]');
    expectError(() => x.permute([1, 1]), ArgumentError, 'permute: repeated dim');
  });
  it('gather with a float index is a DTypeError', () => {
    expectError(() => gather(x, 1, tensor([[0, 1], [1, 0]])), DTypeError, 'gather: index must be int32, got float32');
  });
  it('an out-of-range index is an ArgumentError naming the index and the size', () => {
    expectError(() => gather(x, 0, tensor([[2, 0, 0]], { dtype: 'int32' })), ArgumentError, 'gather:', 'index 2', 'size 2');
    expectError(() => x.indexSelect(1, tensor([0, 7], { dtype: 'int32' })), ArgumentError, 'indexSelect:', 'index 7', 'size 3', 'flat position 1');
  });
  it('concat with mismatched shapes', () => {
    expectError(() => concat([x, zeros([2, 2])], 0), ShapeError, 'concat:', 'dimension 0', '[2,3], [2,2]');
  });
  it('expand to an impossible shape', () => {
    expectError(() => expand(x, [4, 3]), ShapeError, 'expand: cannot expand [2,3] to [4,3]');
  });
  it('slice with a bad step', () => {
    expectError(() => slice(x, 1, 0, 3, 0), ArgumentError, 'slice: step must be an integer >= 1, got 0');
    expectError(() => x.slice(1, 0, 3, 1.5), ArgumentError, 'slice: step');
  });
  it('reshape names both shapes', () => {
    expectError(() => reshape(x, [4, 2]), ShapeError, 'reshape: cannot reshape [2,3] (6 elements) into [4,2]');
  });
  it('broadcasting failures name the op and the shapes', () => {
    expectError(() => add(x, zeros([2])), ShapeError, 'add: shapes [2,3] and [2] cannot be broadcast together');
  });
  it('non-tensor inputs name the op and the type', () => {
    expectError(() => sum([1, 2] as never), ArgumentError, 'sum: expected input to be a Tensor, got object');
    expectError(() => mean(undefined as never), ArgumentError, 'mean: expected input to be a Tensor, got undefined');
    expectError(() => x.matmul(3 as never), ArgumentError, 'matmul: expected other to be a Tensor, got number');
  });
  it('requiresGrad on integer tensors is a DTypeError', () => {
    expectError(() => (arange(3).requiresGrad = true), DTypeError, 'requiresGrad: only floating tensors can require gradients, got int32');
  });
  it('backward without autograd loaded says what to import', () => {
    expectError(() => tensor([1], { requiresGrad: true }).sum().backward(), BackendError, "import '@plexus/autograd'");
  });
});
