import '@plexus/backend-js';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import { ArgumentError, DTypeError, Generator, ShapeError, manualSeed, tensor } from '@plexus/tensor';
import { GPT } from '../src/index.js';

const values = (t: Tensor): number[] => Array.from(t.dataSync() as ArrayLike<number>);

function model(seed = 0, dtype: 'float32' | 'float64' = 'float32'): GPT {
  manualSeed(seed);
  return new GPT({ vocabSize: 11, blockSize: 12, nLayer: 2, nHead: 2, nEmbd: 16, dropout: 0.2, dtype });
}

describe('GPT.generate', () => {
  const prompt = tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'int32' });

  it('appends maxNewTokens tokens to each row, keeping the prompt', () => {
    const out = model().generate(prompt, 5, { seed: 1 });
    expect(out.shape).toEqual([2, 8]);
    expect(out.dtype).toBe('int32');
    expect(values(out.narrow(1, 0, 3))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(values(out).every((t) => t >= 0 && t < 11)).toBe(true);
    const single = model().generate(tensor([1, 2], { dtype: 'int32' }), 3, { seed: 1 });
    expect(single.shape).toEqual([5]);
    expect(model().generate(prompt, 0).shape).toEqual([2, 3]);
  });

  it('gives the same tokens with and without the KV cache for the same seed', () => {
    const m = model(3);
    const settings = [{}, { temperature: 0.7 }, { topK: 3 }, { topP: 0.8, temperature: 1.3 }, { temperature: 0 }, { topK: 5, topP: 0.9 }];
    for (const s of settings) {
      // 20 new tokens run past blockSize (12): the cached path must hand over to re-reading the window.
      const cached = m.generate(prompt, 20, { ...s, seed: 9, useCache: true });
      const plain = m.generate(prompt, 20, { ...s, seed: 9, useCache: false });
      expect(values(cached)).toEqual(values(plain));
    }
  });

  it('is reproducible from a seed, differs across seeds, and greedy decoding follows the argmax', () => {
    const m = model(4, 'float64');
    expect(values(m.generate(prompt, 8, { seed: 5 }))).toEqual(values(m.generate(prompt, 8, { seed: 5 })));
    expect(values(m.generate(prompt, 8, { seed: 5 }))).not.toEqual(values(m.generate(prompt, 8, { seed: 6 })));
    const g1 = new Generator(2);
    const g2 = new Generator(2);
    expect(values(m.generate(prompt, 4, { generator: g1 }))).toEqual(values(m.generate(prompt, 4, { generator: g2 })));
    const greedy = m.generate(prompt, 1, { temperature: 0 });
    m.eval();
    const argmax = m.forward(prompt).narrow(1, 2, 1).argmax(-1).reshape([2]);
    expect(values(greedy.narrow(1, 3, 1))).toEqual(values(argmax));
    // topK = 1 is greedy too.
    expect(values(m.generate(prompt, 6, { topK: 1, seed: 3 }))).toEqual(values(m.generate(prompt, 6, { temperature: 0 })));
  });

  it('runs in evaluation mode without recording gradients, and restores the training mode', () => {
    const m = model(5);
    m.train();
    const out = m.generate(prompt, 3, { seed: 1 });
    expect(m.training).toBe(true);
    expect(m.h.at(0).attn.training).toBe(true);
    expect(out.requiresGrad).toBe(false);
    // Dropout is off while generating: the same seed gives the same tokens in train mode.
    expect(values(m.generate(prompt, 6, { seed: 8 }))).toEqual(values(m.eval().generate(prompt, 6, { seed: 8 })));
  });

  it('rejects bad inputs and options', () => {
    const m = model();
    expect(() => m.generate(tensor([[1, 2]]), 2)).toThrow(DTypeError);
    expect(() => m.generate(tensor([[[1]]], { dtype: 'int32' }), 2)).toThrow(ShapeError);
    expect(() => m.generate(prompt, -1)).toThrow('GPT.generate: maxNewTokens must be a non-negative integer, got -1');
    expect(() => m.generate(prompt, 2, { topP: 2 })).toThrow(ArgumentError);
    expect(() => m.generate(prompt, 2, { temperature: Number.NaN })).toThrow(ArgumentError);
    expect(() => m.generate(prompt, 2, { seed: 0.5 })).toThrow(ArgumentError);
  });
});
