import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { GradientNorm } from '@plexus/cnn';
import { LeNet5, measureGradientNorms, resnet, vgg } from '@plexus/cnn';
import type { DigitsSet } from '@plexus/data';
import { DataLoader, Normalize, RandomAffine, TensorDataset, loadDigits } from '@plexus/data';
import type { Module, UnaryModule } from '@plexus/nn';
import { crossEntropy } from '@plexus/nn';
import { OneCycleLR, SGD } from '@plexus/optim';
import type { Tensor } from '@plexus/tensor';
import { Generator, getBackend, manualSeed } from '@plexus/tensor';
import type { BatchSource } from '@plexus/train';
import { confusionMatrix, evaluate, fit, plotConfusionMatrix, plotLearningCurves, predict } from '@plexus/train';
import type { CnnOptions, ModelName } from './options.js';
import { DEFAULTS } from './options.js';
import { plotGradientNorms } from './plot.js';

type Net = Module & UnaryModule;

/** Images per batch in the gradient-norm comparison. */
const GRADIENT_BATCH = 32;

function buildModel(name: ModelName, depth: number, width: number, plainInit: CnnOptions['plainInit']): Net {
  switch (name) {
    case 'resnet':
      return resnet({ depth, width });
    case 'plain':
      // By default PyTorch's layer init, as a stack of nn.Conv2d without a custom init would have.
      return resnet({ depth, width, residual: false, batchNorm: false, init: plainInit });
    case 'lenet':
      return new LeNet5();
    case 'vgg':
      return vgg({ config: [width, width, 'M', 2 * width, 2 * width, 'M'] });
  }
}

function firstN(set: DigitsSet, n: number | undefined): DigitsSet {
  if (n === undefined || n >= set.labels.shape[0]) return set;
  return { images: set.images.narrow(0, 0, n), labels: set.labels.narrow(0, 0, n) };
}

/** Training batches through augmentation (optional) and normalisation, as fit() reads them. */
function transformed(loader: DataLoader<Tensor[], Tensor[]>, transform: (x: Tensor) => Tensor): BatchSource & { length: number } {
  return {
    length: loader.length,
    async *[Symbol.asyncIterator]() {
      for await (const [x, y] of loader) yield [transform(x), y];
    },
  };
}

export interface GradientSummary {
  /** Norm of the first conv's weight gradient over that of the classifier. */
  firstToLast: number;
  first: number;
  last: number;
  /** Per-layer norms in depth order (3 significant digits). */
  norms: number[];
}

export interface CnnResult {
  mode: 'train' | 'gradients';
  backend: string;
  seed: number;
  model?: ModelName;
  depth?: number;
  plainInit?: CnnOptions['plainInit'];
  width?: number;
  params?: number;
  epochs?: number;
  batchSize?: number;
  lr?: number;
  augment?: boolean;
  trainImages?: number;
  testImages?: number;
  testAccuracy?: number;
  valAccuracy?: number;
  trainLoss?: number;
  trainSeconds?: number;
  secondsPerEpoch?: number;
  gradients: {
    depth: number;
    plainInit: CnnOptions['plainInit'];
    width: number;
    batches: number;
    resnet: GradientSummary;
    plain: GradientSummary;
  };
  seconds: number;
  files: string[];
}

const sig = (v: number): number => Number(v.toPrecision(3));
const round = (v: number, digits = 4): number => Math.round(v * 10 ** digits) / 10 ** digits;

function summarize(norms: readonly GradientNorm[]): GradientSummary {
  const first = norms[0].norm;
  const last = norms[norms.length - 1].norm;
  return { firstToLast: sig(first / last), first: sig(first), last: sig(last), norms: norms.map((n) => sig(n.norm)) };
}

/**
 * Per-layer gradient norms at initialisation of the ResNet and of the plain net of the same
 * depth (no shortcuts, no BN, PyTorch's default init), averaged over a few training batches.
 */
async function compareGradients(o: CnnOptions, depth: number, batches: [Tensor, Tensor][], files: string[], log: (s: string) => void): Promise<CnnResult['gradients']> {
  manualSeed(o.seed);
  const res = measureGradientNorms(buildModel('resnet', depth, o.width, o.plainInit), batches);
  manualSeed(o.seed);
  const plain = measureGradientNorms(buildModel('plain', depth, o.width, o.plainInit), batches);
  const summary = { depth, plainInit: o.plainInit, width: o.width, batches: batches.length, resnet: summarize(res), plain: summarize(plain) };
  log(`gradient norms at init, depth ${depth}: first/last layer = ${summary.resnet.firstToLast.toExponential(2)} (resnet), ${summary.plain.firstToLast.toExponential(2)} (plain)`);
  if (o.plots) {
    const title = `Gradient norm per layer at initialisation (depth ${depth}, width ${o.width})`;
    const written = await plotGradientNorms([
      { label: `ResNet-${depth} (shortcuts + BN, He init)`, norms: res },
      { label: `plain-${depth} (no shortcuts, no BN, ${o.plainInit === 'default' ? 'PyTorch default init' : 'He init'})`, norms: plain },
    ], title, join(o.out, 'gradient-norms'));
    files.push(written.png, written.svg);
  }
  return summary;
}

/** The demo: trains the chosen model (unless gradientsOnly) and compares gradient norms at init. */
export async function run(o: CnnOptions, log: (line: string) => void = console.log): Promise<CnnResult> {
  const started = performance.now();
  if (o.plots) mkdirSync(o.out, { recursive: true });
  const files: string[] = [];
  manualSeed(o.seed);
  // The split is fixed (seed 0), so every run tests on the same 1,000 held-out digits.
  const digits = loadDigits();
  const train = firstN(digits.train, o.limit);
  const test = firstN(digits.test, o.limit);
  const val = firstN(digits.val, o.limit);
  const mean = train.images.mean().item() as number;
  const std = Math.sqrt(train.images.sub(mean).square().mean().item() as number);
  const normalize = new Normalize(mean, std);
  const norm = (x: Tensor): Tensor => normalize.forward(x);

  const gradientDepth = o.depth ?? (o.gradientsOnly || !(o.model === 'resnet' || o.model === 'plain') ? DEFAULTS.gradientDepth : DEFAULTS.trainDepth);
  const gradLoader = new DataLoader(new TensorDataset(train.images, train.labels), { batchSize: GRADIENT_BATCH, shuffle: true, generator: new Generator(o.seed) });
  const gradBatches: [Tensor, Tensor][] = [];
  for (const [x, y] of gradLoader) {
    if (gradBatches.length === o.gradientBatches) break;
    gradBatches.push([norm(x), y]);
  }
  const gradients = await compareGradients(o, gradientDepth, gradBatches, files, log);
  const base = { backend: getBackend().name, seed: o.seed, gradients };
  if (o.gradientsOnly) return { mode: 'gradients', ...base, seconds: round((performance.now() - started) / 1000, 2), files };

  const depth = o.depth ?? DEFAULTS.trainDepth;
  manualSeed(o.seed);
  const model = buildModel(o.model, depth, o.width, o.plainInit);
  const augment = new RandomAffine({ degrees: 10, translate: [0.1, 0.1], generator: new Generator(o.seed + 1) });
  const loader = new DataLoader(new TensorDataset(train.images, train.labels), { batchSize: o.batchSize, shuffle: true, generator: new Generator(o.seed + 2) });
  const trainSource = transformed(loader, o.augment ? (x) => norm(augment.forward(x)) : norm);
  const evalSource = (set: DigitsSet): [Tensor, Tensor][] => [...new DataLoader(new TensorDataset(norm(set.images), set.labels), { batchSize: 250 })].map(([x, y]) => [x, y]);
  const optimizer = new SGD(model.parameters(), { lr: o.lr, momentum: 0.9, nesterov: true, weightDecay: 5e-4 });
  const scheduler = new OneCycleLR(optimizer, { maxLr: o.lr, epochs: o.epochs, stepsPerEpoch: loader.length });
  const name = o.model === 'resnet' || o.model === 'plain' ? `${o.model}-${depth} (width ${o.width})` : o.model;
  log(`training ${name}: ${model.numParameters()} parameters, ${train.labels.shape[0]} images, ${o.epochs} epochs, augment ${o.augment}`);
  const fitStart = performance.now();
  const history = await fit(model, {
    train: trainSource,
    val: evalSource(val),
    epochs: o.epochs,
    optimizer,
    scheduler,
    loss: crossEntropy,
    metrics: ['accuracy'],
    verbose: o.verbose,
  });
  const trainSeconds = (performance.now() - fitStart) / 1000;
  const testSource = evalSource(test);
  const testLogs = await evaluate(model, testSource, { metrics: ['accuracy'] });
  log(`test accuracy ${(testLogs.accuracy * 100).toFixed(2)}% on ${test.labels.shape[0]} held-out digits (${trainSeconds.toFixed(1)} s of training)`);
  if (o.plots) {
    const curves = await plotLearningCurves(history, join(o.out, 'learning-curves'), { title: `${name} on the MNIST digits` });
    const logits = await predict(model, norm(test.images));
    const confusion = await plotConfusionMatrix(confusionMatrix(logits, test.labels, { numClasses: 10 }), join(o.out, 'confusion-matrix'), { title: `${name}: held-out test digits` });
    files.push(curves.png, curves.svg, confusion.png, confusion.svg);
  }
  const last = history.last ?? {};
  return {
    mode: 'train',
    ...base,
    model: o.model,
    ...(o.model === 'resnet' || o.model === 'plain' ? { depth } : {}),
    ...(o.model === 'plain' ? { plainInit: o.plainInit } : {}),
    width: o.width,
    params: model.numParameters(),
    epochs: o.epochs,
    batchSize: o.batchSize,
    lr: o.lr,
    augment: o.augment,
    trainImages: train.labels.shape[0],
    testImages: test.labels.shape[0],
    testAccuracy: round(testLogs.accuracy),
    valAccuracy: round(last.valAccuracy ?? NaN),
    trainLoss: round(last.loss ?? NaN),
    trainSeconds: round(trainSeconds, 1),
    secondsPerEpoch: round(trainSeconds / Math.max(1, history.length), 1),
    seconds: round((performance.now() - started) / 1000, 1),
    files,
  };
}
