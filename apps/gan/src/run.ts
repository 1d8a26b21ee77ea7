import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { saveImageGrid } from '@plexus/autoencoder';
import { LeNet5 } from '@plexus/cnn';
import type { DigitsSet } from '@plexus/data';
import { DataLoader, TensorDataset, loadDigits } from '@plexus/data';
import type { GANEpochLogs, GANGenerator, SampleQuality } from '@plexus/gan';
import { DCGANDiscriminator, DCGANGenerator, GANTrainer, MLPDiscriminator, MLPGenerator, predictProbabilities, sampleQuality } from '@plexus/gan';
import type { UnaryModule } from '@plexus/nn';
import { crossEntropy } from '@plexus/nn';
import { Adam } from '@plexus/optim';
import type { Tensor } from '@plexus/tensor';
import { Generator, concat, getBackend, manualSeed, randn } from '@plexus/tensor';
import { evaluate, fit, loadCheckpoint, plotLearningCurves, save } from '@plexus/train';
import type { GanAppOptions } from './options.js';

export interface QualitySummary {
  samples: number;
  meanMaxConfidence: number;
  effectiveClasses: number;
  inceptionScore: number;
  classCounts: number[];
  modeCollapse: boolean;
  modeCollapseReasons: string[];
}

export interface GanResult {
  backend: string;
  seed: number;
  model: string;
  latentDim: number;
  features?: number;
  epochs: number;
  batchSize: number;
  lr: number;
  labelSmoothing: number;
  sampleMode: string;
  trainImages: number;
  params: { generator: number; discriminator: number };
  gan: { seconds: number; secondsPerEpoch: number; last: Omit<GANEpochLogs, 'epoch' | 'seconds'> };
  classifier: { model: 'LeNet5'; epochs: number; testAccuracy: number; cached: boolean; seconds: number };
  /** The generated digits, scored by the classifier. */
  quality: QualitySummary;
  /** The same scores for as many real test digits: what a perfect generator would get with this classifier. */
  realQuality: QualitySummary;
  seconds: number;
  files: string[];
}

const round = (v: number, digits = 4): number => Math.round(v * 10 ** digits) / 10 ** digits;

function firstN(set: DigitsSet, n: number | undefined): DigitsSet {
  if (n === undefined || n >= set.labels.shape[0]) return set;
  return { images: set.images.narrow(0, 0, n), labels: set.labels.narrow(0, 0, n) };
}

function summary(q: SampleQuality): QualitySummary {
  return {
    samples: q.samples,
    meanMaxConfidence: round(q.meanMaxConfidence),
    effectiveClasses: round(q.effectiveClasses, 3),
    inceptionScore: round(q.inceptionScore, 3),
    classCounts: q.classCounts,
    modeCollapse: q.modeCollapse.detected,
    modeCollapseReasons: q.modeCollapse.reasons,
  };
}

/** A LeNet-5 digit classifier: loaded from the cache in `out` when there, else trained on the split and cached. */
async function digitClassifier(o: GanAppOptions, train: DigitsSet, val: DigitsSet, test: DigitsSet, log: (line: string) => void) {
  const start = performance.now();
  manualSeed(o.seed);
  const model = new LeNet5();
  const limited = o.limit !== undefined;
  const cache = join(o.out, `classifier-lenet5-seed${o.seed}-epochs${o.classifierEpochs}.safetensors`);
  let cached = false;
  if (!limited && !o.retrainClassifier && existsSync(cache)) {
    await loadCheckpoint(model, cache, { restoreRng: false });
    cached = true;
    log(`classifier: LeNet-5 loaded from ${cache}`);
  } else {
    log(`classifier: training LeNet-5 for ${o.classifierEpochs} epochs on ${train.labels.shape[0]} digits`);
    const loader = new DataLoader(new TensorDataset(train.images, train.labels), { batchSize: 64, shuffle: true, generator: new Generator(o.seed + 10) });
    await fit(model, {
      train: loader,
      val: [[val.images, val.labels]],
      epochs: o.classifierEpochs,
      optimizer: new Adam(model.parameters(), { lr: 1e-3 }),
      loss: crossEntropy,
      metrics: ['accuracy'],
      verbose: 2,
    });
    if (!limited && o.plots) await save(model, cache);
  }
  const { accuracy } = await evaluate(model, [[test.images, test.labels]], { metrics: ['accuracy'] });
  log(`classifier: test accuracy ${(accuracy * 100).toFixed(2)}% on ${test.labels.shape[0]} held-out digits`);
  return { model, testAccuracy: accuracy, cached, seconds: (performance.now() - start) / 1000 };
}

/** `n` generated digits in [0, 1] (the classifier's input range), made in batches. */
function generate(trainer: GANTrainer, n: number, batchStats: boolean): Tensor {
  const parts: Tensor[] = [];
  for (let done = 0; done < n; done += 250) parts.push(trainer.sample(Math.min(250, n - done), { batchStats }).add(1).mul(0.5));
  return parts.length === 1 ? parts[0] : concat(parts, 0);
}

/** The demo: classifier, GAN training with sample grids, then the quality scores. */
export async function run(o: GanAppOptions, log: (line: string) => void = console.log): Promise<GanResult> {
  const started = performance.now();
  if (o.plots) mkdirSync(o.out, { recursive: true });
  const files: string[] = [];
  // The split is fixed (seed 0), so every run tests on the same 1,000 held-out digits.
  const digits = loadDigits();
  const train = firstN(digits.train, o.limit);
  const val = firstN(digits.val, o.limit);
  const test = firstN(digits.test, o.limit);
  const classifier = await digitClassifier(o, train, val, test, log);

  manualSeed(o.seed);
  const generator: GANGenerator = o.model === 'dcgan' ? new DCGANGenerator({ latentDim: o.latentDim, features: o.features }) : new MLPGenerator({ latentDim: o.latentDim });
  const discriminator: UnaryModule = o.model === 'dcgan' ? new DCGANDiscriminator({ features: o.features }) : new MLPDiscriminator();
  const trainer = new GANTrainer({ generator, discriminator, lr: o.lr, labelSmoothing: o.labelSmoothing, seed: o.seed });
  // Fixed noise: the same 64 codes drawn every few epochs show how the generator evolves.
  const fixedNoise = randn([64, o.latentDim], { generator: new Generator(o.seed + 1000) });
  const real = train.images.mul(2).sub(1); // the generators' tanh range
  const params = { generator: generator.numParameters(), discriminator: discriminator.numParameters() };
  log(`${o.model} GAN: generator ${params.generator} and discriminator ${params.discriminator} parameters; ${real.shape[0]} digits, ${o.epochs} epochs of batches of ${o.batchSize}`);
  const grid = (name: string): void => {
    if (!o.plots) return;
    const path = join(o.out, name);
    saveImageGrid(path, trainer.sample(fixedNoise, { batchStats: o.sampleMode === 'batch' }), { nrow: 8, range: [-1, 1], scale: 2 });
    files.push(path);
  };
  const { history, seconds } = await trainer.train(real, {
    epochs: o.epochs,
    batchSize: o.batchSize,
    onEpochEnd: (l) => {
      log(`epoch ${String(l.epoch + 1).padStart(String(o.epochs).length)}/${o.epochs}  D loss ${l.dLoss.toFixed(3)}  G loss ${l.gLoss.toFixed(3)}  D(x) ${l.dReal.toFixed(3)}  D(G(z)) ${l.dFake.toFixed(3)}  ${l.seconds.toFixed(1)} s`);
      if ((l.epoch + 1) % o.sampleEvery === 0 || l.epoch + 1 === o.epochs) grid(`samples-epoch-${String(l.epoch + 1).padStart(3, '0')}.png`);
    },
  });
  if (o.plots) {
    const curves = await plotLearningCurves(
      { epochs: history.map((h) => h.epoch + 1), history: { dLoss: history.map((h) => h.dLoss), gLoss: history.map((h) => h.gLoss), dReal: history.map((h) => h.dReal), dFake: history.map((h) => h.dFake) } },
      join(o.out, 'gan-losses'),
      { title: `${o.model} GAN on the MNIST digits`, keys: ['dLoss', 'gLoss', 'dReal', 'dFake'], columns: 2 },
    );
    files.push(curves.png, curves.svg);
  }

  const batchStats = o.sampleMode === 'batch';
  const samples = generate(trainer, o.samples, batchStats);
  const quality = sampleQuality(predictProbabilities(classifier.model, samples));
  const realSet = test.images.narrow(0, 0, Math.min(o.samples, test.labels.shape[0]));
  const realQuality = sampleQuality(predictProbabilities(classifier.model, realSet));
  log(`quality of ${quality.samples} generated digits: inception score ${quality.inceptionScore.toFixed(2)} / 10, mean max confidence ${quality.meanMaxConfidence.toFixed(3)}, effective classes ${quality.effectiveClasses.toFixed(2)}, class counts [${quality.classCounts.join(', ')}]`);
  log(`  (real test digits with the same classifier: inception score ${realQuality.inceptionScore.toFixed(2)}, confidence ${realQuality.meanMaxConfidence.toFixed(3)})`);
  log(quality.modeCollapse.detected ? `  MODE COLLAPSE: ${quality.modeCollapse.reasons.join('; ')}` : '  no mode collapse detected');
  if (o.plots) {
    const path = join(o.out, 'samples-final.png');
    saveImageGrid(path, samples.narrow(0, 0, Math.min(100, samples.shape[0])), { nrow: 10, scale: 2 });
    files.push(path);
  }
  const last = history[history.length - 1];
  return {
    backend: getBackend().name,
    seed: o.seed,
    model: o.model,
    latentDim: o.latentDim,
    ...(o.model === 'dcgan' ? { features: o.features } : {}),
    epochs: o.epochs,
    batchSize: o.batchSize,
    lr: o.lr,
    labelSmoothing: o.labelSmoothing,
    sampleMode: o.sampleMode,
    trainImages: real.shape[0],
    params,
    gan: {
      seconds: round(seconds, 1),
      secondsPerEpoch: round(seconds / history.length, 1),
      last: { dLoss: round(last.dLoss), gLoss: round(last.gLoss), dReal: round(last.dReal), dFake: round(last.dFake) },
    },
    classifier: { model: 'LeNet5', epochs: o.classifierEpochs, testAccuracy: round(classifier.testAccuracy), cached: classifier.cached, seconds: round(classifier.seconds, 1) },
    quality: summary(quality),
    realQuality: summary(realQuality),
    seconds: round((performance.now() - started) / 1000, 1),
    files,
  };
}
