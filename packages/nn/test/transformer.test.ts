import './helpers.js';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import { ArgumentError, ShapeError, randn, tensor } from '@plexus/tensor';
import {
  LayerNorm, Linear, TransformerDecoder, TransformerDecoderLayer, TransformerEncoder, TransformerEncoderLayer,
} from '../src/index.js';
import { expectClose, expectLayerGradOk, randn64, values } from './helpers.js';

const small = { dimFeedforward: 6, dropout: 0, dtype: 'float64' as const };

/** Non-zero LayerNorm affine and biases, so that a wrong wiring shows. */
function randomise<T extends { stateDict(): Record<string, Tensor>; loadStateDict(d: Record<string, Tensor>): unknown }>(m: T, seed = 50): T {
  const fill: Record<string, Tensor> = {};
  for (const [n, t] of Object.entries(m.stateDict())) fill[n] = randn64(seed++, [...t.shape]).mul(0.5).add(n.includes('norm') && n.endsWith('weight') ? 1 : 0);
  m.loadStateDict(fill);
  return m;
}

describe('TransformerEncoderLayer', () => {
  it("has PyTorch's submodules and parameter names", () => {
    const layer = new TransformerEncoderLayer(8, 2);
    expect(layer.namedParameters().map(([n]) => n)).toEqual([
      'selfAttn.inProjWeight', 'selfAttn.inProjBias', 'selfAttn.outProj.weight', 'selfAttn.outProj.bias',
      'linear1.weight', 'linear1.bias', 'linear2.weight', 'linear2.bias', 'norm1.weight', 'norm1.bias', 'norm2.weight', 'norm2.bias',
    ]);
    expect(layer.linear1.outFeatures).toBe(2048);
    expect(layer.dropout.p).toBe(0.1);
  });

  it('post-norm: norm2(h + ff(h)), h = norm1(x + sa(x)); pre-norm: h = x + sa(norm1(x)), h + ff(norm2(h))', () => {
    const x = randn64(1, [3, 2, 4]);
    for (const activation of ['relu', 'gelu'] as const) {
      const post = randomise(new TransformerEncoderLayer(4, 2, { ...small, activation }));
      const sa = (t: Tensor) => post.selfAttn.forward(t, t, t)[0];
      const act = (t: Tensor) => (activation === 'relu' ? t.relu() : t.gelu());
      const ff = (t: Tensor) => post.linear2.forward(act(post.linear1.forward(t)));
      const h = post.norm1.forward(x.add(sa(x)));
      expectClose(post.forward(x), post.norm2.forward(h.add(ff(h))), 1e-12);
      const pre = new TransformerEncoderLayer(4, 2, { ...small, activation, normFirst: true });
      pre.loadStateDict(post.stateDict());
      const h2 = x.add(sa(post.norm1.forward(x)));
      expectClose(pre.forward(x), h2.add(ff(post.norm2.forward(h2))), 1e-12);
    }
  });

  it('padded keys do not influence the other positions; causal positions do not see the future', () => {
    const layer = randomise(new TransformerEncoderLayer(4, 2, { ...small, batchFirst: true }));
    const x = randn64(2, [2, 4, 4]);
    const pad = tensor([[false, false, false, true], [false, false, true, true]]);
    const y = layer.forward(x, { srcKeyPaddingMask: pad });
    const changed = x.add(pad.cast('float64').unsqueeze(2).mul(7));
    const y2 = layer.forward(changed, { srcKeyPaddingMask: pad });
    expectClose(y.narrow(0, 0, 1).narrow(1, 0, 3), y2.narrow(0, 0, 1).narrow(1, 0, 3), 1e-12);
    expectClose(y.narrow(0, 1, 1).narrow(1, 0, 2), y2.narrow(0, 1, 1).narrow(1, 0, 2), 1e-12);
    expect(values(y.narrow(0, 0, 1).narrow(1, 3, 1))).not.toEqual(values(y2.narrow(0, 0, 1).narrow(1, 3, 1)));
    const c = layer.forward(x, { isCausal: true });
    const future = x.add(tensor([0, 0, 1, 1], { dtype: 'float64' }).reshape([1, 4, 1]).mul(3));
    expectClose(c.narrow(1, 0, 2), layer.forward(future, { isCausal: true }).narrow(1, 0, 2), 1e-12);
    // The same through srcMask.
    const mask = tensor([[false, true, true, true], [false, false, true, true], [false, false, false, true], [false, false, false, false]]);
    expectClose(layer.forward(x, { srcMask: mask }), c, 1e-12);
  });

  it('dropout only in training mode', () => {
    const layer = new TransformerEncoderLayer(4, 2, { dimFeedforward: 8 });
    const x = randn([3, 2, 4]);
    layer.eval();
    expectClose(layer.forward(x), layer.forward(x), 0);
    layer.train();
    expect(values(layer.forward(x))).not.toEqual(values(layer.forward(x)));
  });

  it('passes gradCheck in float64 (post-norm and pre-norm, with a padding mask)', () => {
    const pad = tensor([[false, false, true], [false, false, false]]);
    for (const normFirst of [false, true]) {
      const layer = randomise(new TransformerEncoderLayer(4, 2, { ...small, normFirst, activation: 'gelu', batchFirst: true }));
      expectLayerGradOk(layer, [randn64(3, [2, 3, 4])], (x) => layer.forward(x, { srcKeyPaddingMask: pad }));
    }
  });

  it('rejects nhead not dividing dModel, wrong ranks and bad options', () => {
    expect(() => new TransformerEncoderLayer(10, 4)).toThrow(ArgumentError);
    expect(() => new TransformerEncoderLayer(10, 4)).toThrow('TransformerEncoderLayer: dModel (10) must be divisible by nhead (4)');
    expect(() => new TransformerEncoderLayer(8, 2, { activation: 'tanh' as 'relu' })).toThrow(ArgumentError);
    expect(() => new TransformerEncoderLayer(8, 2, { dropout: -0.1 })).toThrow(ArgumentError);
    const layer = new TransformerEncoderLayer(8, 2, { dimFeedforward: 4 });
    expect(() => layer.forward(randn([2, 3]))).toThrow(ShapeError);
    expect(() => layer.forward(randn([2, 3, 1, 8]))).toThrow('TransformerEncoderLayer: expected src [L, N, 8] or unbatched [L, 8], got [2,3,1,8]');
    expect(() => layer.forward(randn([2, 3, 8]), { srcKeyPaddingMask: tensor([[true, false]]) })).toThrow('expected keyPaddingMask [3,2]');
  });
});

describe('TransformerDecoderLayer', () => {
  it('post-norm and pre-norm follow PyTorch: self-attention, cross-attention over memory, feed-forward', () => {
    const tgt = randn64(4, [3, 2, 4]);
    const mem = randn64(5, [5, 2, 4]);
    const post = randomise(new TransformerDecoderLayer(4, 2, small));
    expect(post.namedParameters().map(([n]) => n).filter((n) => n.startsWith('multiheadAttn')).length).toBe(4);
    const sa = (t: Tensor) => post.selfAttn.forward(t, t, t, { isCausal: true })[0];
    const ca = (t: Tensor) => post.multiheadAttn.forward(t, mem, mem)[0];
    const ff = (t: Tensor) => post.linear2.forward(post.linear1.forward(t).relu());
    let h = post.norm1.forward(tgt.add(sa(tgt)));
    h = post.norm2.forward(h.add(ca(h)));
    expectClose(post.forward(tgt, mem, { tgtIsCausal: true }), post.norm3.forward(h.add(ff(h))), 1e-12);
    const pre = new TransformerDecoderLayer(4, 2, { ...small, normFirst: true });
    pre.loadStateDict(post.stateDict());
    let g = tgt.add(sa(post.norm1.forward(tgt)));
    g = g.add(ca(post.norm2.forward(g)));
    expectClose(pre.forward(tgt, mem, { tgtIsCausal: true }), g.add(ff(post.norm3.forward(g))), 1e-12);
  });

  it('padded memory positions do not influence the output', () => {
    const layer = randomise(new TransformerDecoderLayer(4, 2, { ...small, batchFirst: true }));
    const tgt = randn64(6, [2, 2, 4]);
    const mem = randn64(7, [2, 3, 4]);
    const pad = tensor([[false, true, false], [false, false, true]]);
    const y = layer.forward(tgt, mem, { memoryKeyPaddingMask: pad });
    const y2 = layer.forward(tgt, mem.add(pad.cast('float64').unsqueeze(2).mul(-4)), { memoryKeyPaddingMask: pad });
    expectClose(y, y2, 1e-12);
    expect(values(layer.forward(tgt, mem))).not.toEqual(values(y));
  });

  it('passes gradCheck in float64 w.r.t. tgt, memory and every parameter', () => {
    for (const normFirst of [false, true]) {
      const layer = randomise(new TransformerDecoderLayer(4, 2, { ...small, normFirst }));
      expectLayerGradOk(layer, [randn64(8, [2, 1, 4]), randn64(9, [3, 1, 4])], (t, m) => layer.forward(t, m, { tgtIsCausal: true }));
    }
  });

  it('rejects mismatched ranks', () => {
    const layer = new TransformerDecoderLayer(4, 2, { dimFeedforward: 4 });
    expect(() => layer.forward(randn([2, 1, 4]), randn([3, 4]))).toThrow('TransformerDecoderLayer: tgt and memory must both be batched or both unbatched, got [2,1,4] and [3,4]');
    expect(() => layer.forward(randn([2, 1, 4]), randn([3, 1, 5]))).toThrow(ShapeError);
  });
});

describe('TransformerEncoder / TransformerDecoder', () => {
  it('stacks clones of one layer (equal weights, separate parameters) and applies the final norm', () => {
    const layer = randomise(new TransformerEncoderLayer(4, 2, small));
    const enc = new TransformerEncoder(layer, 3, { norm: new LayerNorm(4, { dtype: 'float64' }) });
    expect(enc.layers.length).toBe(3);
    expect(enc.namedParameters().map(([n]) => n)).toContain('layers.2.selfAttn.inProjWeight');
    expect(enc.namedParameters().map(([n]) => n)).toContain('norm.weight');
    expect(enc.layers.at(1).linear1.weight).not.toBe(layer.linear1.weight);
    expectClose(enc.layers.at(2).linear1.weight, layer.linear1.weight, 0);
    const x = randn64(10, [3, 2, 4]);
    const pad = tensor([[false, false, true], [false, false, false]]);
    let want = x;
    for (const l of enc.layers) want = l.forward(want, { srcKeyPaddingMask: pad });
    expectClose(enc.forward(x, { srcKeyPaddingMask: pad }), (enc.norm as LayerNorm).forward(want), 1e-12);
  });

  it('builds independent layers from a factory', () => {
    const dec = new TransformerDecoder(() => new TransformerDecoderLayer(4, 2, small), 2);
    const [a, b] = [...dec.layers];
    expect(values(a.linear1.weight)).not.toEqual(values(b.linear1.weight));
    const tgt = randn64(11, [2, 1, 4]);
    const mem = randn64(12, [3, 1, 4]);
    expectClose(dec.forward(tgt, mem, { tgtIsCausal: true }), b.forward(a.forward(tgt, mem, { tgtIsCausal: true }), mem, { tgtIsCausal: true }), 1e-12);
    expect(dec.norm).toBeNull();
  });

  it('passes gradCheck in float64 through a two-layer encoder', () => {
    const enc = new TransformerEncoder((i) => randomise(new TransformerEncoderLayer(4, 2, { ...small, normFirst: true }), 60 + 40 * i), 2);
    expectLayerGradOk(enc, [randn64(13, [2, 1, 4])]);
  });

  it('rejects bad layer counts, layers and norms', () => {
    const layer = new TransformerEncoderLayer(4, 2, { dimFeedforward: 4 });
    expect(() => new TransformerEncoder(layer, 0)).toThrow('TransformerEncoder: numLayers must be a positive integer, got 0');
    expect(() => new TransformerEncoder(() => new Linear(4, 4) as unknown as TransformerEncoderLayer, 2)).toThrow(
      'TransformerEncoder: layer 0 must be a TransformerEncoderLayer, got Linear',
    );
    expect(() => new TransformerDecoder(layer as unknown as TransformerDecoderLayer, 1)).toThrow(ArgumentError);
    expect(() => new TransformerEncoder(layer, 1, { norm: 3 as unknown as LayerNorm })).toThrow(ArgumentError);
  });
});
