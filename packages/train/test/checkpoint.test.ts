import '@plexus/backend-js';
import { writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Compose, DataLoader, GaussianNoise, RandomCrop, TensorDataset } from '@plexus/data';
import type { Dataset } from '@plexus/data';
import { Dropout, Flatten, Linear, ReLU, Sequential, crossEntropy } from '@plexus/nn';
import { Adam, OneCycleLR, ReduceLROnPlateau, SGD, StepLR } from '@plexus/optim';
import { ArgumentError, DTypeError, Generator, ShapeError, getDefaultGenerator, manualSeed, randint, randn } from '@plexus/tensor';
import type { Tensor } from '@plexus/tensor';
import { ModelCheckpoint, fit, load, loadCheckpoint, save } from '../src/index.js';
import { tempDir, weightsOf } from './helpers.js';

/** Tiny 1×6×6 images with random crop and noise augmentation drawn from the default generator per batch. */
class AugmentedImages implements Dataset<Tensor[]> {
  private readonly base: TensorDataset;
  private readonly augment = new Compose([new RandomCrop(6, { padding: 1 }), new GaussianNoise(0.1)]);
  constructor(x: Tensor, y: Tensor) {
    this.base = new TensorDataset(x, y);
  }
  get length(): number {
    return this.base.length;
  }
  get(i: number): Tensor[] {
    return this.getBatch([i]).map((t) => t.squeeze(0));
  }
  getBatch(indices: readonly number[]): Tensor[] {
    const [x, y] = this.base.getBatch(indices);
    return [this.augment.forward(x), y];
  }
}

const data = (() => {
  const g = new Generator(99);
  return { x: randn([48, 1, 6, 6], { generator: g }), y: randint(0, 3, [48], { generator: g, dtype: 'int32' }) };
})();

/** Everything a run needs, built from the current default generator (initial weights). */
function setup() {
  const model = new Sequential(new Flatten(), new Linear(36, 16), new ReLU(), new Dropout(0.3), new Linear(16, 3));
  const optimizer = new Adam(model.parameters(), { lr: 0.01, weightDecay: 1e-3 });
  const scheduler = new OneCycleLR(optimizer, { maxLr: 0.05, epochs: 4, stepsPerEpoch: 5 });
  // Shuffled with the default generator; 48 samples in batches of 10: 5 batches, the last of 8.
  const train = new DataLoader(new AugmentedImages(data.x, data.y), { batchSize: 10, shuffle: true });
  const val = new DataLoader(new TensorDataset(data.x, data.y), { batchSize: 16 });
  return { model, optimizer, scheduler, train, val };
}

async function straight(seed: number, epochs = 4) {
  manualSeed(seed);
  const s = setup();
  const history = await fit(s.model, { ...s, epochs, loss: crossEntropy, metrics: ['accuracy'], verbose: 0 });
  return { weights: weightsOf(s.model), history, rng: getDefaultGenerator().getState() };
}

describe('resuming and determinism', () => {
  it('the same seed gives the same final weights twice in a row (and another seed does not)', async () => {
    const a = await straight(3);
    const b = await straight(3);
    expect(b.weights).toEqual(a.weights);
    expect(b.history.get('loss')).toEqual(a.history.get('loss'));
    const c = await straight(4);
    expect(c.weights).not.toEqual(a.weights);
  });

  it('resuming from a checkpoint at epoch 2 gives the same result as not stopping (bitwise)', async () => {
    const reference = await straight(5);

    // Train 2 epochs; ModelCheckpoint saves model, optimizer, scheduler and RNG state after each.
    manualSeed(5);
    const first = setup();
    const dir = tempDir();
    const checkpoint = new ModelCheckpoint({ dir, saveBest: false });
    await fit(first.model, { ...first, epochs: 2, loss: crossEntropy, metrics: ['accuracy'], callbacks: [checkpoint], verbose: 0 });

    // A new process, in effect: other seed, fresh model, optimizer, scheduler and loaders.
    manualSeed(12345);
    randn([17]); // and some unrelated draws
    const second = setup();
    expect(weightsOf(second.model)).not.toEqual(weightsOf(first.model));
    const ckpt = await loadCheckpoint(second.model, join(dir, 'last.safetensors'), { optimizer: second.optimizer, scheduler: second.scheduler });
    expect(ckpt.epoch).toBe(2);
    expect(weightsOf(second.model)).toEqual(weightsOf(first.model));
    const resumed = await fit(second.model, { ...second, epochs: 4, initialEpoch: ckpt.epoch, loss: crossEntropy, metrics: ['accuracy'], verbose: 0 });

    expect(weightsOf(second.model)).toEqual(reference.weights);
    expect(resumed.epochs).toEqual([2, 3]);
    expect(resumed.get('loss')).toEqual(reference.history.get('loss').slice(2));
    expect(resumed.get('lr')).toEqual(reference.history.get('lr').slice(2));
    expect(getDefaultGenerator().getState()).toEqual(reference.rng);
    expect(second.scheduler.lastEpoch).toBe(20);
  });

  it('without the RNG state, the resumed run differs (the test above can fail)', async () => {
    const reference = await straight(5);
    manualSeed(5);
    const first = setup();
    const dir = tempDir();
    await fit(first.model, { ...first, epochs: 2, loss: crossEntropy, callbacks: [new ModelCheckpoint({ dir, saveBest: false })], verbose: 0 });
    manualSeed(1);
    const second = setup();
    await loadCheckpoint(second.model, join(dir, 'last.safetensors'), { optimizer: second.optimizer, scheduler: second.scheduler, restoreRng: false });
    await fit(second.model, { ...second, epochs: 4, initialEpoch: 2, loss: crossEntropy, verbose: 0 });
    expect(weightsOf(second.model)).not.toEqual(reference.weights);
  });
});

describe('save / load / loadCheckpoint', () => {
  it('stores model tensors under their names and the optimizer under a prefix, with metadata', async () => {
    manualSeed(0);
    const { model, optimizer, scheduler, train } = setup();
    await fit(model, { train, epochs: 1, optimizer, scheduler, loss: crossEntropy, verbose: 0 });
    const path = join(tempDir(), 'sub', 'c.safetensors');
    const g = new Generator(77);
    g.nextUniform(9);
    await save(model, path, { optimizer, scheduler, epoch: 1, extra: { note: 'hi', best: Infinity }, generators: { loader: g } });
    const c = await load(path);
    expect(Object.keys(c.model)).toEqual(['1.weight', '1.bias', '4.weight', '4.bias']);
    expect(c.metadata.format).toBe('plexus-checkpoint-v1');
    expect(Object.keys(c.metadata).sort()).toEqual(['epoch', 'extra', 'format', 'optimizer', 'rng', 'scheduler']);
    expect(c.optimizer?.type).toBe('Adam');
    expect(Object.keys(c.optimizer!.state.state[0]).sort()).toEqual(['expAvg', 'expAvgSq', 'step']);
    expect(c.optimizer!.state.state[0].step).toBe(5);
    expect(c.scheduler).toEqual({ type: 'OneCycleLR', state: scheduler.stateDict() });
    expect(c.extra).toEqual({ note: 'hi', best: Infinity });
    expect(c.generators.loader).toEqual(g.getState());
    const sd = model.stateDict();
    for (const k of Object.keys(sd)) expect(Array.from(c.model[k].dataSync())).toEqual(Array.from(sd[k].dataSync()));

    const g2 = new Generator(1);
    const fresh = setup();
    await loadCheckpoint(fresh.model, path, { optimizer: fresh.optimizer, generators: { loader: g2 } });
    expect(g2.getState()).toEqual(g.getState());
    expect(fresh.optimizer.paramGroups[0].lr).toBe(optimizer.paramGroups[0].lr);
  });

  it('keeps non-finite numbers in scheduler state (ReduceLROnPlateau.best = Infinity)', async () => {
    const model = new Sequential(new Linear(2, 2));
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    const plateau = new ReduceLROnPlateau(optimizer);
    const path = join(tempDir(), 'p.safetensors');
    await save(model, path, { optimizer, scheduler: plateau });
    const other = new ReduceLROnPlateau(optimizer, { mode: 'max' });
    await loadCheckpoint(model, path, { optimizer, scheduler: other });
    expect(other.best).toBe(Infinity);
    expect(other.mode).toBe('min');
  });

  it('checks shapes, dtypes and types against the model, naming the file', async () => {
    const dir = tempDir();
    const path = join(dir, 'm.safetensors');
    const model = new Sequential(new Linear(3, 2));
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    await save(model, path, { optimizer, scheduler: new StepLR(optimizer, { stepSize: 2 }) });

    const wider = new Sequential(new Linear(4, 2));
    await expect(loadCheckpoint(wider, path)).rejects.toThrow(ShapeError);
    await expect(loadCheckpoint(wider, path)).rejects.toThrow(`loadCheckpoint: ${path}: Sequential.loadStateDict`);
    const f64 = new Sequential(new Linear(3, 2)).double();
    await expect(loadCheckpoint(f64, path)).rejects.toThrow(DTypeError);
    const same = new Sequential(new Linear(3, 2));
    await expect(loadCheckpoint(same, path, { optimizer: new Adam(same.parameters()) })).rejects.toThrow(/holds SGD state, but the optimizer given is Adam/);
    const sgd = new SGD(same.parameters(), { lr: 0.1 });
    await expect(loadCheckpoint(same, path, { optimizer: sgd, scheduler: new ReduceLROnPlateau(sgd) })).rejects.toThrow(/holds StepLR state, but the scheduler given is ReduceLROnPlateau/);
    await save(same, join(dir, 'bare.safetensors'));
    await expect(loadCheckpoint(same, join(dir, 'bare.safetensors'), { optimizer: sgd })).rejects.toThrow(/holds no optimizer state/);
    await expect(save(same, path, { epoch: -1 })).rejects.toThrow(ArgumentError);
  });

  it('an interrupted save keeps the previous checkpoint loadable', async () => {
    const path = join(tempDir(), 'ckpt.safetensors');
    manualSeed(0);
    const model = new Sequential(new Linear(3, 2));
    await save(model, path, { epoch: 1 });
    const before = weightsOf(model);
    manualSeed(1);
    const changed = new Sequential(new Linear(3, 2));
    let calls = 0;
    const crash = (fd: number, buf: Uint8Array, off: number, len: number): number => {
      // The header goes out, then the process "dies" while writing the first tensor.
      if (++calls === 2) throw new Error('ENOSPC: simulated crash');
      return writeSync(fd, buf, off, len);
    };
    await expect(save(changed, path, { epoch: 2, write: crash })).rejects.toThrow(/ENOSPC: simulated crash; the previous file, if any, is unchanged/);
    const c = await load(path);
    expect(c.epoch).toBe(1);
    const restored = new Sequential(new Linear(3, 2));
    await loadCheckpoint(restored, path);
    expect(weightsOf(restored)).toEqual(before);
  });
});

