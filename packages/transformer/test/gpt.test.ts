import '@plexus/backend-js';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import { ArgumentError, DTypeError, ShapeError, concat, isGradEnabled, manualSeed, randint, tensor } from '@plexus/tensor';
import { gradCheckModule } from '@plexus/nn';
import { GPT, KVCache, causalMaskWithPast, sequenceCrossEntropy } from '../src/index.js';

const values = (t: Tensor): number[] => Array.from(t.dataSync() as ArrayLike<number>);
function expectClose(a: Tensor, b: Tensor, tol: number): void {
  expect(a.shape).toEqual(b.shape);
  const x = values(a);
  const y = values(b);
  const worst = x.reduce((m, v, i) => Math.max(m, Math.abs(v - y[i])), 0);
  expect(worst).toBeLessThanOrEqual(tol);
}

const tiny = { vocabSize: 7, blockSize: 8, nLayer: 2, nHead: 2, nEmbd: 8 };

describe('GPT', () => {
  it("has nanoGPT's modules, tied embeddings and GPT-2 initialisation", () => {
    manualSeed(0);
    const m = new GPT({ vocabSize: 50, blockSize: 16, nLayer: 2, nHead: 2, nEmbd: 32 });
    const names = m.namedParameters().map(([n]) => n);
    expect(names.slice(0, 4)).toEqual(['wte.weight', 'wpe.weight', 'h.0.ln1.weight', 'h.0.ln1.bias']);
    expect(names).toContain('h.1.attn.cAttn.weight');
    expect(names).toContain('h.1.mlp.cProj.bias');
    expect(names).not.toContain('lmHead.weight');
    expect(m.lmHead.weight).toBe(m.wte.weight);
    // 50·32 + 16·32 + 2·(4·32 + (32·96 + 96) + (32·32 + 32) + (32·128 + 128) + (128·32 + 32)) + 2·32
    expect(m.numParameters()).toBe(1600 + 512 + 2 * (128 + 3168 + 1056 + 4224 + 4128) + 64);
    expect(m.numParams()).toBe(m.numParameters() - 512);
    const std = (t: Tensor) => {
      const v = values(t);
      const mu = v.reduce((a, b) => a + b, 0) / v.length;
      return Math.sqrt(v.reduce((a, b) => a + (b - mu) ** 2, 0) / v.length);
    };
    expect(std(m.wte.weight)).toBeCloseTo(0.02, 2);
    expect(std(m.h.at(0).mlp.cFc.weight)).toBeCloseTo(0.02, 2);
    expect(std(m.h.at(0).attn.cProj.weight)).toBeCloseTo(0.01, 2); // 0.02 / √(2·2)
    expect(values(m.h.at(0).attn.cAttn.bias as Tensor).every((x) => x === 0)).toBe(true);
    const untied = new GPT({ ...tiny, tieWeights: false });
    expect(untied.namedParameters().map(([n]) => n)).toContain('lmHead.weight');
  });

  it('gives logits [B, T, V] and is causal: position t never sees later tokens', () => {
    manualSeed(1);
    const m = new GPT({ ...tiny, dtype: 'float64' });
    const idx = tensor([[1, 2, 3, 4, 5], [6, 5, 4, 3, 2]], { dtype: 'int32' });
    const y = m.forward(idx);
    expect(y.shape).toEqual([2, 5, 7]);
    const changed = tensor([[1, 2, 3, 0, 0], [6, 5, 4, 1, 1]], { dtype: 'int32' });
    expectClose(m.forward(changed).narrow(1, 0, 3), y.narrow(1, 0, 3), 1e-12);
    expect(values(m.forward(changed).narrow(1, 3, 1))).not.toEqual(values(y.narrow(1, 3, 1)));
  });

  it('with a KV cache, a prompt then one token at a time (or a chunk) gives the same logits as the full pass', () => {
    manualSeed(2);
    const m = new GPT({ ...tiny, dtype: 'float64' }).eval();
    const idx = tensor([[1, 2, 3, 4, 5, 6, 0], [3, 3, 2, 1, 0, 6, 5]], { dtype: 'int32' });
    const full = m.forward(idx);
    const cache = m.createCache();
    const parts = [m.forward(idx.narrow(1, 0, 3), { cache })];
    expect(cache.length).toBe(3);
    parts.push(m.forward(idx.narrow(1, 3, 1), { cache }));
    parts.push(m.forward(idx.narrow(1, 4, 3), { cache })); // a chunk after cached positions
    expect(cache.length).toBe(7);
    expectClose(concat(parts, 1), full, 1e-10);
    expect((cache.layers[1] as { k: Tensor }).k.shape).toEqual([2, 2, 7, 4]);
    cache.reset();
    expect(cache.length).toBe(0);
    expect(() => m.forward(idx.narrow(1, 0, 2), { cache: new KVCache(3) })).toThrow('GPT: the cache has 3 layers, the model 2');
  });

  it('causalMaskWithPast lets query i see keys 0..past + i', () => {
    const mask = causalMaskWithPast(2, 3, tensor([0]));
    expect(mask?.toArraySync()).toEqual([[false, false, false, false, true], [false, false, false, false, false]]);
    expect(causalMaskWithPast(1, 3, tensor([0]))).toBeNull();
  });

  it('passes gradCheck in float64 (untied weights, through the loss)', () => {
    manualSeed(3);
    const m = new GPT({ vocabSize: 5, blockSize: 4, nLayer: 1, nHead: 2, nEmbd: 4, tieWeights: false, dtype: 'float64' });
    const idx = tensor([[0, 3, 1, 4], [2, 2, 0, 1]], { dtype: 'int32' });
    const target = tensor([[3, 1, 4, 0], [2, 0, 1, 3]], { dtype: 'int32' });
    const r = gradCheckModule(m, [], () => sequenceCrossEntropy(m.forward(idx), target));
    expect(r.message).toBe('ok');
  });

  it('the tied embedding receives the gradient of both its uses', () => {
    manualSeed(4);
    const tied = new GPT({ ...tiny, dtype: 'float64' });
    const untied = new GPT({ ...tiny, tieWeights: false, dtype: 'float64' });
    const sd = tied.stateDict();
    untied.loadStateDict({ ...sd, 'lmHead.weight': sd['wte.weight'] });
    const idx = randint(0, 7, [2, 6]);
    const tgt = randint(0, 7, [2, 6]);
    sequenceCrossEntropy(tied.forward(idx), tgt).backward();
    sequenceCrossEntropy(untied.forward(idx), tgt).backward();
    expectClose(tied.wte.weight.grad as Tensor, (untied.wte.weight.grad as Tensor).add(untied.lmHead.weight.grad as Tensor), 1e-12);
  });

  it('learns a repeating sequence (the loss falls) with plain SGD steps', () => {
    manualSeed(5);
    const m = new GPT({ vocabSize: 4, blockSize: 8, nLayer: 1, nHead: 2, nEmbd: 16 });
    const seq = [0, 1, 2, 3, 0, 1, 2, 3, 0];
    const x = tensor([seq.slice(0, 8)], { dtype: 'int32' });
    const y = tensor([seq.slice(1)], { dtype: 'int32' });
    const first = sequenceCrossEntropy(m.forward(x), y).item() as number;
    for (let i = 0; i < 60; i++) {
      m.zeroGrad();
      const loss = sequenceCrossEntropy(m.forward(x), y);
      loss.backward();
      for (const p of m.parameters()) p.assign(p.sub((p.grad as Tensor).mul(0.5)));
    }
    const last = sequenceCrossEntropy(m.forward(x), y).item() as number;
    expect(first).toBeGreaterThan(1.2);
    expect(last).toBeLessThan(0.3);
    expect(isGradEnabled()).toBe(true);
  });

  it('rejects bad configs and inputs', () => {
    expect(() => new GPT({ ...tiny, nHead: 3 })).toThrow('GPT: nEmbd (8) must be divisible by nHead (3)');
    expect(() => new GPT({ ...tiny, blockSize: 0 })).toThrow(ArgumentError);
    expect(() => new GPT({ ...tiny, dropout: 1 })).toThrow(ArgumentError);
    const m = new GPT(tiny);
    expect(() => m.forward(tensor([[1, 2]]))).toThrow(DTypeError);
    expect(() => m.forward(tensor([1, 2], { dtype: 'int32' }))).toThrow('GPT: expected idx [B, T] with T >= 1, got [2]');
    expect(() => m.forward(randint(0, 7, [1, 9]))).toThrow('GPT: 9 positions exceed blockSize 8 (idx [1,9])');
    const cache = m.createCache();
    m.forward(randint(0, 7, [1, 6]), { cache });
    expect(() => m.forward(randint(0, 7, [1, 3]), { cache })).toThrow(ShapeError);
    expect(() => m.forward(tensor([[1, 9]], { dtype: 'int32' }))).toThrow('Embedding: index 9 is out of range for 7 embeddings');
  });
});
