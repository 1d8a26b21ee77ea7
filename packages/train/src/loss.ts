import type { Tensor } from '@plexus/tensor';
import { ArgumentError, isTensor } from '@plexus/tensor';

/** A loss: a function such as `crossEntropy`, or a loss module such as `new CrossEntropyLoss()`. Must return the batch mean. */
export type LossFn = (output: Tensor, target: Tensor) => Tensor;
export type LossLike = LossFn | { forward(output: Tensor, target: Tensor): Tensor };

export function checkLoss(op: string, loss: unknown): asserts loss is LossLike {
  const ok = typeof loss === 'function' || (loss !== null && typeof loss === 'object' && typeof (loss as { forward?: unknown }).forward === 'function');
  if (!ok) throw new ArgumentError(`${op}: loss must be a function (output, target) => Tensor or a loss module, got ${loss === null ? 'null' : typeof loss}`);
}

export function computeLoss(op: string, loss: LossLike, output: Tensor, target: Tensor): Tensor {
  const value = typeof loss === 'function' ? loss(output, target) : loss.forward(output, target);
  if (!isTensor(value)) throw new ArgumentError(`${op}: the loss returned ${value === null ? 'null' : typeof value}, expected a Tensor`);
  if (value.size !== 1) {
    throw new ArgumentError(`${op}: the loss returned ${value.describe()}; expected one value, the batch mean (use reduction 'mean')`);
  }
  return value;
}
