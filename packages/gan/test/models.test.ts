import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError, manualSeed, rand, randn } from '@plexus/tensor';
import { BatchNorm2d, ConvTranspose2d } from '@plexus/nn';
import { DCGANDiscriminator, DCGANGenerator, MLPDiscriminator, MLPGenerator, dcganInit_ } from '../src/index.js';
import { expectGradOk, randn64, values } from './helpers.js';

describe('MLP GAN', () => {
  it('generator: noise [N, latentDim] → images [N, 1, 28, 28] in (-1, 1); discriminator: images → logits [N, 1]', () => {
    manualSeed(0);
    const g = new MLPGenerator({ latentDim: 16, hidden: [32, 64] });
    const d = new MLPDiscriminator({ hidden: [32] });
    const x = g.forward(randn([3, 16]));
    expect(x.shape).toEqual([3, 1, 28, 28]);
    expect(Math.max(...values(x.abs()))).toBeLessThan(1);
    expect(d.forward(x).shape).toEqual([3, 1]);
    expect(new MLPGenerator({ latentDim: 4, hidden: [8], imageShape: [5] }).forward(randn([2, 4])).shape).toEqual([2, 5]);
  });

  it('pass gradCheck in float64 w.r.t. input and every parameter', () => {
    manualSeed(1);
    expectGradOk(new MLPGenerator({ latentDim: 3, hidden: [4], imageShape: [1, 2, 3], dtype: 'float64' }), randn64(2, [4, 3]));
    expectGradOk(new MLPGenerator({ latentDim: 3, hidden: [4], imageShape: [5], batchNorm: false, dtype: 'float64' }), randn64(3, [2, 3]));
    expectGradOk(new MLPDiscriminator({ imageShape: [1, 2, 3], hidden: [4, 3], dtype: 'float64' }), randn64(4, [3, 1, 2, 3]));
  });

  it('reject bad options and inputs', () => {
    expect(() => new MLPGenerator({ latentDim: 0 })).toThrow('MLPGenerator: latentDim must be a positive integer, got 0');
    expect(() => new MLPGenerator({ imageShape: [] })).toThrow(ArgumentError);
    expect(() => new MLPGenerator({ batchNorm: 1 as unknown as boolean })).toThrow(ArgumentError);
    expect(() => new MLPDiscriminator({ negativeSlope: 2 })).toThrow(ArgumentError);
    expect(() => new MLPGenerator({ latentDim: 8 }).forward(randn([2, 9]))).toThrow('MLPGenerator: expected noise [N, 8], got [2,9]');
    expect(() => new MLPDiscriminator().forward(rand([2, 784]))).toThrow('MLPDiscriminator: expected images [N, 1, 28, 28], got [2,784]');
  });
});

describe('DCGAN', () => {
  it('generator upsamples 7×7 → 14×14 → 28×28; discriminator downsamples to one logit', () => {
    manualSeed(0);
    const g = new DCGANGenerator({ latentDim: 8, features: 4 });
    const d = new DCGANDiscriminator({ features: 4 });
    const z = randn([2, 8]);
    const x = g.forward(z);
    expect(x.shape).toEqual([2, 1, 28, 28]);
    expect(Math.max(...values(x.abs()))).toBeLessThan(1);
    const stages = g.summary([2, 8]);
    expect(stages).toContain('[2,8,7,7]');
    expect(stages).toContain('[2,4,14,14]');
    expect(d.summary([2, 1, 28, 28])).toContain('[2,8,7,7]');
    expect(d.forward(x).shape).toEqual([2, 1]);
    expect(g.modules().some((m) => m instanceof ConvTranspose2d)).toBe(true);
    expect(g.modules().some((m) => m instanceof BatchNorm2d)).toBe(true);
  });

  it('uses the DCGAN initialisation: N(0, 0.02) weights, N(1, 0.02) norm scales, zero biases', () => {
    manualSeed(3);
    const g = new DCGANGenerator({ features: 16 });
    const w = values(g.project.weight);
    const m = w.reduce((a, b) => a + b, 0) / w.length;
    const sd = Math.sqrt(w.reduce((a, b) => a + (b - m) ** 2, 0) / w.length);
    expect(Math.abs(m)).toBeLessThan(0.001);
    expect(Math.abs(sd - 0.02)).toBeLessThan(0.001);
    const bn = g.modules().find((x) => x instanceof BatchNorm2d) as BatchNorm2d;
    const scale = values(bn.weight!);
    expect(Math.abs(scale.reduce((a, b) => a + b, 0) / scale.length - 1)).toBeLessThan(0.01);
    for (const [name, p] of g.namedParameters()) if (name.endsWith('bias') && !name.includes('.0.')) expect(values(p).every((v) => v === 0)).toBe(true);
    // dcganInit_ is exported for any module, and init: 'default' keeps PyTorch's layer initialisation.
    const std = (v: number[]) => Math.sqrt(v.reduce((a, b) => a + b * b, 0) / v.length);
    const plain = new DCGANDiscriminator({ features: 8, init: 'default' });
    const conv = plain.namedParameters().find(([name]) => name === 'net.0.weight')![1];
    expect(Math.max(...values(conv.abs()))).toBeLessThanOrEqual(0.25); // U(±1/√fanIn), fanIn = 1·4·4
    expect(std(values(conv))).toBeGreaterThan(0.1);
    expect(dcganInit_(plain)).toBe(plain);
    expect(Math.abs(std(values(conv)) - 0.02)).toBeLessThan(0.005);
  });

  it('pass gradCheck in float64 w.r.t. input and every parameter (small sizes)', () => {
    manualSeed(2);
    expectGradOk(new DCGANGenerator({ latentDim: 3, features: 2, imageSize: 4, init: 'default', dtype: 'float64' }), randn64(5, [3, 3]));
    expectGradOk(new DCGANDiscriminator({ features: 2, imageSize: 4, init: 'default', dtype: 'float64' }), randn64(6, [2, 1, 4, 4]));
    expectGradOk(new DCGANDiscriminator({ features: 2, imageSize: 4, batchNorm: true, init: 'default', dtype: 'float64' }), randn64(7, [3, 1, 4, 4]));
  });

  it('discriminator batchNorm adds a BatchNorm2d after the second convolution, which then has no bias', () => {
    const d = new DCGANDiscriminator({ features: 4, batchNorm: true });
    const names = d.namedParameters().map(([name]) => name);
    expect(names).toEqual(['net.0.weight', 'net.0.bias', 'net.2.weight', 'net.3.weight', 'net.3.bias', 'net.6.weight', 'net.6.bias']);
    expect(d.modules().some((m) => m instanceof BatchNorm2d)).toBe(true);
    expect(d.forward(rand([2, 1, 28, 28])).shape).toEqual([2, 1]);
    expect(() => new DCGANDiscriminator({ batchNorm: 'yes' as unknown as boolean })).toThrow(ArgumentError);
  });

  it('reject bad options and inputs', () => {
    expect(() => new DCGANGenerator({ imageSize: 30 })).toThrow('DCGANGenerator: imageSize must be a multiple of 4 (two stride-2 stages), got 30');
    expect(() => new DCGANGenerator({ init: 'xavier' as 'dcgan' })).toThrow("DCGANGenerator: init must be 'dcgan' or 'default', got \"xavier\"");
    expect(() => new DCGANDiscriminator({ features: 0 })).toThrow(ArgumentError);
    expect(() => new DCGANGenerator({ latentDim: 8, features: 2 }).forward(randn([2, 8, 1, 1]))).toThrow(ShapeError);
    expect(() => new DCGANDiscriminator({ features: 2 }).forward(rand([2, 3, 28, 28]))).toThrow('DCGANDiscriminator: expected images [N, 1, 28, 28], got [2,3,28,28]');
  });
});
