import type { UnaryModule } from '@plexus/nn';
import type { Tensor } from '@plexus/tensor';
import { ArgumentError, concat, isTensor, noGrad } from '@plexus/tensor';
import type { BatchSource } from './batches.js';
import { batchSize, batchesOf, checkSource, inputAndTarget, inputOf, scalar } from './batches.js';
import type { EpochLogs } from './history.js';
import type { LossLike } from './loss.js';
import { checkLoss, computeLoss } from './loss.js';
import type { Metric, MetricSpec } from './metrics/index.js';
import { resolveMetrics } from './metrics/index.js';

export interface EvaluateOptions {
  /** Adds 'loss', the mean over samples. */
  loss?: LossLike;
  metrics?: MetricSpec[];
}

/** Runs `fn` with the model in evaluation mode, then puts back each module's mode. */
export async function inEvalMode<T>(model: UnaryModule, fn: () => Promise<T>): Promise<T> {
  const modules = model.modules();
  const modes = modules.map((m) => m.training);
  model.eval();
  try {
    return await fn();
  } finally {
    modules.forEach((m, i) => {
      m.training = modes[i];
    });
  }
}

/** The evaluation loop shared by `evaluate` and `fit`'s validation: eval mode, no gradients. */
export async function runEvaluation(op: string, model: UnaryModule, source: BatchSource, loss: LossLike | undefined, metrics: Metric[]): Promise<EpochLogs> {
  return inEvalMode(model, async () => {
    for (const m of metrics) m.reset();
    let lossSum = 0;
    let seen = 0;
    let index = 0;
    for await (const batch of batchesOf(source)) {
      const [x, y] = inputAndTarget(op, batch, index++);
      const n = batchSize(x);
      const [out, lossT] = noGrad(() => {
        const o = model.forward(x);
        return [o, loss ? computeLoss(op, loss, o, y) : undefined] as const;
      });
      if (lossT) lossSum += (await scalar(lossT)) * n;
      seen += n;
      for (const m of metrics) await m.update(out, y);
    }
    if (seen === 0) throw new ArgumentError(`${op}: the evaluation source yielded no batches`);
    const logs: EpochLogs = {};
    if (loss) logs.loss = lossSum / seen;
    for (const m of metrics) logs[m.name] = m.compute();
    return logs;
  });
}

/**
 * The loss (mean over samples) and metrics of `model` on a loader, in evaluation mode and without
 * recording gradients (Keras's evaluate). Returns e.g. `{ loss: 0.08, accuracy: 0.975 }`.
 */
export async function evaluate(model: UnaryModule, source: BatchSource, options: EvaluateOptions = {}): Promise<EpochLogs> {
  checkSource('evaluate', 'source', source);
  if (options.loss !== undefined) checkLoss('evaluate', options.loss);
  const metrics = resolveMetrics('evaluate', options.metrics);
  if (!options.loss && metrics.length === 0) throw new ArgumentError('evaluate: give a loss, metrics, or both');
  return runEvaluation('evaluate', model, source, options.loss, metrics);
}

export interface PredictOptions {
  /** For a tensor input: samples per forward pass (default 256). */
  batchSize?: number;
}

/**
 * The model's outputs for every sample, concatenated along the first dimension, in evaluation
 * mode without gradients. The input is a tensor (split into batches) or a loader whose batches
 * are x, [x, …] or { x }.
 */
export async function predict(model: UnaryModule, input: Tensor | BatchSource, options: PredictOptions = {}): Promise<Tensor> {
  const size = options.batchSize ?? 256;
  if (!Number.isInteger(size) || size < 1) throw new ArgumentError(`predict: batchSize must be a positive integer, got ${size}`);
  let source: BatchSource;
  if (isTensor(input)) {
    if (input.rank === 0) throw new ArgumentError('predict: expected a batch of inputs, got a scalar tensor');
    source = input.shape[0] === 0 ? [] : input.split(size, 0);
  } else {
    checkSource('predict', 'input', input);
    source = input;
  }
  return inEvalMode(model, async () => {
    const outputs: Tensor[] = [];
    let index = 0;
    for await (const batch of batchesOf(source)) {
      const x = inputOf('predict', batch, index++);
      outputs.push(noGrad(() => model.forward(x)));
    }
    if (outputs.length === 0) throw new ArgumentError('predict: no inputs (an empty tensor or a source with no batches)');
    return outputs.length === 1 ? outputs[0] : concat(outputs, 0);
  });
}
