import './helpers.js';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import { ArgumentError, DTypeError, manualSeed, tensor } from '@plexus/tensor';
import { Embedding } from '../src/index.js';
import { expectLayerGradOk, f64, i32, values } from './helpers.js';

describe('Embedding', () => {
  it('looks up rows for int32 indices of any shape', () => {
    const emb = new Embedding(4, 2, { dtype: 'float64' });
    emb.loadStateDict({ weight: f64([[0, 1], [10, 11], [20, 21], [30, 31]]) });
    const y = emb.forward(i32([[3, 0, 1], [1, 1, 2]]));
    expect(y.shape).toEqual([2, 3, 2]);
    expect(values(y)).toEqual([30, 31, 0, 1, 10, 11, 10, 11, 10, 11, 20, 21]);
    expect(emb.forward(i32(2)).shape).toEqual([2]);
  });

  it('accumulates gradients per row, and the paddingIdx row gets none', () => {
    manualSeed(0);
    const emb = new Embedding(5, 3, { paddingIdx: 1 });
    expect(values(emb.weight).slice(3, 6)).toEqual([0, 0, 0]);
    const y = emb.forward(i32([[1, 2, 1], [4, 2, 0]]));
    expect(values(y).slice(0, 3)).toEqual([0, 0, 0]);
    y.sum().backward();
    const g = (emb.weight.grad as Tensor).toArraySync();
    expect(g).toEqual([[1, 1, 1], [0, 0, 0], [2, 2, 2], [0, 0, 0], [1, 1, 1]]);
  });

  it('paddingIdx may count from the end; its row keeps a loaded value but stays without gradient', () => {
    const emb = new Embedding(3, 2, { paddingIdx: -1 });
    expect(emb.paddingIdx).toBe(2);
    emb.loadStateDict({ weight: tensor([[1, 1], [2, 2], [5, 5]]) });
    const y = emb.forward(i32([2, 0]));
    expect(values(y)).toEqual([5, 5, 1, 1]);
    y.mul(y).sum().backward();
    expect((emb.weight.grad as Tensor).toArraySync()).toEqual([[2, 2], [0, 0], [0, 0]]);
  });

  it('passes gradCheck in float64 w.r.t. the weight', () => {
    const emb = new Embedding(4, 3, { paddingIdx: 0, dtype: 'float64' });
    const idx = i32([[0, 3], [3, 2]]);
    expectLayerGradOk(emb, [idx], (i) => emb.forward(i).square());
  });

  it('rejects non-int32 and out-of-range indices, and a bad paddingIdx', () => {
    const emb = new Embedding(4, 2);
    expect(() => emb.forward(tensor([1, 2]))).toThrow(DTypeError);
    expect(() => emb.forward(i32([1, 4]))).toThrow(ArgumentError);
    expect(() => emb.forward(i32([1, 4]))).toThrow('Embedding: index 4 is out of range for 4 embeddings (at flat position 1 of [2])');
    expect(() => new Embedding(4, 2, { paddingIdx: 4 })).toThrow(/paddingIdx must be an integer in \[-4, 4\)/);
  });
});
