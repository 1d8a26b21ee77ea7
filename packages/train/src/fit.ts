import type { UnaryModule } from '@plexus/nn';
import type { AnyOptimizer } from '@plexus/optim';
import { LRScheduler, OneCycleLR, Optimizer, ReduceLROnPlateau, clipGradNorm } from '@plexus/optim';
import { ArgumentError } from '@plexus/tensor';
import type { BatchSource } from './batches.js';
import { batchSize, batchesOf, checkSource, inputAndTarget, lengthOf, scalar } from './batches.js';
import type { BatchLogs, TrainContext } from './callbacks/callback.js';
import { Callback } from './callbacks/callback.js';
import { ProgressBar } from './callbacks/progress-bar.js';
import { runEvaluation } from './evaluate.js';
import type { EpochLogs } from './history.js';
import { History, normalizeKey, valKey } from './history.js';
import type { LossLike } from './loss.js';
import { checkLoss, computeLoss } from './loss.js';
import type { Metric, MetricSpec } from './metrics/index.js';
import { resolveMetrics } from './metrics/index.js';
import type { Scheduler } from './scheduler.js';

export interface FitOptions {
  /** Training batches: a DataLoader, or any (async) iterable of [x, y]. Iterated once per epoch. */
  train: BatchSource;
  /** Validation batches, evaluated after each epoch ('valLoss', 'valAccuracy', …). */
  val?: BatchSource;
  /** The epoch to stop at (exclusive, like Keras): with initialEpoch 2 and epochs 4, two more epochs run. */
  epochs: number;
  optimizer: AnyOptimizer;
  /** A function (output, target) => batch-mean loss, or a loss module. */
  loss: LossLike;
  /** 'accuracy', 'top5', 'precision', 'recall', 'f1', 'mse', 'mae', 'r2', Metric objects or functions. */
  metrics?: MetricSpec[];
  callbacks?: Callback[];
  /** Stepped after every epoch, or every batch for OneCycleLR; ReduceLROnPlateau gets the monitored value. */
  scheduler?: Scheduler;
  /** Override when the scheduler steps (default: 'batch' for OneCycleLR, else 'epoch'). */
  schedulerStep?: 'epoch' | 'batch';
  /** The log key ReduceLROnPlateau watches (default 'valLoss' with a val source, else 'loss'). */
  monitor?: string;
  /** 0-based epoch to start from when resuming (default 0). */
  initialEpoch?: number;
  /** 0: silent; 1 (default): a progress bar (one line per epoch outside a terminal or in CI); 2: one line per epoch. */
  verbose?: 0 | 1 | 2;
  /** Clip the gradients' joint L2 norm to this value before each step. */
  clipGradNorm?: number;
}

function checkInt(name: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new ArgumentError(`fit: ${name} must be an integer >= ${min}, got ${String(v)}`);
  return v;
}

function schedulerStepOf(scheduler: Scheduler | undefined, option: FitOptions['schedulerStep']): 'epoch' | 'batch' | undefined {
  if (!scheduler) return undefined;
  if (!(scheduler instanceof LRScheduler) && !(scheduler instanceof ReduceLROnPlateau)) {
    throw new ArgumentError('fit: scheduler must be an LRScheduler (StepLR, OneCycleLR, …) or ReduceLROnPlateau from @plexus/optim');
  }
  if (option !== undefined && option !== 'epoch' && option !== 'batch') throw new ArgumentError(`fit: schedulerStep must be 'epoch' or 'batch', got '${String(option)}'`);
  const step = option ?? (scheduler instanceof OneCycleLR ? 'batch' : 'epoch');
  if (step === 'batch' && scheduler instanceof ReduceLROnPlateau) throw new ArgumentError('fit: ReduceLROnPlateau steps once per epoch with a metric; schedulerStep must be epoch');
  return step;
}

/**
 * Trains `model` (Keras's fit, PyTorch's loop): for each epoch, in training mode, for each batch
 * zeroGrad → forward → loss → backward → step; then the validation pass in evaluation mode
 * without gradients, the scheduler step and the callbacks. Losses and metrics are means over
 * samples. Returns the History of every completed epoch. An epoch interrupted by a callback
 * during its batches (TerminateOnNaN) is not recorded.
 */
export async function fit(model: UnaryModule, options: FitOptions): Promise<History> {
  if (model === null || typeof model !== 'object' || typeof model.forward !== 'function' || typeof model.train !== 'function') {
    throw new ArgumentError('fit: model must be a Module with forward(x)');
  }
  if (options === null || typeof options !== 'object') throw new ArgumentError('fit: expected an options object { train, epochs, optimizer, loss, … }');
  const { train, val, optimizer, loss, scheduler } = options;
  checkSource('fit', 'train', train);
  if (val !== undefined) checkSource('fit', 'val', val);
  if (!(optimizer instanceof Optimizer)) throw new ArgumentError(`fit: optimizer must be an Optimizer from @plexus/optim, got ${optimizer === null ? 'null' : typeof optimizer}`);
  checkLoss('fit', loss);
  const epochs = checkInt('epochs', options.epochs, 0);
  const initialEpoch = checkInt('initialEpoch', options.initialEpoch ?? 0, 0);
  const verbose = options.verbose ?? 1;
  if (verbose !== 0 && verbose !== 1 && verbose !== 2) throw new ArgumentError(`fit: verbose must be 0, 1 or 2, got ${String(verbose)}`);
  const clip = options.clipGradNorm;
  if (clip !== undefined && !(typeof clip === 'number' && clip > 0)) throw new ArgumentError(`fit: clipGradNorm must be a positive number, got ${String(clip)}`);
  const metrics = resolveMetrics('fit', options.metrics);
  const schedulerStep = schedulerStepOf(scheduler, options.schedulerStep);
  const monitor = normalizeKey(options.monitor ?? (val !== undefined ? 'valLoss' : 'loss'));
  const callbacks = [...(options.callbacks ?? [])];
  callbacks.forEach((c, i) => {
    if (!(c instanceof Callback)) throw new ArgumentError(`fit: callbacks[${i}] is not a Callback`);
  });
  if (verbose > 0 && !callbacks.some((c) => c instanceof ProgressBar)) callbacks.unshift(new ProgressBar({ mode: verbose === 2 ? 'lines' : 'auto' }));

  const history = new History();
  const stepsPerEpoch = lengthOf(train);
  const ctx: TrainContext = { model, optimizer, scheduler, epochs, initialEpoch, stepsPerEpoch, history, stopTraining: false };
  for (const c of callbacks) c.setContext(ctx);
  const each = async (call: (c: Callback) => void | Promise<void>): Promise<void> => {
    for (const c of callbacks) await call(c);
  };

  const modules = model.modules();
  const modes = modules.map((m) => m.training);
  try {
    await each((c) => c.onTrainBegin({}));
    let step = stepsPerEpoch !== undefined ? initialEpoch * stepsPerEpoch : 0;
    for (let epoch = initialEpoch; epoch < epochs && !ctx.stopTraining; epoch++) {
      const start = performance.now();
      model.train();
      await each((c) => c.onEpochBegin(epoch, {}));
      const lr = optimizer.paramGroups[0].lr;
      for (const m of metrics) m.reset();
      let lossSum = 0;
      let seen = 0;
      let index = 0;
      let interrupted = false;
      for await (const batch of batchesOf(train)) {
        const [x, y] = inputAndTarget('fit', batch, index);
        const n = batchSize(x);
        const batchLr = optimizer.paramGroups[0].lr;
        optimizer.zeroGrad();
        const out = model.forward(x);
        const lossT = computeLoss('fit', loss, out, y);
        lossT.backward();
        if (clip !== undefined) clipGradNorm(model.parameters(), clip);
        optimizer.step();
        if (schedulerStep === 'batch') (scheduler as LRScheduler).step();
        step += 1;
        const value = await scalar(lossT);
        lossSum += value * n;
        seen += n;
        for (const m of metrics) await m.update(out, y);
        const logs: BatchLogs = { loss: value, size: n, epoch, step, seen, lr: batchLr, running: runningLogs(lossSum / seen, metrics) };
        await each((c) => c.onBatchEnd(index, logs));
        index += 1;
        if (ctx.stopTraining) {
          interrupted = true;
          break;
        }
      }
      if (interrupted) break;
      if (seen === 0) throw new ArgumentError(`fit: the train source yielded no batches in epoch ${epoch + 1}`);
      const logs: EpochLogs = { loss: lossSum / seen };
      for (const m of metrics) logs[m.name] = m.compute();
      if (val !== undefined) {
        const v = await runEvaluation('fit (validation)', model, val, loss, metrics);
        for (const [k, value] of Object.entries(v)) logs[valKey(k)] = value;
      }
      logs.lr = lr;
      logs.seconds = (performance.now() - start) / 1000;
      if (schedulerStep === 'epoch') {
        if (scheduler instanceof ReduceLROnPlateau) {
          const value = logs[monitor];
          if (value === undefined) {
            throw new ArgumentError(`fit: ReduceLROnPlateau monitors '${monitor}', which the logs lack (they have ${Object.keys(logs).join(', ')}); pass monitor`);
          }
          scheduler.step(value);
        } else (scheduler as LRScheduler).step();
      }
      history.append(epoch, logs);
      await each((c) => c.onEpochEnd(epoch, logs));
    }
    history.stopReason = ctx.stopReason;
    await each((c) => c.onTrainEnd(history.last ?? {}));
  } finally {
    // After an error too: a live progress bar would leave the terminal without a cursor.
    for (const c of callbacks) if (c instanceof ProgressBar) c.close();
    modules.forEach((m, i) => {
      m.training = modes[i];
    });
  }
  return history;
}

/** The epoch's means so far, for progress display. */
function runningLogs(loss: number, metrics: Metric[]): EpochLogs {
  const logs: EpochLogs = { loss };
  for (const m of metrics) logs[m.name] = m.compute();
  return logs;
}
