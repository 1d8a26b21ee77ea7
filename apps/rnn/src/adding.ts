import { join } from 'node:path';
import { mseLoss } from '@plexus/nn';
import { Adam, OneCycleLR } from '@plexus/optim';
import type { CellType } from '@plexus/rnn';
import { SequenceRegressor, addingProblem, chronoInit_ } from '@plexus/rnn';
import { Generator, manualSeed } from '@plexus/tensor';
import type { BatchSource } from '@plexus/train';
import { fit } from '@plexus/train';
import type { RnnOptions } from './options.js';
import { plotAddingCurves } from './plot.js';

const TEST_SEQUENCES = 1000;

export interface AddingModelResult {
  cell: CellType;
  params: number;
  /** MSE on the 1,000 held-out sequences after training. */
  testMse: number;
  /** Held-out MSE after each epoch. */
  testMseByEpoch: number[];
  /** Below 0.01? */
  solved: boolean;
  seconds: number;
}

/**
 * Fresh sequences every epoch from one seeded stream, so no model sees a sequence twice. Async,
 * and it lets the event loop turn between batches: native backends free tensors in Node-API
 * finalizers, which run from the macrotask queue, so a loop that never yields (a synchronous
 * source) piles up every step's intermediates (measured ~200 MB a step at T = 100 on 'cpu').
 */
function freshBatches(perEpoch: number, batchSize: number, length: number, generator: Generator): BatchSource & { length: number } {
  const steps = Math.ceil(perEpoch / batchSize);
  return {
    length: steps,
    async *[Symbol.asyncIterator]() {
      for (let i = 0; i < steps; i++) {
        await new Promise((resolve) => setImmediate(resolve));
        const { x, y } = addingProblem(Math.min(batchSize, perEpoch - i * batchSize), length, { generator });
        yield [x, y];
      }
    },
  };
}

/**
 * The adding problem at length T: the target is the sum of the two values marked in a sequence of
 * T [value, marker] pairs, one marker in each half, so the first value must be kept for up to T
 * steps. Trains one model per cell type with the same seed, data stream and recipe.
 */
export async function runAdding(o: RnnOptions, log: (line: string) => void): Promise<{ models: AddingModelResult[]; baselineMse: number; sequencesPerEpoch: number; chrono: boolean; files: string[] }> {
  const perEpoch = o.limit ?? 3200;
  const test = addingProblem(TEST_SEQUENCES, o.length, { seed: o.seed + 1000 });
  // Always answering 1 (the mean of the sum of two U(0, 1)): MSE 1/6 in expectation.
  const baselineMse = test.y.sub(1).square().mean().item() as number;
  log(`adding problem, T = ${o.length}: baseline (always 1.0) test MSE ${baselineMse.toFixed(4)}`);
  const models: AddingModelResult[] = [];
  for (const cell of o.cells) {
    manualSeed(o.seed);
    const model = new SequenceRegressor({ cell, inputSize: 2, hiddenSize: o.hidden, numLayers: o.layers, bidirectional: o.bidirectional });
    // A plain RNN has no gate to initialise: it keeps PyTorch's init either way.
    if (o.chrono && cell !== 'rnn') chronoInit_(model.rnn, o.length, { generator: new Generator(o.seed + 2) });
    const train = freshBatches(perEpoch, o.batchSize, o.length, new Generator(o.seed + 1));
    const optimizer = new Adam(model.parameters(), { lr: o.lr });
    const scheduler = new OneCycleLR(optimizer, { maxLr: o.lr, epochs: o.epochs, stepsPerEpoch: train.length, pctStart: 0.1 });
    log(`${cell.toUpperCase()}: ${model.numParameters()} parameters, hidden ${o.hidden}`);
    const started = performance.now();
    const history = await fit(model, {
      train,
      val: [[test.x, test.y]],
      epochs: o.epochs,
      optimizer,
      scheduler,
      loss: mseLoss,
      clipGradNorm: o.clip > 0 ? o.clip : undefined,
      verbose: o.verbose,
    });
    const seconds = (performance.now() - started) / 1000;
    const byEpoch = [...(history.history.valLoss ?? [])];
    const testMse = byEpoch[byEpoch.length - 1] ?? NaN;
    models.push({ cell, params: model.numParameters(), testMse, testMseByEpoch: byEpoch, solved: testMse < 0.01, seconds });
    log(`${cell.toUpperCase()}: test MSE ${testMse.toFixed(5)} (baseline ${baselineMse.toFixed(4)}), ${seconds.toFixed(0)} s`);
  }
  const files: string[] = [];
  if (o.plots) {
    const written = await plotAddingCurves(models.map((m) => ({ label: m.cell.toUpperCase(), values: m.testMseByEpoch })), baselineMse, `Adding problem, T = ${o.length}: held-out MSE`, join(o.out, 'adding-mse'));
    files.push(written.png, written.svg);
  }
  return { models, baselineMse, sequencesPerEpoch: perEpoch, chrono: o.chrono, files };
}
