import { describe, expect, it } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import { ArgumentError, Generator, ShapeError, manualSeed, rand, tensor } from '@plexus/tensor';
import { SGD } from '@plexus/optim';
import { ConvAutoencoder, DenseAutoencoder, VAE, addNoise, reconstructionErrors, trainAutoencoder } from '../src/index.js';
import { values } from './helpers.js';

/** 64 images of 16 values: blurred bars in one of 4 positions with random brightness, in [0, 1]. */
function tinySet(): Tensor {
  const g = new Generator(11);
  const u = g.nextUniform(128);
  const data: number[] = [];
  for (let i = 0; i < 64; i++) {
    const pos = Math.floor(u[2 * i] * 4);
    const bright = 0.5 + 0.5 * u[2 * i + 1];
    for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) data.push(c === pos ? bright : Math.abs(c - pos) === 1 ? 0.3 * bright : 0);
  }
  return tensor(data).reshape([64, 1, 4, 4]);
}

const mean = (a: Float64Array): number => a.reduce((s, v) => s + v, 0) / a.length;

describe('trainAutoencoder', () => {
  it('reduces the reconstruction error of a dense autoencoder on a tiny set', async () => {
    manualSeed(0);
    const x = tinySet();
    const ae = new DenseAutoencoder({ inputDim: 16, hidden: [16], latentDim: 2 });
    const before = mean(await reconstructionErrors(ae, x));
    const { history } = await trainAutoencoder(ae, x, { epochs: 60, batchSize: 16, lr: 1e-2, seed: 1 });
    const after = mean(await reconstructionErrors(ae, x));
    expect(history.length).toBe(60);
    expect(history[59].loss).toBeLessThan(history[0].loss / 4);
    expect(after).toBeLessThan(before / 4);
    expect(ae.training).toBe(true);
  });

  it('trains a convolutional autoencoder', async () => {
    manualSeed(0);
    const x = tinySet().narrow(0, 0, 32).pad([2, 2, 2, 2]); // 8×8 images
    const ae = new ConvAutoencoder({ latentDim: 4, imageSize: 8, channels: [4, 8] });
    const before = mean(await reconstructionErrors(ae, x));
    await trainAutoencoder(ae, x, { epochs: 25, batchSize: 8, lr: 1e-2 });
    expect(mean(await reconstructionErrors(ae, x))).toBeLessThan(before / 3);
  });

  it('trains a VAE on reconstruction + KL; both logged', async () => {
    manualSeed(0);
    const x = tinySet();
    const vae = new VAE({ inputDim: 16, hidden: [16], latentDim: 2, generator: new Generator(3) });
    const { history } = await trainAutoencoder(vae, x, { epochs: 40, batchSize: 16, lr: 1e-2 });
    const first = history[0];
    const last = history[history.length - 1];
    expect(last.loss).toBeLessThan(first.loss * 0.8);
    expect(last.reconstruction).toBeLessThan(first.reconstruction as number);
    expect(last.kl).toBeGreaterThan(0);
    expect(last.loss).toBeCloseTo((last.reconstruction as number) + (last.kl as number), 4);
  });

  it('denoising: with noise, learns to map corrupted inputs to the clean images', async () => {
    manualSeed(0);
    const x = tinySet();
    const noisy = addNoise(x, { type: 'masking', p: 0.3 }, new Generator(99));
    const ae = new DenseAutoencoder({ inputDim: 16, hidden: [16], latentDim: 3 });
    const gap = async () => mean(Float64Array.from(values(ae.forward(noisy).sub(x).square().flatten(1).mean(1))));
    const before = await gap();
    await trainAutoencoder(ae, x, { epochs: 60, batchSize: 16, lr: 1e-2, noise: { type: 'masking', p: 0.3 } });
    expect(await gap()).toBeLessThan(before / 3);
  });

  it('is reproducible: same seed, same history', async () => {
    const run = async () => {
      manualSeed(5);
      const ae = new DenseAutoencoder({ inputDim: 16, hidden: [8], latentDim: 2 });
      return (await trainAutoencoder(ae, tinySet(), { epochs: 3, seed: 2, noise: { type: 'gaussian', std: 0.1 } })).history.map((h) => h.loss);
    };
    expect(await run()).toEqual(await run());
  });

  it('stops when onEpochEnd returns false and accepts a given optimizer', async () => {
    const ae = new DenseAutoencoder({ inputDim: 16, latentDim: 2 });
    const seen: number[] = [];
    const { history } = await trainAutoencoder(ae, tinySet(), {
      epochs: 10, optimizer: new SGD(ae.parameters(), { lr: 0.1 }), onEpochEnd: (l) => { seen.push(l.epoch); return l.epoch < 2; },
    });
    expect(seen).toEqual([0, 1, 2]);
    expect(history.length).toBe(3);
  });

  it('rejects bad arguments with typed errors', async () => {
    const ae = new DenseAutoencoder({ inputDim: 16, latentDim: 2 });
    const x = tinySet();
    await expect(trainAutoencoder(ae, x, { epochs: 0 })).rejects.toThrow('trainAutoencoder: epochs must be a positive integer, got 0');
    await expect(trainAutoencoder(ae, x.cast('int32'), { epochs: 1 })).rejects.toThrow(ArgumentError);
    await expect(trainAutoencoder(ae, tensor([1, 2]), { epochs: 1 })).rejects.toThrow(ShapeError);
    await expect(trainAutoencoder(ae, x, { epochs: 1, loss: 'l1' as 'mse' })).rejects.toThrow(ArgumentError);
    await expect(trainAutoencoder(ae, x, { epochs: 1, noise: { type: 'salt' } as unknown as { type: 'masking'; p: number } })).rejects.toThrow("trainAutoencoder: noise.type must be 'gaussian' or 'masking', got \"salt\"");
    await expect(trainAutoencoder({} as DenseAutoencoder, x, { epochs: 1 })).rejects.toThrow(ArgumentError);
    await expect(trainAutoencoder(ae, rand([4, 15]), { epochs: 1 })).rejects.toThrow(ShapeError);
  });
});

describe('addNoise', () => {
  it('masking zeroes each value with probability p; gaussian adds std·ε and clamps to [0, 1]', () => {
    const x = rand([100, 100]).mul(0.5).add(0.25); // values in [0.25, 0.75], none zero
    const masked = values(addNoise(x, { type: 'masking', p: 0.3 }, new Generator(1)));
    const zeros = masked.filter((v) => v === 0).length / masked.length;
    expect(Math.abs(zeros - 0.3)).toBeLessThan(0.02);
    const xs = values(x);
    expect(masked.every((v, i) => v === 0 || v === xs[i])).toBe(true);
    const unclipped = values(addNoise(x, { type: 'gaussian', std: 0.2, clip: false }, new Generator(2)).sub(x));
    const m = unclipped.reduce((a, b) => a + b, 0) / unclipped.length;
    const sd = Math.sqrt(unclipped.reduce((a, b) => a + (b - m) ** 2, 0) / unclipped.length);
    expect(Math.abs(m)).toBeLessThan(0.01);
    expect(Math.abs(sd - 0.2)).toBeLessThan(0.01);
    const clipped = values(addNoise(x, { type: 'gaussian', std: 1 }, new Generator(2)));
    expect(Math.min(...clipped)).toBe(0);
    expect(Math.max(...clipped)).toBe(1);
    expect(values(addNoise(x, { type: 'masking', p: 0.3 }, new Generator(1)))).toEqual(masked);
  });

  it('rejects bad noise and inputs', () => {
    const x = rand([2, 2]);
    expect(() => addNoise(x, { type: 'masking', p: 1 })).toThrow('addNoise: noise.p must be a number in [0, 1), got 1');
    expect(() => addNoise(x, { type: 'gaussian', std: -1 })).toThrow(ArgumentError);
    expect(() => addNoise(x.cast('int32'), { type: 'gaussian', std: 1 })).toThrow('addNoise: x must be float32 or float64, got int32');
    expect(() => addNoise(x, null as unknown as { type: 'masking'; p: number })).toThrow(ArgumentError);
  });
});
