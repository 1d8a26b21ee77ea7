import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Autoencoder, AutoencoderEpochLogs, ConditionalEpochLogs, NoiseOptions } from '@plexus/autoencoder';
import {
  ConditionalAutoencoder, ConvAutoencoder, DenseAutoencoder, VAE, addNoise, bestLabels, inEvalMode, labelReconstructionErrors, plotLatentSpace,
  reconstruct, reconstructionErrors, rocAuc, saveImageGrid, scoreLabelErrors, trainAutoencoder, trainConditionalAutoencoder,
} from '@plexus/autoencoder';
import type { DigitsSet } from '@plexus/data';
import { loadDigits } from '@plexus/data';
import type { Tensor } from '@plexus/tensor';
import { Generator, concat, fromData, getBackend, linspace, manualSeed, stack } from '@plexus/tensor';
import type { AutoencoderAppOptions } from './options.js';

export interface AutoencoderResult {
  backend: string;
  seed: number;
  epochs: number;
  batchSize: number;
  lr: number;
  trainImages: number;
  testImages: number;
  /** Absent with --only anomaly. */
  reconstruction?: {
    model: string;
    latentDim: number;
    params: number;
    noise: string;
    /** Mean squared error per pixel of the clean test images' reconstructions. */
    testMse: number;
    /** Denoising runs: MSE between the reconstructions of corrupted test images and the clean ones, and of the corrupted inputs themselves. */
    denoisedMse?: number;
    noisyMse?: number;
    seconds: number;
  };
  vae?: {
    latentDim: 2;
    /** Test set, per image: summed BCE of the reconstruction from the posterior mean, and the KL term. */
    testBce: number;
    testKl: number;
    seconds: number;
  };
  anomaly: {
    digit: number;
    trainImages: number;
    testNormal: number;
    testAnomalous: number;
    /** ROC-AUC (Mann–Whitney, exact) of flagging the left-out digit by the class-conditional detector's `score`. */
    rocAuc: number;
    score: 'ratio' | 'min';
    /** The class-conditional autoencoder (C2AE): classifier on the known digits, then a FiLM-conditioned decoder. */
    c2ae: {
      latentDim: number;
      params: number;
      classifierEpochs: number;
      decoderEpochs: number;
      alpha: number;
      /** ROC-AUC of the smallest error over the known labels, and of that over the second smallest. */
      rocAucMin: number;
      rocAucRatio: number;
      /** Test accuracy on the known digits of the label with the smallest reconstruction error. */
      knownAccuracy: number;
      seconds: number;
    };
    /** The plain dense autoencoder on the same digits, scored by its reconstruction error. */
    baseline: {
      latentDim: number;
      rocAuc: number;
      /** The same with the error divided by the image's mean square (ink-normalised). */
      rocAucRelative: number;
      meanErrorNormal: number;
      meanErrorAnomalous: number;
      seconds: number;
    };
  };
  seconds: number;
  files: string[];
}

const round = (v: number, digits = 4): number => Math.round(v * 10 ** digits) / 10 ** digits;
function mean(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Number(a[i]);
  return s / a.length;
}

function firstN(set: DigitsSet, n: number | undefined): DigitsSet {
  if (n === undefined || n >= set.labels.shape[0]) return set;
  return { images: set.images.narrow(0, 0, n), labels: set.labels.narrow(0, 0, n) };
}

/** The images whose label passes `keep`. */
function select(set: DigitsSet, keep: (label: number) => boolean): Tensor {
  const labels = set.labels.dataSync();
  const idx = Int32Array.from(Array.from(labels.keys()).filter((i) => keep(Number(labels[i]))));
  return set.images.indexSelect(0, fromData('select', idx, [idx.length], { backend: set.images.backend }));
}

function noiseOf(options: AutoencoderAppOptions): NoiseOptions | undefined {
  if (options.noise === 'gaussian') return { type: 'gaussian', std: options.noiseLevel };
  if (options.noise === 'masking') return { type: 'masking', p: options.noiseLevel };
  return undefined;
}

function epochLogger(name: string, log: (line: string) => void, epochs: number) {
  return (l: AutoencoderEpochLogs): void => {
    const parts = [`${name} epoch ${String(l.epoch + 1).padStart(String(epochs).length)}/${epochs}`, `loss ${l.loss.toFixed(5)}`];
    if (l.kl !== undefined) parts.push(`(reconstruction ${l.reconstruction?.toFixed(2)}, KL ${l.kl.toFixed(2)})`);
    parts.push(`${l.seconds.toFixed(1)} s`);
    log(parts.join('  '));
  };
}

/** Rows of images for a grid: each tensor [k, 1, 28, 28] becomes one row. */
function rows(...sets: Tensor[]): Tensor {
  return concat(sets.map((s) => s.reshape([s.shape[0], 1, 28, 28])), 0);
}

/** Decodes a size×size grid of codes spanning ±2.5 standard deviations of the prior (the VAE's "manifold"). */
function vaeManifold(vae: VAE, size: number): Tensor {
  const axis = Array.from(linspace(-2.5, 2.5, size).dataSync());
  const codes: number[] = [];
  for (const y of [...axis].reverse()) for (const x of axis) codes.push(x, y);
  return inEvalMode(vae, () => vae.decode(fromData('vaeManifold', Float32Array.from(codes), [size * size, 2])).reshape([size * size, 1, 28, 28]));
}

interface PartContext {
  options: AutoencoderAppOptions;
  train: DigitsSet;
  test: DigitsSet;
  log: (line: string) => void;
  files: string[];
}

/** 1. Reconstruction (optionally denoising). */
async function reconstructionPart({ options, train, test, log, files }: PartContext): Promise<NonNullable<AutoencoderResult['reconstruction']>> {
  const nTest = test.labels.shape[0];
  const common = { epochs: options.epochs, batchSize: options.batchSize, lr: options.lr };
  manualSeed(options.seed);
  const model: Autoencoder = options.model === 'conv'
    ? new ConvAutoencoder({ latentDim: options.latentDim })
    : new DenseAutoencoder({ inputDim: 784, hidden: [256, 64], latentDim: options.latentDim });
  const noise = noiseOf(options);
  log(`1. ${options.model} autoencoder, latent ${options.latentDim}${noise ? `, denoising (${options.noise} ${options.noiseLevel})` : ''}: ${model.numParameters()} parameters`);
  const rec = await trainAutoencoder(model, train.images, { ...common, noise, seed: options.seed, onEpochEnd: epochLogger('  autoencoder', log, options.epochs) });
  const testMse = mean(await reconstructionErrors(model, test.images));
  log(`  test reconstruction MSE ${testMse.toFixed(5)}`);
  let denoisedMse: number | undefined;
  let noisyMse: number | undefined;
  let noisyTest: Tensor | undefined;
  if (noise) {
    noisyTest = addNoise(test.images, noise, new Generator(options.seed + 1));
    const denoised = reconstruct(model, noisyTest);
    denoisedMse = mean(denoised.sub(test.images).square().flatten(1).mean(1).dataSync());
    noisyMse = mean(noisyTest.sub(test.images).square().flatten(1).mean(1).dataSync());
    log(`  denoising: corrupted test images MSE ${noisyMse.toFixed(5)} → reconstructions ${denoisedMse.toFixed(5)}`);
  }
  if (options.plots) {
    const k = Math.min(16, nTest);
    const inputs = test.images.narrow(0, 0, k);
    const shown = noisyTest ? rows(inputs, noisyTest.narrow(0, 0, k), reconstruct(model, noisyTest.narrow(0, 0, k))) : rows(inputs, reconstruct(model, inputs));
    const path = join(options.out, 'reconstructions.png');
    saveImageGrid(path, shown, { nrow: k, scale: 2 });
    files.push(path);
    log(`  wrote ${path} (rows: ${noisyTest ? 'clean, corrupted, reconstructed' : 'inputs, reconstructions'})`);
  }
  return {
    model: options.model,
    latentDim: options.latentDim,
    params: model.numParameters(),
    noise: noise ? `${options.noise} ${options.noiseLevel}` : 'none',
    testMse: round(testMse, 5),
    ...(denoisedMse !== undefined ? { denoisedMse: round(denoisedMse, 5), noisyMse: round(noisyMse as number, 5) } : {}),
    seconds: round(rec.seconds, 1),
  };
}

/** 2. VAE with a 2-D latent space. */
async function vaePart({ options, train, test, log, files }: PartContext): Promise<NonNullable<AutoencoderResult['vae']>> {
  const nTest = test.labels.shape[0];
  const common = { epochs: options.epochs, batchSize: options.batchSize, lr: options.lr };
  manualSeed(options.seed);
  const vae = new VAE({ inputDim: 784, hidden: [256], latentDim: 2, generator: new Generator(options.seed) });
  log(`2. VAE, latent 2: ${vae.numParameters()} parameters`);
  const vaeRun = await trainAutoencoder(vae, train.images, { ...common, seed: options.seed, onEpochEnd: epochLogger('  VAE', log, options.epochs) });
  const { testBce, testKl, mu } = inEvalMode(vae, () => {
    const out = vae.forward(test.images);
    const bce = out.logits.neg().exp().log1p().add(out.logits).sub(out.logits.mul(test.images)).flatten(1).sum(1).mean();
    const kl = out.logVar.add(1).sub(out.mu.square()).sub(out.logVar.exp()).sum(1).mul(-0.5).mean();
    return { testBce: bce.item() as number, testKl: kl.item() as number, mu: out.mu };
  });
  log(`  test: reconstruction BCE ${testBce.toFixed(2)} + KL ${testKl.toFixed(2)} per image`);
  if (options.plots) {
    const latent = await plotLatentSpace(mu, test.labels, join(options.out, 'vae-latent'), { title: `VAE latent space: ${nTest} test digits (posterior means)` });
    files.push(latent.png, latent.svg);
    const manifold = join(options.out, 'vae-manifold.png');
    saveImageGrid(manifold, vaeManifold(vae, 15), { nrow: 15, padding: 0 });
    files.push(manifold);
    log(`  wrote ${latent.png} and ${manifold}`);
  }
  return { latentDim: 2, testBce: round(testBce, 2), testKl: round(testKl, 2), seconds: round(vaeRun.seconds, 1) };
}

function c2aeLogger(log: (line: string) => void, classifierEpochs: number, decoderEpochs: number) {
  return (l: ConditionalEpochLogs): void => {
    if (l.stage === 'classifier') {
      log(`  C2AE classifier epoch ${String(l.epoch + 1).padStart(String(classifierEpochs).length)}/${classifierEpochs}  cross-entropy ${l.loss.toFixed(4)}  accuracy ${(l.accuracy ?? 0).toFixed(4)}  ${l.seconds.toFixed(1)} s`);
    } else if (l.epoch % 5 === 4 || l.epoch + 1 === decoderEpochs) {
      log(`  C2AE decoder epoch ${String(l.epoch + 1).padStart(String(decoderEpochs).length)}/${decoderEpochs}  loss ${l.loss.toFixed(5)} (match ${l.match?.toFixed(5)}, non-match ${l.nonMatch?.toFixed(5)})  ${l.seconds.toFixed(1)} s`);
    }
  };
}

/**
 * 3. Anomaly detection: train on every digit but one, flag it on the test split. The detector is
 * a class-conditional autoencoder (C2AE) scored by its per-label reconstruction errors; a plain
 * dense autoencoder scored by its reconstruction error is the baseline.
 */
async function anomalyPart({ options, train, test, log, files }: PartContext): Promise<AutoencoderResult['anomaly']> {
  const nTest = test.labels.shape[0];
  const digit = options.anomalyDigit;
  const trainLabels = Array.from(train.labels.dataSync(), Number);
  const normalTrain = select(train, (l) => l !== digit);
  // The known digits relabelled 0 … 8 in order (skipping the left-out one), back to digits for display.
  const known = Array.from({ length: 10 }, (_, d) => d).filter((d) => d !== digit);
  const normalLabels = trainLabels.filter((l) => l !== digit).map((l) => known.indexOf(l));
  const testLabels = Array.from(test.labels.dataSync(), Number);
  const isAnomaly = testLabels.map((l) => (l === digit ? 1 : 0));
  const nAnomalous = isAnomaly.filter((a) => a === 1).length;
  const both = nAnomalous > 0 && nAnomalous < nTest;

  manualSeed(options.seed);
  const c2ae = new ConditionalAutoencoder({ inputDim: 784, numClasses: known.length, latentDim: options.c2aeLatentDim, hidden: [256, 64] });
  log(`3. anomaly detector: class-conditional autoencoder (C2AE), latent ${options.c2aeLatentDim}, ${c2ae.numParameters()} parameters, trained on the ${normalTrain.shape[0]} training images that are not ${digit}`);
  const c2aeRun = await trainConditionalAutoencoder(c2ae, normalTrain, normalLabels, {
    classifierEpochs: options.epochs, decoderEpochs: options.decoderEpochs, batchSize: options.batchSize, lr: options.lr, alpha: options.alpha,
    seed: options.seed, onEpochEnd: c2aeLogger(log, options.epochs, options.decoderEpochs),
  });
  const labelErrors = await labelReconstructionErrors(c2ae, test.images);
  const minScore = scoreLabelErrors(labelErrors, 'min');
  const ratioScore = scoreLabelErrors(labelErrors, 'ratio');
  const aucMin = both ? rocAuc(minScore, isAnomaly) : NaN;
  const aucRatio = both ? rocAuc(ratioScore, isAnomaly) : NaN;
  const predicted = bestLabels(labelErrors);
  let correct = 0;
  testLabels.forEach((l, i) => {
    if (l !== digit && known[predicted[i]] === l) correct++;
  });
  const knownAccuracy = correct / Math.max(1, nTest - nAnomalous);
  const auc = options.score === 'ratio' ? aucRatio : aucMin;
  log(`  test: ROC-AUC ${auc.toFixed(4)} (${options.score}) flagging ${nAnomalous} ${digit}s among ${nTest} digits; smallest error ${aucMin.toFixed(4)}, smallest/second ${aucRatio.toFixed(4)}; the best-reconstructing label is right for ${(100 * knownAccuracy).toFixed(1)}% of the known digits`);

  // The baseline: a plain dense autoencoder on the same images.
  manualSeed(options.seed);
  const detector = new DenseAutoencoder({ inputDim: 784, hidden: [256, 64], latentDim: options.anomalyLatentDim });
  log(`  baseline: dense autoencoder, latent ${options.anomalyLatentDim}, on the same images`);
  const common = { epochs: options.epochs, batchSize: options.batchSize, lr: options.lr };
  const det = await trainAutoencoder(detector, normalTrain, { ...common, seed: options.seed, onEpochEnd: epochLogger('  baseline', log, options.epochs) });
  const errors = await reconstructionErrors(detector, test.images);
  const relativeErrors = await reconstructionErrors(detector, test.images, { relative: true });
  const anomalous = Array.from(errors).filter((_, i) => isAnomaly[i] === 1);
  const normal = Array.from(errors).filter((_, i) => isAnomaly[i] === 0);
  const baseAuc = both ? rocAuc(errors, isAnomaly) : NaN;
  const baseAucRelative = both ? rocAuc(relativeErrors, isAnomaly) : NaN;
  log(`  baseline test: ROC-AUC ${baseAuc.toFixed(4)} (relative error: ${baseAucRelative.toFixed(4)}); mean error ${mean(anomalous).toFixed(5)} vs ${mean(normal).toFixed(5)}`);

  if (options.plots && nAnomalous > 0) {
    // The 16 test digits the C2AE scores most anomalous, over their best-label reconstructions.
    const score = options.score === 'ratio' ? ratioScore : minScore;
    const order = Array.from(score.keys()).sort((a, b) => score[b] - score[a]).slice(0, 16);
    const worst = test.images.indexSelect(0, fromData('worst', Int32Array.from(order), [order.length], { backend: test.images.backend }));
    const recon = inEvalMode(c2ae, () => c2ae.forward(worst, order.map((i) => predicted[i])));
    const path = join(options.out, 'anomalies.png');
    saveImageGrid(path, stack([worst, recon.reshape(worst.shape)]).reshape([2 * order.length, 1, 28, 28]), { nrow: order.length, scale: 2 });
    files.push(path);
    log(`  wrote ${path} (the ${order.length} most anomalous test digits over their best-label reconstructions; ${order.filter((i) => isAnomaly[i] === 1).length} are ${digit}s)`);
  }

  return {
    digit,
    trainImages: normalTrain.shape[0],
    testNormal: nTest - nAnomalous,
    testAnomalous: nAnomalous,
    rocAuc: round(auc),
    score: options.score,
    c2ae: {
      latentDim: options.c2aeLatentDim,
      params: c2ae.numParameters(),
      classifierEpochs: options.epochs,
      decoderEpochs: options.decoderEpochs,
      alpha: options.alpha,
      rocAucMin: round(aucMin),
      rocAucRatio: round(aucRatio),
      knownAccuracy: round(knownAccuracy),
      seconds: round(c2aeRun.seconds, 1),
    },
    baseline: {
      latentDim: options.anomalyLatentDim,
      rocAuc: round(baseAuc),
      rocAucRelative: round(baseAucRelative),
      meanErrorNormal: round(mean(normal), 5),
      meanErrorAnomalous: round(mean(anomalous), 5),
      seconds: round(det.seconds, 1),
    },
  };
}

/**
 * The whole demo: reconstruction autoencoder, 2-D VAE, anomaly detector (or only the last with
 * --only anomaly). Returns the result object; `log` receives the progress lines.
 */
export async function run(options: AutoencoderAppOptions, log: (line: string) => void = console.log): Promise<AutoencoderResult> {
  const start = performance.now();
  const files: string[] = [];
  if (options.plots) mkdirSync(options.out, { recursive: true });
  // The split is fixed (seed 0), so every run tests on the same 1,000 held-out digits.
  const splits = loadDigits();
  const train = firstN(splits.train, options.limit);
  const test = firstN(splits.test, options.limit);
  const nTrain = train.labels.shape[0];
  const nTest = test.labels.shape[0];
  log(`digits: ${nTrain} train, ${nTest} test images`);
  const context: PartContext = { options, train, test, log, files };
  const all = options.only === 'all';
  const reconstruction = all ? await reconstructionPart(context) : undefined;
  const vae = all ? await vaePart(context) : undefined;
  const anomaly = await anomalyPart(context);
  return {
    backend: getBackend().name,
    seed: options.seed,
    epochs: options.epochs,
    batchSize: options.batchSize,
    lr: options.lr,
    trainImages: nTrain,
    testImages: nTest,
    ...(reconstruction ? { reconstruction } : {}),
    ...(vae ? { vae } : {}),
    anomaly,
    seconds: round((performance.now() - start) / 1000, 1),
    files,
  };
}
