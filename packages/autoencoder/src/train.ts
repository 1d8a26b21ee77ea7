import type { Tensor } from '@plexus/tensor';
import { ArgumentError, Generator, PlexusError, ShapeError, fromData, isFloating, noGrad } from '@plexus/tensor';
import type { UnaryModule } from '@plexus/nn';
import { Module, binaryCrossEntropy, mseLoss } from '@plexus/nn';
import { Adam, Optimizer } from '@plexus/optim';
import type { NoiseOptions } from './noise.js';
import { addNoise, checkNoise } from './noise.js';
import { checkTensor, numberIn, oneOf, positiveInt } from './options.js';
import { VAE } from './vae.js';
import type { ReconstructionLoss } from './vae-loss.js';
import { vaeLoss } from './vae-loss.js';

/** A model `trainAutoencoder` can train: one whose forward(x) reconstructs x, or a VAE. */
export type Autoencoder = UnaryModule | VAE;

export interface TrainAutoencoderOptions {
  epochs: number;
  /** Default 64; the last batch of an epoch may be smaller. */
  batchSize?: number;
  /** Default Adam over the model's parameters with `lr`. */
  optimizer?: Optimizer;
  /** Learning rate of the default Adam (default 1e-3). */
  lr?: number;
  /**
   * Reconstruction loss. Plain autoencoders: 'mse' (default) or 'bce', averaged over every value.
   * VAEs: 'bce' (default) or 'mse', summed over each sample's values (see vaeLoss).
   */
  loss?: ReconstructionLoss;
  /** Weight of a VAE's KL term (default 1). */
  beta?: number;
  /** Denoising: corrupt each batch with this noise and reconstruct the clean batch. */
  noise?: NoiseOptions;
  /** Source of the shuffling and the noise (default new Generator(seed)). */
  generator?: Generator;
  /** Seed of the default generator (default 0). */
  seed?: number;
  /** Called after each epoch, e.g. to log or to stop early by returning false. */
  onEpochEnd?: (logs: AutoencoderEpochLogs) => void | boolean | Promise<void | boolean>;
}

export interface AutoencoderEpochLogs {
  /** 0-based. */
  epoch: number;
  /** Mean training loss over the epoch's samples. */
  loss: number;
  /** VAEs: the reconstruction and KL parts of the loss. */
  reconstruction?: number;
  kl?: number;
  seconds: number;
}

export interface TrainAutoencoderResult {
  history: AutoencoderEpochLogs[];
  seconds: number;
}

function batchIndices(perm: Int32Array, start: number, end: number, backend: Tensor['backend']): Tensor {
  return fromData('trainAutoencoder', Int32Array.from(perm.subarray(start, end)), [end - start], { backend });
}

/** A seeded Fisher–Yates shuffle of 0 … n − 1. */
export function permutation(n: number, generator: Generator): Int32Array {
  const u = generator.nextUniform(n);
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(u[i] * (i + 1));
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

/**
 * Trains an autoencoder on `images` [N, ...] (the targets are the images themselves): for each
 * epoch, a seeded shuffle, then per batch zeroGrad → (corrupt) → forward → loss → backward →
 * step. A VAE is trained on vaeLoss (reconstruction + β·KL); any other model on the mean
 * reconstruction error of forward(x). With `noise`, the input is a corrupted copy and the target
 * the clean batch: a denoising autoencoder. Leaves the model in training mode.
 */
export async function trainAutoencoder(model: Autoencoder, images: Tensor, options: TrainAutoencoderOptions): Promise<TrainAutoencoderResult> {
  const where = 'trainAutoencoder';
  if (!(model instanceof Module) || typeof (model as { forward?: unknown }).forward !== 'function') {
    throw new ArgumentError(`${where}: model must be a Module with forward(x)`);
  }
  checkTensor(where, 'images', images);
  if (images.rank < 2 || images.shape[0] === 0) throw new ShapeError(`${where}: expected a non-empty batch of samples [N, ...], got ${images.describe()}`);
  if (!isFloating(images.dtype)) throw new ArgumentError(`${where}: images must be float32 or float64, got ${images.dtype}`);
  if (options === null || typeof options !== 'object') throw new ArgumentError(`${where}: expected options { epochs, … }`);
  const epochs = positiveInt(where, 'epochs', options.epochs);
  const batchSize = positiveInt(where, 'batchSize', options.batchSize ?? 64);
  const isVae = model instanceof VAE;
  const lossKind = oneOf(where, 'loss', options.loss ?? (isVae ? 'bce' : 'mse'), ['bce', 'mse'] as const);
  const beta = numberIn(where, 'beta', options.beta ?? 1, 0, Infinity);
  const noise = options.noise === undefined ? undefined : checkNoise(where, options.noise);
  if (options.optimizer !== undefined && !(options.optimizer instanceof Optimizer)) throw new ArgumentError(`${where}: optimizer must be an Optimizer from @plexus/optim`);
  const optimizer = options.optimizer ?? new Adam(model.parameters(), { lr: numberIn(where, 'lr', options.lr ?? 1e-3, 0, Infinity, { minOpen: true }) });
  const generator = options.generator ?? new Generator(options.seed ?? 0);
  const n = images.shape[0];
  const history: AutoencoderEpochLogs[] = [];
  const start = performance.now();
  model.train();
  for (let epoch = 0; epoch < epochs; epoch++) {
    const epochStart = performance.now();
    const perm = permutation(n, generator);
    let lossSum = 0;
    let reconSum = 0;
    let klSum = 0;
    for (let b = 0; b < n; b += batchSize) {
      const end = Math.min(n, b + batchSize);
      const clean = images.indexSelect(0, batchIndices(perm, b, end, images.backend));
      const input = noise ? addNoise(clean, noise, generator) : clean;
      optimizer.zeroGrad();
      let loss: Tensor;
      if (isVae) {
        const parts = vaeLoss(model.forward(input), clean, { reconstruction: lossKind, beta });
        loss = parts.loss;
        reconSum += Number((await parts.reconstruction.data())[0]) * (end - b);
        klSum += Number((await parts.kl.data())[0]) * (end - b);
      } else {
        const out = (model as UnaryModule).forward(input);
        loss = lossKind === 'mse' ? mseLoss(out, clean) : binaryCrossEntropy(out, clean);
      }
      loss.backward();
      optimizer.step();
      const value = Number((await loss.data())[0]);
      if (!Number.isFinite(value)) throw new PlexusError(`${where}: the loss became ${value} in epoch ${epoch + 1}; lower the learning rate`);
      lossSum += value * (end - b);
    }
    const logs: AutoencoderEpochLogs = { epoch, loss: lossSum / n, seconds: (performance.now() - epochStart) / 1000 };
    if (isVae) {
      logs.reconstruction = reconSum / n;
      logs.kl = klSum / n;
    }
    history.push(logs);
    if ((await options.onEpochEnd?.(logs)) === false) break;
  }
  return { history, seconds: (performance.now() - start) / 1000 };
}

/** Runs `fn` with `model` in evaluation mode and without gradients, then restores each module's mode. */
export function inEvalMode<T>(model: Module, fn: () => T): T {
  const modules = model.modules();
  const modes = modules.map((m) => m.training);
  model.eval();
  try {
    return noGrad(fn);
  } finally {
    modules.forEach((m, i) => {
      m.training = modes[i];
    });
  }
}
