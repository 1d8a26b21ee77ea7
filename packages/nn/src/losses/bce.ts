import type { Tensor } from '@plexus/tensor';
import { ArgumentError, where } from '@plexus/tensor';
import type { ReductionOptions } from './reduction.js';
import { optionalWeight, reduce, sameShapeTarget } from './reduction.js';

export interface BCEOptions extends ReductionOptions {
  /** Rescales each element's loss; broadcast against the input. */
  weight?: Tensor | null;
}

/**
 * log(p) clamped below at −100, as PyTorch does, so p = 0 or 1 gives a finite loss. The log sees
 * 1 where p <= 0 and the clamp is a select, so no 0·∞ reaches the gradient.
 */
function clampedLog(p: Tensor): Tensor {
  const positive = p.gt(0);
  const lp = where(positive, p, 1).log();
  return where(positive.logicalAnd(lp.gt(-100)), lp, -100);
}

function checkProbabilities(input: Tensor): void {
  if (!input.backend.readSync || input.size === 0) return;
  const data = input.dataSync();
  for (let i = 0; i < data.length; i++) {
    if (!(data[i] >= 0 && data[i] <= 1)) {
      throw new ArgumentError(`binaryCrossEntropy: input must hold probabilities in [0, 1], got ${data[i]} at flat position ${i}; for logits use bceWithLogits`);
    }
  }
}

/** Binary cross entropy of probabilities: −w·(y·log p + (1 − y)·log(1 − p)), logs clamped at −100. */
export function binaryCrossEntropy(input: Tensor, target: Tensor, options: BCEOptions = {}): Tensor {
  const y = sameShapeTarget('binaryCrossEntropy', input, target);
  checkProbabilities(input);
  const weight = optionalWeight('binaryCrossEntropy', 'weight', options.weight, input);
  let loss = y.mul(clampedLog(input)).add(y.neg().add(1).mul(clampedLog(input.neg().add(1)))).neg();
  if (weight) loss = loss.mul(weight);
  return reduce('binaryCrossEntropy', loss, options.reduction);
}

export interface BCEWithLogitsOptions extends BCEOptions {
  /** Weight of the positive examples per class (broadcast along the last dim): > 1 raises recall. */
  posWeight?: Tensor | null;
}

/**
 * Binary cross entropy of logits, −w·(pw·y·log σ(x) + (1 − y)·log(1 − σ(x))), in the stable form
 * (1 − y)·x + (1 + (pw − 1)·y)·(log(1 + e^(−|x|)) + max(−x, 0)), which never overflows.
 */
export function bceWithLogits(input: Tensor, target: Tensor, options: BCEWithLogitsOptions = {}): Tensor {
  const y = sameShapeTarget('bceWithLogits', input, target);
  const weight = optionalWeight('bceWithLogits', 'weight', options.weight, input);
  const posWeight = optionalWeight('bceWithLogits', 'posWeight', options.posWeight, input);
  // −log σ(x), stably.
  const softplusNeg = input.abs().neg().exp().log1p().add(input.neg().maximum(0));
  const logWeight = posWeight ? posWeight.sub(1).mul(y).add(1) : null;
  let loss = y.neg().add(1).mul(input).add(logWeight ? logWeight.mul(softplusNeg) : softplusNeg);
  if (weight) loss = loss.mul(weight);
  return reduce('bceWithLogits', loss, options.reduction);
}
