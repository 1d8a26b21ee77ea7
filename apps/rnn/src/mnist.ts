import { join } from 'node:path';
import type { DigitsSet } from '@plexus/data';
import { DataLoader, RandomAffine, TensorDataset, loadDigits } from '@plexus/data';
import { crossEntropy } from '@plexus/nn';
import { Adam, OneCycleLR } from '@plexus/optim';
import type { CellType } from '@plexus/rnn';
import { SequenceClassifier, rowSequences } from '@plexus/rnn';
import type { Tensor } from '@plexus/tensor';
import { Generator, manualSeed } from '@plexus/tensor';
import type { BatchSource } from '@plexus/train';
import { evaluate, fit, plotLearningCurves } from '@plexus/train';
import type { RnnOptions } from './options.js';

// MNIST's usual normalisation constants (the bundled digits' own are within 1%).
const MEAN = 0.1307;
const STD = 0.3081;

export interface MnistModelResult {
  cell: CellType;
  params: number;
  testAccuracy: number;
  valAccuracy: number;
  trainLoss: number;
  seconds: number;
}

function firstN(set: DigitsSet, n: number | undefined): DigitsSet {
  if (n === undefined || n >= set.labels.shape[0]) return set;
  return { images: set.images.narrow(0, 0, n), labels: set.labels.narrow(0, 0, n) };
}

/** Images [N, 1, 28, 28] → normalised rows [N, 28, 28]: step t reads pixel row t. */
const toRows = (images: Tensor): Tensor => rowSequences(images).sub(MEAN).div(STD);

function batches(loader: DataLoader<Tensor[], Tensor[]>, transform: (x: Tensor) => Tensor): BatchSource & { length: number } {
  return {
    length: loader.length,
    async *[Symbol.asyncIterator]() {
      for await (const [x, y] of loader) yield [transform(x), y];
    },
  };
}

/**
 * Row-by-row MNIST: each 28×28 digit is a sequence of 28 rows of 28 pixels, classified from the
 * recurrent layer's final state. One model per cell type, same seed and recipe.
 */
export async function runMnist(o: RnnOptions, log: (line: string) => void): Promise<{ models: MnistModelResult[]; files: string[]; trainImages: number; testImages: number }> {
  // The split is fixed (seed 0): every run tests on the same 1,000 held-out digits.
  const digits = loadDigits();
  const train = firstN(digits.train, o.limit);
  const val = firstN(digits.val, o.limit);
  const test = firstN(digits.test, o.limit);
  const files: string[] = [];
  const models: MnistModelResult[] = [];
  for (const cell of o.cells) {
    manualSeed(o.seed);
    const model = new SequenceClassifier({ cell, inputSize: 28, hiddenSize: o.hidden, numLayers: o.layers, bidirectional: o.bidirectional, numClasses: 10, pooling: o.pooling });
    const affine = new RandomAffine({ degrees: 8, translate: [0.08, 0.08], scale: [0.9, 1.1], generator: new Generator(o.seed + 1) });
    const loader = new DataLoader(new TensorDataset(train.images, train.labels), { batchSize: o.batchSize, shuffle: true, generator: new Generator(o.seed) });
    const trainSource = batches(loader, (x) => toRows(o.augment ? affine.forward(x) : x));
    const valSource = batches(new DataLoader(new TensorDataset(val.images, val.labels), { batchSize: 500 }), toRows);
    const optimizer = new Adam(model.parameters(), { lr: o.lr });
    const scheduler = new OneCycleLR(optimizer, { maxLr: o.lr, epochs: o.epochs, stepsPerEpoch: loader.length, pctStart: 0.2 });
    log(`${cell.toUpperCase()}: ${model.numParameters()} parameters, hidden ${o.hidden}, ${o.layers} layer(s)${o.bidirectional ? ', bidirectional' : ''}`);
    const started = performance.now();
    const history = await fit(model, {
      train: trainSource,
      val: valSource,
      epochs: o.epochs,
      optimizer,
      scheduler,
      loss: crossEntropy,
      metrics: ['accuracy'],
      clipGradNorm: o.clip > 0 ? o.clip : undefined,
      verbose: o.verbose,
    });
    const seconds = (performance.now() - started) / 1000;
    const testLogs = await evaluate(model, batches(new DataLoader(new TensorDataset(test.images, test.labels), { batchSize: 500 }), toRows), { metrics: ['accuracy'] });
    const last = history.last ?? {};
    const result: MnistModelResult = {
      cell,
      params: model.numParameters(),
      testAccuracy: testLogs.accuracy,
      valAccuracy: last.valAccuracy ?? NaN,
      trainLoss: last.loss ?? NaN,
      seconds,
    };
    log(`${cell.toUpperCase()}: test accuracy ${(100 * result.testAccuracy).toFixed(2)}% (val ${(100 * result.valAccuracy).toFixed(2)}%), ${seconds.toFixed(0)} s`);
    models.push(result);
    if (o.plots) {
      const written = await plotLearningCurves(history, join(o.out, `mnist-${cell}-curves`), { title: `Row-by-row MNIST, ${cell.toUpperCase()}` });
      files.push(written.png, written.svg);
    }
  }
  return { models, files, trainImages: train.labels.shape[0], testImages: test.labels.shape[0] };
}
