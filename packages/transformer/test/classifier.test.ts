import '@plexus/backend-js';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import { ArgumentError, DTypeError, ShapeError, manualSeed, randn, tensor } from '@plexus/tensor';
import { gradCheckModule } from '@plexus/nn';
import { TransformerClassifier } from '../src/index.js';

const values = (t: Tensor): number[] => Array.from(t.dataSync() as ArrayLike<number>);
function expectClose(a: Tensor, b: Tensor, tol: number): void {
  expect(a.shape).toEqual(b.shape);
  const y = values(b);
  expect(values(a).reduce((m, v, i) => Math.max(m, Math.abs(v - y[i])), 0)).toBeLessThanOrEqual(tol);
}

const base = { numClasses: 3, dModel: 8, nhead: 2, numLayers: 2, dropout: 0, maxLen: 6, dtype: 'float64' as const };

describe('TransformerClassifier', () => {
  it('maps tokens [N, L] to [N, C] for every pooling, and to [N, L, C] without pooling', () => {
    manualSeed(0);
    const x = tensor([[1, 2, 3, 4], [4, 3, 2, 0]], { dtype: 'int32' });
    for (const pooling of ['mean', 'max', 'cls'] as const) {
      expect(new TransformerClassifier({ ...base, vocabSize: 5, pooling }).forward(x).shape).toEqual([2, 3]);
    }
    expect(new TransformerClassifier({ ...base, vocabSize: 5, pooling: 'none' }).forward(x).shape).toEqual([2, 4, 3]);
    const feats = new TransformerClassifier({ ...base, inputDim: 3, positional: 'sinusoidal' });
    expect(feats.forward(randn([2, 5, 3], { dtype: 'float64' })).shape).toEqual([2, 3]);
    const cls = new TransformerClassifier({ ...base, vocabSize: 5, pooling: 'cls' });
    expect(cls.namedParameters().map(([n]) => n)).toContain('clsToken');
    // Positions: cls needs maxLen + 1 rows.
    expect((cls.pos as { maxLen: number }).maxLen).toBe(7);
  });

  it('without positions a mean-pooled encoder is a bag of tokens: permuting the input changes nothing', () => {
    manualSeed(1);
    const m = new TransformerClassifier({ ...base, vocabSize: 6, positional: 'none' });
    const a = m.forward(tensor([[1, 2, 3, 5]], { dtype: 'int32' }));
    expectClose(m.forward(tensor([[5, 3, 1, 2]], { dtype: 'int32' })), a, 1e-12);
    const p = new TransformerClassifier({ ...base, vocabSize: 6 });
    expect(values(p.forward(tensor([[5, 3, 1, 2]], { dtype: 'int32' })))).not.toEqual(values(p.forward(tensor([[1, 2, 3, 5]], { dtype: 'int32' }))));
  });

  it('padding tokens are ignored by attention and pooling', () => {
    manualSeed(2);
    for (const pooling of ['mean', 'max', 'cls'] as const) {
      const m = new TransformerClassifier({ ...base, vocabSize: 6, paddingIdx: 0, pooling });
      expect(values((m.embed as { weight: Tensor }).weight.narrow(0, 0, 1))).toEqual(new Array(8).fill(0));
      const short = m.forward(tensor([[3, 1, 4]], { dtype: 'int32' }));
      const padded = m.forward(tensor([[3, 1, 4, 0, 0]], { dtype: 'int32' }));
      expectClose(padded, short, 1e-12);
    }
    // An explicit mask works for feature inputs.
    const f = new TransformerClassifier({ ...base, inputDim: 2 });
    const x = randn([1, 4, 2], { dtype: 'float64' });
    const mask = tensor([[false, false, true, true]]);
    expectClose(f.forward(x, { keyPaddingMask: mask }), f.forward(x.narrow(1, 0, 2)), 1e-12);
  });

  it('passes gradCheck in float64 w.r.t. every parameter', () => {
    manualSeed(3);
    const m = new TransformerClassifier({ ...base, dModel: 4, numLayers: 1, vocabSize: 4, pooling: 'cls', dimFeedforward: 6 });
    const x = tensor([[1, 2, 0], [3, 3, 1]], { dtype: 'int32' });
    const r = gradCheckModule(m, [], () => m.forward(x));
    expect(r.message).toBe('ok');
  });

  it('rejects bad configs and inputs', () => {
    expect(() => new TransformerClassifier({ ...base })).toThrow('TransformerClassifier: give exactly one of vocabSize (token inputs) and inputDim (feature inputs)');
    expect(() => new TransformerClassifier({ ...base, vocabSize: 5, nhead: 3 })).toThrow('dModel (8) must be divisible by nhead (3)');
    expect(() => new TransformerClassifier({ ...base, vocabSize: 5, pooling: 'sum' as 'mean' })).toThrow(ArgumentError);
    expect(() => new TransformerClassifier({ ...base, inputDim: 3, paddingIdx: 0 })).toThrow(ArgumentError);
    const m = new TransformerClassifier({ ...base, vocabSize: 5 });
    expect(() => m.forward(tensor([[1.5, 2]]))).toThrow(DTypeError);
    expect(() => m.forward(tensor([1, 2], { dtype: 'int32' }))).toThrow('TransformerClassifier: expected tokens [N, L], got [2]');
    expect(() => m.forward(tensor([[1, 2, 3, 4, 1, 2, 3]], { dtype: 'int32' }))).toThrow('sequence length must be in [1, 6] (maxLen), got [1,7]');
    expect(() => m.forward(tensor([[1, 2]], { dtype: 'int32' }), { keyPaddingMask: tensor([[true]]) })).toThrow(ShapeError);
  });
});
