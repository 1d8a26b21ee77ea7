import { describe, expect, it } from 'vitest';
import { ArgumentError, DTypeError, ShapeError, manualSeed, rand, randn } from '@plexus/tensor';
import { Linear } from '@plexus/nn';
import { ConvAutoencoder, DenseAutoencoder } from '../src/index.js';
import { expectGradOk, randn64 } from './helpers.js';

describe('DenseAutoencoder', () => {
  it('encodes to [N, latentDim] and reconstructs with the input shape, flat or as images', () => {
    manualSeed(0);
    const ae = new DenseAutoencoder({ inputDim: 784, hidden: [32, 16], latentDim: 3 });
    const images = rand([5, 1, 28, 28]);
    expect(ae.encode(images).shape).toEqual([5, 3]);
    expect(ae.decode(randn([5, 3])).shape).toEqual([5, 784]);
    const out = ae.forward(images);
    expect(out.shape).toEqual([5, 1, 28, 28]);
    expect(ae.forward(images.reshape([5, 784])).shape).toEqual([5, 784]);
    // The sigmoid keeps reconstructions in [0, 1] like the pixels.
    const v = out.dataSync();
    expect(Math.min(...v)).toBeGreaterThan(0);
    expect(Math.max(...v)).toBeLessThan(1);
    // inputDim → 32 → 16 → 3 and back: (784·32+32) + (32·16+16) + (16·3+3) + (3·16+16) + (16·32+32) + (32·784+784).
    expect(ae.numParameters()).toBe(25120 + 528 + 51 + 64 + 544 + 25872);
  });

  it("outputActivation 'none' leaves the decoder linear", () => {
    const ae = new DenseAutoencoder({ inputDim: 4, hidden: [], latentDim: 2, outputActivation: 'none', dtype: 'float64' });
    // With no hidden layers: x·W1ᵀ + b1, then ·W2ᵀ + b2 exactly.
    const x = randn64(1, [3, 4]);
    const [l1, l2] = ae.modules().filter((m): m is Linear => m instanceof Linear);
    const want = x.matmul(l1.weight.t()).add(l1.bias!).matmul(l2.weight.t()).add(l2.bias!);
    expect(Array.from(ae.forward(x).dataSync())).toEqual(Array.from(want.dataSync()));
  });

  it('passes gradCheck in float64 w.r.t. input and every parameter', () => {
    manualSeed(1);
    const ae = new DenseAutoencoder({ inputDim: 6, hidden: [5], latentDim: 2, activation: 'tanh', dtype: 'float64' });
    expectGradOk(ae, [randn64(2, [3, 6])], (x) => ae.forward(x));
  });

  it('rejects bad options and inputs with typed errors', () => {
    expect(() => new DenseAutoencoder({ inputDim: 0, latentDim: 2 })).toThrow(ArgumentError);
    expect(() => new DenseAutoencoder({ inputDim: 4, latentDim: 2.5 })).toThrow('DenseAutoencoder: latentDim must be a positive integer, got 2.5');
    expect(() => new DenseAutoencoder({ inputDim: 4, latentDim: 2, hidden: [3, -1] })).toThrow('DenseAutoencoder: hidden[1] must be a positive integer, got -1');
    expect(() => new DenseAutoencoder({ inputDim: 4, latentDim: 2, activation: 'swish' as 'relu' })).toThrow(ArgumentError);
    expect(() => new DenseAutoencoder({ inputDim: 4, latentDim: 2, dtype: 'int32' })).toThrow(DTypeError);
    expect(() => new DenseAutoencoder(undefined as unknown as { inputDim: number; latentDim: number })).toThrow(ArgumentError);
    const ae = new DenseAutoencoder({ inputDim: 784, latentDim: 2 });
    expect(() => ae.forward(rand([2, 1, 27, 28]))).toThrow(ShapeError);
    expect(() => ae.forward(rand([2, 1, 27, 28]))).toThrow('DenseAutoencoder: expected input [N, 784] (or [N, ...] with 784 values per sample), got [2,1,27,28]');
    expect(() => ae.forward(rand([784]))).toThrow(ShapeError);
    expect(() => ae.decode(rand([2, 3]))).toThrow('DenseAutoencoder.decode: expected codes [N, 2], got [2,3]');
    expect(() => ae.encode(null as unknown as ReturnType<typeof rand>)).toThrow(ArgumentError);
  });
});

describe('ConvAutoencoder', () => {
  it('maps 28×28 images through 14×14 and 7×7 to a code and back to 28×28', () => {
    manualSeed(0);
    const ae = new ConvAutoencoder({ inChannels: 1, latentDim: 8 });
    const x = rand([2, 1, 28, 28]);
    const z = ae.encode(x);
    expect(z.shape).toEqual([2, 8]);
    expect(ae.decode(z).shape).toEqual([2, 1, 28, 28]);
    expect(ae.forward(x).shape).toEqual([2, 1, 28, 28]);
    const stages = ae.summary([2, 1, 28, 28]);
    expect(stages).toContain('[2,16,14,14]');
    expect(stages).toContain('[2,32,7,7]');
  });

  it('handles other channel counts and sizes that are multiples of 4', () => {
    const ae = new ConvAutoencoder({ inChannels: 3, latentDim: 4, imageSize: 8, channels: [4, 6] });
    expect(ae.forward(rand([1, 3, 8, 8])).shape).toEqual([1, 3, 8, 8]);
  });

  it('passes gradCheck in float64 w.r.t. input and every parameter', () => {
    manualSeed(3);
    const ae = new ConvAutoencoder({ latentDim: 2, imageSize: 8, channels: [2, 3], dtype: 'float64' });
    expectGradOk(ae, [randn64(4, [2, 1, 8, 8])], (x) => ae.forward(x));
  });

  it('rejects bad options and inputs with typed errors', () => {
    expect(() => new ConvAutoencoder({ latentDim: 4, imageSize: 30 })).toThrow('ConvAutoencoder: imageSize must be a multiple of 4 (two stride-2 stages), got 30');
    expect(() => new ConvAutoencoder({ latentDim: 4, channels: [8] as unknown as [number, number] })).toThrow(ArgumentError);
    expect(() => new ConvAutoencoder({ latentDim: 0 })).toThrow(ArgumentError);
    const ae = new ConvAutoencoder({ latentDim: 4 });
    expect(() => ae.forward(rand([2, 784]))).toThrow('ConvAutoencoder: expected images [N, 1, 28, 28], got [2,784]');
    expect(() => ae.forward(rand([2, 3, 28, 28]))).toThrow(ShapeError);
    expect(() => ae.decode(rand([2, 5]))).toThrow('ConvAutoencoder.decode: expected codes [N, 4], got [2,5]');
  });
});
