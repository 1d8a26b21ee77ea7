import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError, arange, fromData, randperm, Generator, tensor } from '@plexus/tensor';
import { Subset, TensorDataset, permutation } from '../src/index.js';
import { countingBackend, expectError, values } from './helpers.js';

describe('TensorDataset', () => {
  const x = arange(12).reshape([4, 3]).float();
  const y = tensor([10, 11, 12, 13], { dtype: 'int32' });

  it('get(i) returns the i-th slice of every tensor', () => {
    const ds = new TensorDataset(x, y);
    expect(ds.length).toBe(4);
    const [xi, yi] = ds.get(2);
    expect(xi.shape).toEqual([3]);
    expect(values(xi)).toEqual([6, 7, 8]);
    expect(yi.shape).toEqual([]);
    expect(yi.dtype).toBe('int32');
    expect(values(yi)).toEqual([12]);
  });

  it('getBatch(indices) gathers rows in the given order', () => {
    const [xb, yb] = new TensorDataset(x, y).getBatch([3, 0, 3]);
    expect(xb.shape).toEqual([3, 3]);
    expect(values(xb)).toEqual([9, 10, 11, 0, 1, 2, 9, 10, 11]);
    expect(values(yb)).toEqual([13, 10, 13]);
  });

  it('builds a batch of 128 images with one gather per tensor, not one slice per sample', () => {
    const { backend, calls } = countingBackend();
    const images = fromData('test', new Float32Array(200 * 784), [200, 1, 28, 28], { backend });
    const labels = fromData('test', new Int32Array(200), [200], { backend });
    const ds = new TensorDataset(images, labels);
    calls.clear();
    const [xb, yb] = ds.getBatch(Array.from({ length: 128 }, (_, i) => 199 - i));
    expect(xb.shape).toEqual([128, 1, 28, 28]);
    expect(yb.shape).toEqual([128]);
    expect(calls.get('gather')).toBe(2);
    expect(calls.get('slice') ?? 0).toBe(0);
  });

  it('rejects mismatched first dims, scalars and bad indices', () => {
    expectError(() => new TensorDataset(x, tensor([1, 2, 3])), ShapeError, 'TensorDataset', '[4,3]', '[3]');
    expectError(() => new TensorDataset(tensor(1)), ShapeError, 'scalar');
    expectError(() => new TensorDataset(), ArgumentError, 'at least one');
    expectError(() => new TensorDataset(x).get(4), ArgumentError, 'index 4', 'length 4');
    expectError(() => new TensorDataset(x).getBatch([0, -1]), ArgumentError, 'index -1');
  });
});

describe('Subset', () => {
  it('maps indices to the parent and forwards getBatch', () => {
    const ds = new TensorDataset(arange(5).float());
    const sub = new Subset(ds, [4, 1]);
    expect(sub.length).toBe(2);
    expect(values(sub.get(0)[0])).toEqual([4]);
    expect(values(sub.getBatch([1, 0])[0])).toEqual([1, 4]);
  });

  it('collates get() samples when the parent has no getBatch', () => {
    const plain = { length: 3, get: (i: number) => ({ v: i * 2 }) };
    const sub = new Subset(plain, [2, 0]);
    expect(values(sub.getBatch([0, 1]).v)).toEqual([4, 0]);
  });

  it('rejects indices outside the parent', () => {
    expectError(() => new Subset(new TensorDataset(arange(3).float()), [0, 3]), ArgumentError, 'index 3', 'length 3');
  });
});

describe('permutation', () => {
  it('draws exactly what randperm draws from the same generator', () => {
    for (const n of [0, 1, 2, 17, 100]) {
      expect(Array.from(permutation(n, new Generator(7)))).toEqual(values(randperm(n, { generator: new Generator(7) })));
    }
  });
});
