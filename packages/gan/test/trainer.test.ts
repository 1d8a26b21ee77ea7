import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError, manualSeed, noGrad, rand, tensor } from '@plexus/tensor';
import { Adam, SGD } from '@plexus/optim';
import { GANTrainer, MLPDiscriminator, MLPGenerator } from '../src/index.js';
import { changed, snapshot, values } from './helpers.js';

function tinyGan(seed: number, trainerSeed = 0) {
  manualSeed(seed);
  const generator = new MLPGenerator({ latentDim: 4, hidden: [8], imageShape: [1, 4, 4] });
  const discriminator = new MLPDiscriminator({ imageShape: [1, 4, 4], hidden: [8] });
  return new GANTrainer({ generator, discriminator, seed: trainerSeed, lr: 1e-2, labelSmoothing: 0.1 });
}

/** 32 "images" in [-1, 1]: a bright top row on a dark background, with a little noise. */
function realImages() {
  manualSeed(100);
  const row = tensor([1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]).reshape([1, 1, 4, 4]);
  return rand([32, 1, 4, 4]).mul(0.2).sub(0.9).add(row.mul(1.6));
}

describe('GANTrainer', () => {
  it('a discriminator step changes every D parameter and no G parameter', async () => {
    const t = tinyGan(1);
    const g0 = snapshot(t.generator);
    const d0 = snapshot(t.discriminator);
    const logs = await t.discriminatorStep(realImages().narrow(0, 0, 8));
    expect(changed(t.generator, g0)).toEqual([]);
    expect(changed(t.discriminator, d0).sort()).toEqual([...d0.keys()].sort());
    expect(logs.dReal).toBeGreaterThan(0);
    expect(logs.dFake).toBeLessThan(1);
  });

  it('a generator step changes every G parameter and no D parameter, storing no D gradients', async () => {
    const t = tinyGan(2);
    const g0 = snapshot(t.generator);
    const d0 = snapshot(t.discriminator);
    await t.generatorStep(8);
    expect(changed(t.discriminator, d0)).toEqual([]);
    expect(changed(t.generator, g0).sort()).toEqual([...g0.keys()].sort());
    expect(t.discriminator.parameters().every((p) => p.grad === null && p.requiresGrad)).toBe(true);
  });

  it('is deterministic with a seed: same seeds give identical losses and weights, another seed differs', async () => {
    const run = async (trainerSeed: number) => {
      const t = tinyGan(3, trainerSeed);
      const { history } = await t.train(realImages(), { epochs: 2, batchSize: 8 });
      return { history: history.map(({ seconds: _, ...rest }) => rest), weights: values(t.generator.parameters()[0]) };
    };
    const a = await run(7);
    const b = await run(7);
    const c = await run(8);
    expect(b).toEqual(a);
    expect(c.weights).not.toEqual(a.weights);
  });

  it('resumes exactly from the networks, optimizers and noise generator state with initialEpoch', async () => {
    const full = tinyGan(9);
    await full.train(realImages(), { epochs: 3, batchSize: 8 });
    const first = tinyGan(9);
    await first.train(realImages(), { epochs: 1, batchSize: 8 });
    const resumed = tinyGan(9);
    resumed.generator.loadStateDict(first.generator.stateDict());
    resumed.discriminator.loadStateDict(first.discriminator.stateDict());
    resumed.generatorOptimizer.loadStateDict(first.generatorOptimizer.stateDict());
    resumed.discriminatorOptimizer.loadStateDict(first.discriminatorOptimizer.stateDict());
    resumed.noiseGenerator.setState(first.noiseGenerator.getState());
    const { history } = await resumed.train(realImages(), { epochs: 3, initialEpoch: 1, batchSize: 8 });
    expect(history.map((h) => h.epoch)).toEqual([1, 2]);
    expect(values(resumed.generator.parameters()[0])).toEqual(values(full.generator.parameters()[0]));
    await expect(resumed.train(realImages(), { epochs: 3, initialEpoch: 4 })).rejects.toThrow('GANTrainer.train: initialEpoch must be an integer in [0, epochs = 3], got 4');
  });

  it('train returns one log per epoch, dropping the incomplete batch by default', async () => {
    const t = tinyGan(4);
    const steps: number[] = [];
    const d = t.discriminatorStep.bind(t);
    t.discriminatorStep = async (real) => {
      steps.push(real.shape[0]);
      return d(real);
    };
    const { history } = await t.train(realImages().narrow(0, 0, 20), { epochs: 2, batchSize: 8, onEpochEnd: (l) => l.epoch < 5 });
    expect(history.map((h) => h.epoch)).toEqual([0, 1]);
    expect(steps).toEqual([8, 8, 8, 8]);
    expect(Number.isFinite(history[1].dLoss) && Number.isFinite(history[1].gLoss)).toBe(true);
  });

  it('samples from fixed noise deterministically in evaluation mode, restoring the mode', () => {
    const t = tinyGan(5);
    const z = t.sampleNoise(4);
    expect(z.shape).toEqual([4, 4]);
    const a = t.sample(z);
    expect(a.shape).toEqual([4, 1, 4, 4]);
    expect(values(t.sample(z))).toEqual(values(a));
    expect(t.generator.training).toBe(true);
    expect(t.sample(3).shape).toEqual([3, 1, 4, 4]);
  });

  it('samples with batch statistics on request, leaving the running statistics untouched', () => {
    const t = tinyGan(5);
    const z = t.sampleNoise(6);
    const before = t.generator.namedBuffers().map(([name, b]) => [name, values(b)]);
    const batch = t.sample(z, { batchStats: true });
    // Equal to a training-mode forward pass, which normalises with the batch's statistics …
    const direct = values(t.generator.forward(z));
    expect(values(batch)).toEqual(direct);
    expect(values(batch)).not.toEqual(values(t.sample(z)));
    // … but sample() put back the running statistics that the direct call has now changed.
    const t2 = tinyGan(5);
    t2.sample(t2.sampleNoise(6), { batchStats: true });
    expect(t2.generator.namedBuffers().map(([name, b]) => [name, values(b)])).toEqual(before);
    expect(() => t.sample(z, { batchStats: 1 as unknown as boolean })).toThrow(ArgumentError);
  });

  it('keeps an exact moving average of the generator (emaDecay), samples from it, and resumes it', async () => {
    manualSeed(11);
    const make = () => new GANTrainer({
      generator: new MLPGenerator({ latentDim: 3, hidden: [5], imageShape: [4], dtype: 'float64' }),
      discriminator: new MLPDiscriminator({ imageShape: [4], hidden: [5], dtype: 'float64' }),
      lr: 0.05, emaDecay: 0.5, seed: 2,
    });
    const t = make();
    expect(t.ema?.decay).toBe(0.5);
    const real = rand([6, 4], { dtype: 'float64' }).mul(2).sub(1);
    // By hand: the first generator step's weights are copied, then avg ← avg + 0.5·(p − avg).
    let want: Map<string, number[]> | undefined;
    for (let k = 0; k < 4; k++) {
      await t.step(real);
      const now = new Map([...t.generator.namedParameters(), ...t.generator.namedBuffers()].map(([name, p]) => [name, values(p)]));
      want = want === undefined ? now : new Map([...want].map(([name, a]) => [name, name.includes('running') || name.includes('numBatches')
        ? now.get(name)! // BatchNorm statistics are copied
        : a.map((v, i) => v + 0.5 * (now.get(name)![i] - v))]));
    }
    const got = Object.fromEntries(Object.entries(t.ema!.averages()).map(([name, a]) => [name, values(a)]));
    expect(got).toEqual(Object.fromEntries(want!));
    expect(t.ema!.numUpdates).toBe(4);
    // The averaged generator differs from the trained one; sample() uses it unless averaged: false.
    const z = t.sampleNoise(3);
    const raw = t.sample(z, { averaged: false });
    const averaged = t.sample(z);
    expect(values(averaged)).not.toEqual(values(raw));
    expect(values(raw)).toEqual(values(noGrad(() => { t.generator.eval(); const y = t.generator.forward(z); t.generator.train(); return y; })));
    const copy = make();
    copy.generator.loadStateDict(t.ema!.averages());
    expect(values(copy.sample(z, { averaged: false }))).toEqual(values(averaged));
    // Batch statistics with the average leave both the average and the running statistics alone.
    t.sample(z, { batchStats: true });
    expect(Object.fromEntries(Object.entries(t.ema!.averages()).map(([name, a]) => [name, values(a)]))).toEqual(got);
    // Resuming: the average's state restores exactly.
    copy.ema!.loadStateDict(t.ema!.stateDict());
    expect(values(copy.sample(z))).toEqual(values(averaged));
    expect(() => tinyGan(1).sample(z, { averaged: true })).toThrow('GANTrainer.sample: averaged: true needs a trainer made with emaDecay > 0');
    expect(() => make().sample(2).shape).not.toThrow();
    expect(() => new GANTrainer({ generator: t.generator, discriminator: t.discriminator, emaDecay: 1 })).toThrow('GANTrainer: emaDecay must be a number in [0, 1), got 1');
    expect(tinyGan(1).ema).toBeUndefined();
  });

  it("averages BatchNorm statistics like the weights with emaBuffers: 'average'", async () => {
    manualSeed(12);
    const t = new GANTrainer({
      generator: new MLPGenerator({ latentDim: 3, hidden: [5], imageShape: [4], dtype: 'float64' }),
      discriminator: new MLPDiscriminator({ imageShape: [4], hidden: [5], dtype: 'float64' }),
      lr: 0.05, emaDecay: 0.5, emaBuffers: 'average', seed: 3,
    });
    const real = rand([6, 4], { dtype: 'float64' }).mul(2).sub(1);
    const name = 'net.1.runningMean';
    await t.step(real);
    let want = values(t.generator.namedBuffers().find(([n]) => n === name)![1]);
    for (let k = 0; k < 2; k++) {
      await t.step(real);
      const now = values(t.generator.namedBuffers().find(([n]) => n === name)![1]);
      want = want.map((v, i) => v + 0.5 * (now[i] - v));
      expect(values(t.ema!.averages()[name])).toEqual(want);
      expect(want).not.toEqual(now);
    }
    expect(() => new GANTrainer({ generator: t.generator, discriminator: t.discriminator, emaDecay: 0.9, emaBuffers: 'mean' as 'copy' })).toThrow("GANTrainer: emaBuffers must be 'copy' or 'average', got \"mean\"");
  });

  it('uses given optimizers, which must be separate', () => {
    manualSeed(0);
    const generator = new MLPGenerator({ latentDim: 2, hidden: [4], imageShape: [3] });
    const discriminator = new MLPDiscriminator({ imageShape: [3], hidden: [4] });
    const opt = new Adam(generator.parameters());
    expect(() => new GANTrainer({ generator, discriminator, generatorOptimizer: opt, discriminatorOptimizer: opt })).toThrow('GANTrainer: the generator and the discriminator need separate optimizers');
    const t = new GANTrainer({ generator, discriminator, generatorOptimizer: opt, discriminatorOptimizer: new SGD(discriminator.parameters(), { lr: 0.1 }) });
    expect(t.generatorOptimizer).toBe(opt);
  });

  it('rejects bad options and inputs with typed errors', async () => {
    const t = tinyGan(6);
    const { generator, discriminator } = t;
    expect(() => new GANTrainer({ generator: null as unknown as MLPGenerator, discriminator })).toThrow('GANTrainer: generator must be a Module with forward(z)');
    expect(() => new GANTrainer({ generator, discriminator, labelSmoothing: -0.1 })).toThrow(ArgumentError);
    expect(() => new GANTrainer({ generator, discriminator, generatorOptimizer: {} as Adam })).toThrow(ArgumentError);
    expect(() => t.sampleNoise(0)).toThrow('GANTrainer.sampleNoise: n must be a positive integer, got 0');
    await expect(t.step(rand([4, 1, 5, 5]))).rejects.toThrow(ShapeError);
    await expect(t.discriminatorStep(rand([4]))).rejects.toThrow(ShapeError);
    await expect(t.train(realImages().cast('int32'), { epochs: 1 })).rejects.toThrow('GANTrainer.train: real images must be float32 or float64, got int32');
    await expect(t.train(realImages(), { epochs: 1, batchSize: 64 })).rejects.toThrow('GANTrainer.train: 32 images make no full batch of 64; lower batchSize or pass dropLast: false');
    await expect(t.train(realImages(), { epochs: 0 })).rejects.toThrow(ArgumentError);
  });
});
