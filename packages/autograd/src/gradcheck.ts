import type { Tensor } from '@plexus/tensor';
import { ArgumentError, Generator, fromData, isFloating, randn } from '@plexus/tensor';
import { gradients } from './functional.js';

export interface GradCheckOptions {
  /** Finite-difference step. */
  eps?: number;
  atol?: number;
  rtol?: number;
  /** Seed of the random projection applied to non-scalar outputs. */
  seed?: number;
}

export interface GradCheckResult {
  ok: boolean;
  maxAbsError: number;
  /** Describes the worst mismatches when not ok. */
  message: string;
}

type Fn = (...xs: Tensor[]) => Tensor;

/**
 * Compares autograd's gradient of `fn` with central finite differences in float64. Non-scalar
 * outputs are projected on a fixed random direction v (checking vᵀJ). Floating inputs must be
 * float64; integer inputs (indices) pass through unchanged.
 */
export function gradCheck(fn: Fn, inputs: readonly Tensor[], options: GradCheckOptions = {}): GradCheckResult {
  const { eps = 1e-6, atol = 1e-5, rtol = 1e-3, seed = 1234 } = options;
  inputs.forEach((x, i) => {
    if (isFloating(x.dtype) && x.dtype !== 'float64') {
      throw new ArgumentError(`gradCheck: inputs[${i}] is ${x.dtype}; finite differences need float64 inputs`);
    }
  });
  const diff = inputs.map((x) => isFloating(x.dtype));
  const leaves = inputs.map((x, i) => (diff[i] ? x.detach().requiresGrad_() : x));
  const y0 = fn(...leaves);
  const v = randn(y0.shape, { dtype: 'float64', generator: new Generator(seed), backend: y0.backend });
  const project = (y: Tensor): Tensor => y.cast('float64').mul(v).sum();
  const analytic = gradients([project(y0)], leaves.filter((_, i) => diff[i]));
  const problems: string[] = [];
  let maxAbsError = 0;
  let k = 0;
  leaves.forEach((x, i) => {
    if (!diff[i]) return;
    const a = analytic[k++].dataSync();
    const base = Float64Array.from(x.dataSync());
    for (let j = 0; j < base.length; j++) {
      // Evaluated with gradients recorded and fresh leaves that require grad, like the analytic
      // pass: a function that takes gradients inside (gradGradCheck, a loss built from u_x) must
      // see the same thing under both. Integer inputs pass through unchanged.
      const at = (delta: number): number => {
        const data = Float64Array.from(base);
        data[j] += delta;
        const xs = leaves.map((l, m) => {
          if (!diff[m]) return l;
          return (m === i ? fromData('gradCheck', data, x.shape, { backend: x.backend }) : l.detach()).requiresGrad_();
        });
        return project(fn(...xs)).item() as number;
      };
      const numeric = (at(eps) - at(-eps)) / (2 * eps);
      const err = Math.abs(a[j] - numeric);
      maxAbsError = Math.max(maxAbsError, err);
      if (!(err <= atol + rtol * Math.abs(numeric))) {
        if (problems.length < 5) problems.push(`input ${i} element ${j}: autograd ${a[j]}, finite difference ${numeric}`);
      }
    }
  });
  return {
    ok: problems.length === 0,
    maxAbsError,
    message: problems.length ? `gradCheck failed: ${problems.join('; ')}` : 'ok',
  };
}

/**
 * Checks second derivatives: gradCheck of x ↦ Σ wᵢ·∂f/∂xᵢ, where the inner gradient is taken
 * with createGraph so that its own gradient can be compared with finite differences.
 */
export function gradGradCheck(fn: Fn, inputs: readonly Tensor[], options: GradCheckOptions = {}): GradCheckResult {
  const seed = options.seed ?? 1234;
  const diff = inputs.map((x) => isFloating(x.dtype));
  return gradCheck((...xs) => {
    const y = fn(...xs);
    const v = randn(y.shape, { dtype: 'float64', generator: new Generator(seed + 1), backend: y.backend });
    const wrt = xs.filter((_, i) => diff[i]);
    const gs = gradients([y.cast('float64').mul(v).sum()], wrt, { createGraph: true });
    return gs
      .map((g, i) => g.mul(randn(g.shape, { dtype: 'float64', generator: new Generator(seed + 2 + i), backend: g.backend })).sum())
      .reduce((acc, t) => acc.add(t));
  }, inputs, options);
}
