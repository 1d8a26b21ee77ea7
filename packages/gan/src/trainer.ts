import type { Tensor } from '@plexus/tensor';
import { ArgumentError, Generator, PlexusError, ShapeError, fmtShape, fromData, isFloating, isTensor, noGrad, randn } from '@plexus/tensor';
import type { Module } from '@plexus/nn';
import { functionalCall } from '@plexus/nn';
import { Adam, ExponentialMovingAverage, Optimizer } from '@plexus/optim';
import { discriminatorLoss, generatorLoss } from './losses.js';
import type { GANDiscriminator, GANGenerator } from './models.js';
import { bool, numberIn, positiveInt } from './options.js';

export interface GANTrainerOptions {
  generator: GANGenerator;
  discriminator: GANDiscriminator;
  /** Default Adam(generator.parameters(), { lr, betas: [0.5, 0.999] }), as in DCGAN. */
  generatorOptimizer?: Optimizer;
  /** Default Adam(discriminator.parameters(), { lr, betas: [0.5, 0.999] }). */
  discriminatorOptimizer?: Optimizer;
  /** Learning rate of the default optimizers (default 2e-4). */
  lr?: number;
  /** One-sided label smoothing of the real targets (default 0; 0.1 is common). */
  labelSmoothing?: number;
  /** Non-saturating generator loss (default true). */
  nonSaturating?: boolean;
  /** Seed of the noise and shuffling generator (default 0). */
  seed?: number;
  /** The noise and shuffling generator (default new Generator(seed)). */
  noiseGenerator?: Generator;
  /**
   * Keep an exponential moving average of the generator's weights with this decay, updated after
   * every generator step (BatchNorm statistics: see emaBuffers), and sample from it (ProGAN, StyleGAN,
   * BigGAN). Default 0: none. 0.999 averages over about the last thousand steps.
   */
  emaDecay?: number;
  /**
   * BatchNorm running statistics of the average: 'copy' (default) the trained generator's,
   * 'average' averaged like the weights, so that they follow the averaged weights' activations.
   */
  emaBuffers?: 'copy' | 'average';
}

export interface GANStepLogs {
  /** Discriminator loss BCE(D(x), 1 − s) + BCE(D(G(z)), 0). */
  dLoss: number;
  /** Generator loss on fresh noise. */
  gLoss: number;
  /** Mean D(x) = σ(logit) on the real batch (1: judged real). */
  dReal: number;
  /** Mean D(G(z)) on the discriminator step's fakes. */
  dFake: number;
}

export interface GANEpochLogs extends GANStepLogs {
  /** 0-based. */
  epoch: number;
  seconds: number;
}

export interface GANTrainOptions {
  /** The epoch to stop at (exclusive, like fit): with initialEpoch 2 and epochs 4, two more epochs run. */
  epochs: number;
  /** 0-based epoch to start from when resuming (default 0). */
  initialEpoch?: number;
  /** Default 64. */
  batchSize?: number;
  /** Drop the last incomplete batch of each epoch (default true: BatchNorm dislikes tiny batches). */
  dropLast?: boolean;
  /** Called after each epoch; returning false stops training. */
  onEpochEnd?: (logs: GANEpochLogs) => void | boolean | Promise<void | boolean>;
}

async function mean(t: Tensor): Promise<number> {
  const data = await t.data();
  let s = 0;
  for (let i = 0; i < data.length; i++) s += Number(data[i]);
  return s / data.length;
}

function permutation(n: number, generator: Generator): Int32Array {
  const u = generator.nextUniform(n);
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(u[i] * (i + 1));
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

/** Runs fn with `module`'s parameters frozen, so backward skips their gradients; restores each flag. */
function frozen<T>(module: Module, fn: () => T): T {
  const params = module.parameters();
  const flags = params.map((p) => p.requiresGrad);
  for (const p of params) p.requiresGrad = false;
  try {
    return fn();
  } finally {
    params.forEach((p, i) => {
      p.requiresGrad = flags[i];
    });
  }
}

/**
 * Trains a GAN (Goodfellow et al., 2014) by alternating steps with separate optimizers:
 * - discriminator: minimise BCE(D(x), 1 − s) + BCE(D(G(z)), 0), the fakes detached;
 * - generator: on fresh noise, minimise −log D(G(z)) (non-saturating) with D's parameters frozen.
 * Real images are expected in [-1, 1], the range of the generators' tanh. All noise and
 * shuffling come from one seeded generator, so a run is reproducible.
 */
export class GANTrainer {
  readonly generator: GANGenerator;
  readonly discriminator: GANDiscriminator;
  readonly generatorOptimizer: Optimizer;
  readonly discriminatorOptimizer: Optimizer;
  readonly latentDim: number;
  readonly labelSmoothing: number;
  readonly nonSaturating: boolean;
  readonly noiseGenerator: Generator;
  /** The moving average of the generator's weights (with `emaDecay` > 0), else undefined. */
  readonly ema: ExponentialMovingAverage | undefined;

  constructor(options: GANTrainerOptions) {
    const where = 'GANTrainer';
    if (options === null || typeof options !== 'object') throw new ArgumentError(`${where}: expected options { generator, discriminator, … }`);
    const { generator, discriminator } = options;
    if (generator === null || typeof generator !== 'object' || typeof generator.forward !== 'function') throw new ArgumentError(`${where}: generator must be a Module with forward(z)`);
    if (discriminator === null || typeof discriminator !== 'object' || typeof discriminator.forward !== 'function') throw new ArgumentError(`${where}: discriminator must be a Module with forward(x)`);
    this.generator = generator;
    this.discriminator = discriminator;
    this.latentDim = positiveInt(where, 'generator.latentDim', generator.latentDim);
    this.labelSmoothing = numberIn(where, 'labelSmoothing', options.labelSmoothing ?? 0, 0, 1, true);
    this.nonSaturating = bool(where, 'nonSaturating', options.nonSaturating ?? true);
    const lr = numberIn(where, 'lr', options.lr ?? 2e-4, 0, Infinity);
    for (const [name, opt] of [['generatorOptimizer', options.generatorOptimizer], ['discriminatorOptimizer', options.discriminatorOptimizer]] as const) {
      if (opt !== undefined && !(opt instanceof Optimizer)) throw new ArgumentError(`${where}: ${name} must be an Optimizer from @plexus/optim`);
    }
    if (options.generatorOptimizer && options.generatorOptimizer === options.discriminatorOptimizer) {
      throw new ArgumentError(`${where}: the generator and the discriminator need separate optimizers`);
    }
    this.generatorOptimizer = options.generatorOptimizer ?? new Adam(generator.parameters(), { lr, betas: [0.5, 0.999] });
    this.discriminatorOptimizer = options.discriminatorOptimizer ?? new Adam(discriminator.parameters(), { lr, betas: [0.5, 0.999] });
    if (options.noiseGenerator !== undefined && !(options.noiseGenerator instanceof Generator)) throw new ArgumentError(`${where}: noiseGenerator must be a Generator from @plexus/tensor`);
    this.noiseGenerator = options.noiseGenerator ?? new Generator(options.seed ?? 0);
    const emaDecay = numberIn(where, 'emaDecay', options.emaDecay ?? 0, 0, 1, true);
    const emaBuffers = options.emaBuffers ?? 'copy';
    if (emaBuffers !== 'copy' && emaBuffers !== 'average') throw new ArgumentError(`${where}: emaBuffers must be 'copy' or 'average', got ${JSON.stringify(emaBuffers)}`);
    this.ema = emaDecay > 0 ? new ExponentialMovingAverage(generator, { decay: emaDecay, buffers: emaBuffers }) : undefined;
  }

  /** Noise [n, latentDim] ~ N(0, I) from the trainer's generator, in the generator's dtype and backend. */
  sampleNoise(n: number): Tensor {
    positiveInt('GANTrainer.sampleNoise', 'n', n);
    const p = this.generator.parameters()[0];
    return randn([n, this.latentDim], { generator: this.noiseGenerator, dtype: p?.dtype, backend: p?.backend });
  }

  private checkReal(where: string, real: unknown): Tensor {
    if (!isTensor(real) || real.rank < 2 || real.shape[0] < 1) throw new ShapeError(`${where}: expected a batch of real images [N, ...], got ${isTensor(real) ? fmtShape(real.shape) : String(real)}`);
    if (!isFloating(real.dtype)) throw new ArgumentError(`${where}: real images must be float32 or float64, got ${real.dtype}`);
    return real;
  }

  /** One discriminator update on a real batch and as many fakes; only D's parameters change. */
  async discriminatorStep(real: Tensor): Promise<{ dLoss: number; dReal: number; dFake: number }> {
    const x = this.checkReal('GANTrainer.discriminatorStep', real);
    const fake = noGrad(() => this.generator.forward(this.sampleNoise(x.shape[0])));
    this.discriminatorOptimizer.zeroGrad();
    const realLogits = this.discriminator.forward(x);
    const fakeLogits = this.discriminator.forward(fake);
    const loss = discriminatorLoss(realLogits, fakeLogits, { labelSmoothing: this.labelSmoothing });
    loss.backward();
    this.discriminatorOptimizer.step();
    const dLoss = await mean(loss);
    if (!Number.isFinite(dLoss)) throw new PlexusError(`GANTrainer: the discriminator loss became ${dLoss}; lower the learning rate`);
    return { dLoss, dReal: await mean(realLogits.detach().sigmoid()), dFake: await mean(fakeLogits.detach().sigmoid()) };
  }

  /** One generator update on `batchSize` fresh noise vectors; only G's parameters change. */
  async generatorStep(batchSize: number): Promise<{ gLoss: number }> {
    positiveInt('GANTrainer.generatorStep', 'batchSize', batchSize);
    this.generatorOptimizer.zeroGrad();
    // D's parameters are frozen: the gradient flows through D to G without being stored in D.
    const loss = frozen(this.discriminator, () => {
      const l = generatorLoss(this.discriminator.forward(this.generator.forward(this.sampleNoise(batchSize))), { nonSaturating: this.nonSaturating });
      l.backward();
      return l;
    });
    this.generatorOptimizer.step();
    this.ema?.update();
    const gLoss = await mean(loss);
    if (!Number.isFinite(gLoss)) throw new PlexusError(`GANTrainer: the generator loss became ${gLoss}; lower the learning rate`);
    return { gLoss };
  }

  /** A discriminator step on `real`, then a generator step on a batch of the same size. */
  async step(real: Tensor): Promise<GANStepLogs> {
    const d = await this.discriminatorStep(real);
    const g = await this.generatorStep(real.shape[0]);
    return { ...d, ...g };
  }

  /**
   * Trains on `images` [N, ...] in [-1, 1], one seeded shuffle per epoch; returns each epoch's
   * mean logs. To resume, restore both networks, both optimizers, `noiseGenerator`'s state and
   * `ema`'s (when there is one), then pass the number of completed epochs as `initialEpoch`: the
   * run continues exactly.
   */
  async train(images: Tensor, options: GANTrainOptions): Promise<{ history: GANEpochLogs[]; seconds: number }> {
    const where = 'GANTrainer.train';
    const x = this.checkReal(where, images);
    if (options === null || typeof options !== 'object') throw new ArgumentError(`${where}: expected options { epochs, … }`);
    const epochs = positiveInt(where, 'epochs', options.epochs);
    const initialEpoch = options.initialEpoch ?? 0;
    if (!Number.isInteger(initialEpoch) || initialEpoch < 0 || initialEpoch > epochs) {
      throw new ArgumentError(`${where}: initialEpoch must be an integer in [0, epochs = ${epochs}], got ${String(initialEpoch)}`);
    }
    const batchSize = positiveInt(where, 'batchSize', options.batchSize ?? 64);
    const dropLast = bool(where, 'dropLast', options.dropLast ?? true);
    const n = x.shape[0];
    if (dropLast && n < batchSize) throw new ArgumentError(`${where}: ${n} images make no full batch of ${batchSize}; lower batchSize or pass dropLast: false`);
    const history: GANEpochLogs[] = [];
    const start = performance.now();
    this.generator.train();
    this.discriminator.train();
    for (let epoch = initialEpoch; epoch < epochs; epoch++) {
      const epochStart = performance.now();
      const perm = permutation(n, this.noiseGenerator);
      const sums: GANStepLogs = { dLoss: 0, gLoss: 0, dReal: 0, dFake: 0 };
      let steps = 0;
      const last = dropLast ? n - (n % batchSize) : n;
      for (let b = 0; b < last; b += batchSize) {
        const end = Math.min(last, b + batchSize);
        const batch = x.indexSelect(0, fromData(where, perm.slice(b, end), [end - b], { backend: x.backend }));
        const logs = await this.step(batch);
        for (const k of Object.keys(sums) as (keyof GANStepLogs)[]) sums[k] += logs[k];
        steps++;
      }
      const logs: GANEpochLogs = {
        epoch,
        dLoss: sums.dLoss / steps, gLoss: sums.gLoss / steps, dReal: sums.dReal / steps, dFake: sums.dFake / steps,
        seconds: (performance.now() - epochStart) / 1000,
      };
      history.push(logs);
      if ((await options.onEpochEnd?.(logs)) === false) break;
    }
    return { history, seconds: (performance.now() - start) / 1000 };
  }

  /**
   * Images from the generator without gradients: from `noise` [n, latentDim] when given (e.g. a
   * fixed grid), else from n fresh vectors. With an `ema`, the averaged weights make them unless
   * `averaged: false` asks for the trained generator's own. `batchStats: false` (default) runs the
   * generator in evaluation mode, so BatchNorm uses its running statistics; `batchStats: true`
   * normalises with the statistics of the batch being generated, as the DCGAN reference code
   * samples, and leaves the running statistics untouched. Every module's mode is restored.
   */
  sample(noiseOrCount: Tensor | number, options: { batchStats?: boolean; averaged?: boolean } = {}): Tensor {
    const z = typeof noiseOrCount === 'number' ? this.sampleNoise(noiseOrCount) : noiseOrCount;
    const batchStats = bool('GANTrainer.sample', 'batchStats', options.batchStats ?? false);
    const averaged = bool('GANTrainer.sample', 'averaged', options.averaged ?? this.ema !== undefined);
    if (averaged && !this.ema) throw new ArgumentError('GANTrainer.sample: averaged: true needs a trainer made with emaDecay > 0');
    const g = this.generator;
    const modules = g.modules();
    const modes = modules.map((m) => m.training);
    const buffers = batchStats ? g.namedBuffers().map(([name, t]) => [name, t.clone()] as const) : [];
    g.train(batchStats);
    try {
      if (!averaged || !this.ema) return noGrad(() => g.forward(z));
      // Clones: a training-mode BatchNorm updates the buffers it runs with in place.
      const averages = Object.fromEntries(Object.entries(this.ema.averages()).map(([name, t]) => [name, batchStats ? t.clone() : t]));
      return noGrad(() => functionalCall(g, averages, () => g.forward(z)));
    } finally {
      modules.forEach((m, i) => {
        m.training = modes[i];
      });
      // Training-mode BatchNorm updated its running statistics: put the old ones back.
      if (buffers.length > 0) g.loadStateDict(Object.fromEntries(buffers), { strict: false });
    }
  }
}
