import type { Tensor } from '@plexus/tensor';
import { ArgumentError, Generator, PlexusError, ShapeError, fromData, isFloating } from '@plexus/tensor';
import type { Parameter } from '@plexus/nn';
import { crossEntropy, l1Loss, mseLoss } from '@plexus/nn';
import { Adam } from '@plexus/optim';
import type { ConditionalAutoencoder, Labels } from './conditional.js';
import { checkLabels } from './conditional.js';
import { checkTensor, numberIn, oneOf, positiveInt } from './options.js';
import { inEvalMode, permutation } from './train.js';

export interface TrainConditionalAutoencoderOptions {
  /** Epochs of stage 1: encoder + classifier on cross-entropy. */
  classifierEpochs: number;
  /** Epochs of stage 2: the conditional decoder on the frozen encoder. */
  decoderEpochs: number;
  /** Default 64; the last batch of an epoch may be smaller. */
  batchSize?: number;
  /** Learning rate of both stages' Adam (default 1e-3). */
  lr?: number;
  /** Weight of the match term; the non-match term gets 1 − alpha (default 0.9, as C2AE). */
  alpha?: number;
  /** Reconstruction loss, averaged over every value: 'mse' (default) or 'l1' (C2AE's choice). */
  loss?: 'mse' | 'l1';
  /** Source of the shuffling and of the non-match labels and images (default new Generator(seed)). */
  generator?: Generator;
  /** Seed of the default generator (default 0). */
  seed?: number;
  /** Called after each epoch of either stage; returning false ends that stage. */
  onEpochEnd?: (logs: ConditionalEpochLogs) => void | boolean | Promise<void | boolean>;
}

export interface ConditionalEpochLogs {
  stage: 'classifier' | 'decoder';
  /** 0-based, within the stage. */
  epoch: number;
  /** Mean loss over the epoch's samples: cross-entropy (stage 1) or α·match + (1 − α)·non-match (stage 2). */
  loss: number;
  /** Stage 1: training accuracy over the epoch. */
  accuracy?: number;
  /** Stage 2: the mean match and non-match reconstruction losses. */
  match?: number;
  nonMatch?: number;
  seconds: number;
}

export interface TrainConditionalAutoencoderResult {
  history: ConditionalEpochLogs[];
  seconds: number;
}

function indexTensor(values: Int32Array, backend: Tensor['backend']): Tensor {
  return fromData('trainConditionalAutoencoder', values, [values.length], { backend });
}

async function scalar(t: Tensor): Promise<number> {
  return Number((await t.data())[0]);
}

/**
 * Trains a ConditionalAutoencoder the C2AE way on labelled normal data (`labels` in
 * [0, numClasses)):
 * 1. the encoder and the classifier on cross-entropy;
 * 2. the encoder frozen (its codes computed once in eval mode), the decoder and its FiLM layers on
 *    α·L(decode(z, y), x) + (1 − α)·L(decode(z, y′), x′) per batch, where y′ is a random wrong
 *    label and x′ a random training image of class y′: under its own label the decoder must
 *    reconstruct x, under another one it must not (it draws that class instead).
 * Each class needs at least one image. Leaves the model in training mode; the encoder's and the
 * classifier's parameters keep requiresGrad.
 */
export async function trainConditionalAutoencoder(
  model: ConditionalAutoencoder,
  images: Tensor,
  labels: Labels,
  options: TrainConditionalAutoencoderOptions,
): Promise<TrainConditionalAutoencoderResult> {
  const where = 'trainConditionalAutoencoder';
  if (model === null || typeof model !== 'object' || typeof (model as { decode?: unknown }).decode !== 'function' || typeof (model as { classify?: unknown }).classify !== 'function') {
    throw new ArgumentError(`${where}: model must be a ConditionalAutoencoder`);
  }
  checkTensor(where, 'images', images);
  if (images.rank < 2 || images.shape[0] === 0) throw new ShapeError(`${where}: expected a non-empty batch of samples [N, ...], got ${images.describe()}`);
  if (!isFloating(images.dtype)) throw new ArgumentError(`${where}: images must be float32 or float64, got ${images.dtype}`);
  if (options === null || typeof options !== 'object') throw new ArgumentError(`${where}: expected options { classifierEpochs, decoderEpochs, … }`);
  const n = images.shape[0];
  const y = checkLabels(where, labels, model.numClasses, n);
  const k = model.numClasses;
  const byClass: number[][] = Array.from({ length: k }, () => []);
  y.forEach((c, i) => byClass[c].push(i));
  const empty = byClass.findIndex((members) => members.length === 0);
  if (empty >= 0) throw new ArgumentError(`${where}: class ${empty} has no training images; every class in [0, ${k - 1}] needs at least one (non-match targets are drawn from it)`);
  const classifierEpochs = positiveInt(where, 'classifierEpochs', options.classifierEpochs);
  const decoderEpochs = positiveInt(where, 'decoderEpochs', options.decoderEpochs);
  const batchSize = positiveInt(where, 'batchSize', options.batchSize ?? 64);
  const lr = numberIn(where, 'lr', options.lr ?? 1e-3, 0, Infinity, { minOpen: true });
  const alpha = numberIn(where, 'alpha', options.alpha ?? 0.9, 0, 1);
  const lossKind = oneOf(where, 'loss', options.loss ?? 'mse', ['mse', 'l1'] as const);
  const reconLoss = lossKind === 'mse' ? mseLoss : l1Loss;
  const generator = options.generator ?? new Generator(options.seed ?? 0);
  const backend = images.backend;
  const yAll = indexTensor(y, backend);
  const history: ConditionalEpochLogs[] = [];
  const start = performance.now();
  model.train();

  // Stage 1: encoder + classifier.
  const stage1 = new Adam([...model.encoder.parameters(), ...model.classifier.parameters()], { lr });
  for (let epoch = 0; epoch < classifierEpochs; epoch++) {
    const epochStart = performance.now();
    const perm = permutation(n, generator);
    let lossSum = 0;
    let correct = 0;
    for (let b = 0; b < n; b += batchSize) {
      const idx = indexTensor(perm.subarray(b, Math.min(n, b + batchSize)), backend);
      const target = yAll.indexSelect(0, idx);
      stage1.zeroGrad();
      const logits = model.classify(images.indexSelect(0, idx));
      const loss = crossEntropy(logits, target);
      loss.backward();
      stage1.step();
      const value = await scalar(loss);
      if (!Number.isFinite(value)) throw new PlexusError(`${where}: the classifier loss became ${value} in epoch ${epoch + 1}; lower the learning rate`);
      lossSum += value * idx.size;
      correct += await scalar(logits.detach().argmax(1).eq(target).cast('float32').sum());
    }
    const logs: ConditionalEpochLogs = { stage: 'classifier', epoch, loss: lossSum / n, accuracy: correct / n, seconds: (performance.now() - epochStart) / 1000 };
    history.push(logs);
    if ((await options.onEpochEnd?.(logs)) === false) break;
  }

  // Stage 2: the decoder on the frozen encoder, whose codes therefore never change.
  const codes = inEvalMode(model, () => model.encode(images)).detach();
  const decoderParams: Parameter[] = [...model.decoderLayers.parameters(), ...model.films.parameters()];
  const stage2 = new Adam(decoderParams, { lr });
  model.train();
  for (let epoch = 0; epoch < decoderEpochs; epoch++) {
    const epochStart = performance.now();
    const perm = permutation(n, generator);
    let lossSum = 0;
    let matchSum = 0;
    let nonMatchSum = 0;
    for (let b = 0; b < n; b += batchSize) {
      const rows = perm.subarray(b, Math.min(n, b + batchSize));
      const m = rows.length;
      // A wrong label uniformly among the other k − 1 classes, and a random image of that class.
      const u = generator.nextUniform(2 * m);
      const wrong = new Int32Array(m);
      const other = new Int32Array(m);
      for (let i = 0; i < m; i++) {
        wrong[i] = (y[rows[i]] + 1 + Math.floor(u[i] * (k - 1))) % k;
        const members = byClass[wrong[i]];
        other[i] = members[Math.floor(u[m + i] * members.length)];
      }
      const idx = indexTensor(rows, backend);
      const z = codes.indexSelect(0, idx);
      const x = images.indexSelect(0, idx).reshape([m, model.inputDim]);
      const xOther = images.indexSelect(0, indexTensor(other, backend)).reshape([m, model.inputDim]);
      stage2.zeroGrad();
      const match = reconLoss(model.decode(z, Int32Array.from(rows, (r) => y[r])), x);
      const nonMatch = reconLoss(model.decode(z, wrong), xOther);
      const loss = match.mul(alpha).add(nonMatch.mul(1 - alpha));
      loss.backward();
      stage2.step();
      const value = await scalar(loss);
      if (!Number.isFinite(value)) throw new PlexusError(`${where}: the decoder loss became ${value} in epoch ${epoch + 1}; lower the learning rate`);
      lossSum += value * m;
      matchSum += (await scalar(match)) * m;
      nonMatchSum += (await scalar(nonMatch)) * m;
    }
    const logs: ConditionalEpochLogs = {
      stage: 'decoder', epoch, loss: lossSum / n, match: matchSum / n, nonMatch: nonMatchSum / n, seconds: (performance.now() - epochStart) / 1000,
    };
    history.push(logs);
    if ((await options.onEpochEnd?.(logs)) === false) break;
  }
  return { history, seconds: (performance.now() - start) / 1000 };
}
