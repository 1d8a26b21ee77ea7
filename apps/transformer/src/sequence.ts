import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { round } from '@plexus/app-kit';
import { DataLoader, TensorDataset } from '@plexus/data';
import { AdamW, OneCycleLR } from '@plexus/optim';
import type { Tensor } from '@plexus/tensor';
import { Generator, getBackend, manualSeed, noGrad } from '@plexus/tensor';
import { CSVLogger, evaluate, fit, plotLearningCurves } from '@plexus/train';
import { SequenceAccuracy, TokenAccuracy, TransformerClassifier, makeSequenceTask, sequenceCrossEntropy } from '@plexus/transformer';
import type { SequenceOptions } from './options.js';

export interface SequenceResult {
  task: 'sort' | 'reverse';
  backend: string;
  seed: number;
  params: number;
  seqLen: number;
  symbols: number;
  trainSequences: number;
  testSequences: number;
  epochs: number;
  /** Fraction of held-out sequences with every position right. */
  testSequenceAccuracy: number;
  testTokenAccuracy: number;
  valSequenceAccuracyPerEpoch: number[];
  trainSeconds: number;
  seconds: number;
  examples: { input: number[]; predicted: number[]; correct: boolean }[];
  files: string[];
}

const rowsOf = (t: Tensor): number[][] => t.toArraySync() as number[][];

/** Trains a transformer encoder to sort (or reverse) sequences and scores it on held-out ones. */
export async function runSequence(o: SequenceOptions, log: (line: string) => void = console.log): Promise<SequenceResult> {
  const started = performance.now();
  if (o.plots) mkdirSync(o.out, { recursive: true });
  const { train, test: heldOut } = makeSequenceTask(o.task, {
    numTrain: o.numTrain, numTest: o.numVal + o.numTest, seqLen: o.seqLen, numSymbols: o.symbols, seed: o.seed,
  });
  const val = { x: heldOut.x.narrow(0, 0, o.numVal), y: heldOut.y.narrow(0, 0, o.numVal) };
  const test = { x: heldOut.x.narrow(0, o.numVal, o.numTest), y: heldOut.y.narrow(0, o.numVal, o.numTest) };

  manualSeed(o.seed);
  const model = new TransformerClassifier({
    vocabSize: o.symbols, numClasses: o.symbols, dModel: o.dModel, nhead: o.heads, numLayers: o.layers,
    dropout: o.dropout, maxLen: o.seqLen, pooling: 'none',
  });
  const loader = new DataLoader(new TensorDataset(train.x, train.y), { batchSize: o.batchSize, shuffle: true, generator: new Generator(o.seed + 1) });
  const evalBatches = (s: { x: Tensor; y: Tensor }): [Tensor, Tensor][] => [...new DataLoader(new TensorDataset(s.x, s.y), { batchSize: 500 })].map(([x, y]) => [x, y]);
  const optimizer = new AdamW(model.parameters(), { lr: o.lr, weightDecay: 0.01 });
  const scheduler = new OneCycleLR(optimizer, { maxLr: o.lr, epochs: o.epochs, stepsPerEpoch: loader.length });
  log(`${o.task}: ${o.numTrain} training sequences of ${o.seqLen} symbols (of ${o.symbols}); encoder ${o.layers}×(d=${o.dModel}, ${o.heads} heads), ${model.numParameters()} parameters`);
  const fitStart = performance.now();
  const history = await fit(model, {
    train: loader,
    val: evalBatches(val),
    epochs: o.epochs,
    optimizer,
    scheduler,
    loss: sequenceCrossEntropy,
    metrics: [new SequenceAccuracy(), new TokenAccuracy()],
    clipGradNorm: 1,
    verbose: o.verbose,
    callbacks: o.plots ? [new CSVLogger(join(o.out, `${o.task}-history.csv`))] : [],
  });
  const trainSeconds = (performance.now() - fitStart) / 1000;
  const logs = await evaluate(model, evalBatches(test), { metrics: [new SequenceAccuracy(), new TokenAccuracy()] });
  log(`held-out exact-sequence accuracy ${(logs.sequenceAccuracy * 100).toFixed(2)}% (${o.numTest} sequences), per position ${(logs.tokenAccuracy * 100).toFixed(2)}%, ${trainSeconds.toFixed(1)} s of training`);

  model.eval();
  const shown = test.x.narrow(0, 0, Math.min(3, o.numTest));
  const pred = noGrad(() => model.forward(shown).argmax(-1));
  const examples = rowsOf(shown).map((input, i) => {
    const predicted = rowsOf(pred)[i];
    const want = rowsOf(test.y)[i];
    return { input, predicted, correct: predicted.every((v, j) => v === want[j]) };
  });
  for (const e of examples) log(`  ${e.input.join(' ')}  →  ${e.predicted.join(' ')}  ${e.correct ? '✓' : '✗'}`);

  const files: string[] = [];
  if (o.plots) {
    const curves = await plotLearningCurves(history, join(o.out, `${o.task}-learning-curves`), {
      title: `Transformer encoder, ${o.task} ${o.seqLen} symbols of ${o.symbols}`, keys: ['loss', 'sequenceAccuracy', 'tokenAccuracy'],
    });
    files.push(curves.png, curves.svg, join(o.out, `${o.task}-history.csv`));
  }
  return {
    task: o.task,
    backend: getBackend().name,
    seed: o.seed,
    params: model.numParameters(),
    seqLen: o.seqLen,
    symbols: o.symbols,
    trainSequences: o.numTrain,
    testSequences: o.numTest,
    epochs: history.length,
    testSequenceAccuracy: round(logs.sequenceAccuracy),
    testTokenAccuracy: round(logs.tokenAccuracy),
    valSequenceAccuracyPerEpoch: (history.history.valSequenceAccuracy ?? []).map((v) => round(v)),
    trainSeconds: round(trainSeconds, 1),
    seconds: round((performance.now() - started) / 1000, 1),
    examples,
    files,
  };
}
