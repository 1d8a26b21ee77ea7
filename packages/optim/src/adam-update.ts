import type { Tensor } from '@plexus/tensor';
import { maximum, zerosLike } from '@plexus/tensor';
import { addcdiv, addcmul, addScaled, lerp } from './pointwise.js';

/** Options shared by Adam and AdamW. */
export interface AdamFamilyOptions {
  lr: number;
  /** Decay rates of the first and second moment averages. */
  betas: readonly [number, number];
  /** Added to the denominator after the square root, for stability. */
  eps: number;
  weightDecay: number;
  /** Use the maximum of past second moments (Reddi et al., 2018). */
  amsgrad: boolean;
  maximize: boolean;
}

export type AdamState = { step: number; expAvg: Tensor; expAvgSq: Tensor; maxExpAvgSq?: Tensor };

/**
 * One parameter's Adam step, torch's `_single_tensor_adam`. `decoupled` gives AdamW: the
 * parameter decays by (1 − lr·wd) and the gradient carries no L2 term.
 */
export function adamUpdate(
  p: Tensor, grad: Tensor, state: AdamState | undefined, o: AdamFamilyOptions, decoupled: boolean,
): { param: Tensor; state: AdamState } {
  const { lr, betas: [beta1, beta2], eps, weightDecay, amsgrad, maximize } = o;
  let g = maximize ? grad.neg() : grad;
  let param = p;
  if (decoupled) {
    if (weightDecay !== 0) param = p.mul(1 - lr * weightDecay);
  } else if (weightDecay !== 0) {
    g = addScaled(g, p, weightDecay);
  }
  const step = (state?.step ?? 0) + 1;
  const expAvg = lerp(state?.expAvg ?? zerosLike(p), g, 1 - beta1);
  const expAvgSq = addcmul((state?.expAvgSq ?? zerosLike(p)).mul(beta2), g, g, 1 - beta2);
  const biasCorrection1 = 1 - beta1 ** step;
  const biasCorrection2Sqrt = Math.sqrt(1 - beta2 ** step);
  const stepSize = lr / biasCorrection1;
  let second = expAvgSq;
  let maxExpAvgSq: Tensor | undefined;
  if (amsgrad) {
    maxExpAvgSq = maximum(state?.maxExpAvgSq ?? zerosLike(p), expAvgSq);
    second = maxExpAvgSq;
  }
  const denom = second.sqrt().div(biasCorrection2Sqrt).add(eps);
  const next: AdamState = { step, expAvg, expAvgSq };
  if (maxExpAvgSq) next.maxExpAvgSq = maxExpAvgSq;
  return { param: addcdiv(param, expAvg, denom, -stepSize), state: next };
}
