import '@plexus/backend-js';
import { expect } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import { Generator, manualSeed, randn } from '@plexus/tensor';
import { gradients } from '@plexus/autograd';
import type { Module } from '@plexus/nn';
import { functionalCall, gradCheckModule } from '@plexus/nn';

export function randn64(seed: number, shape: number[]): Tensor {
  manualSeed(seed);
  return randn(shape, { dtype: 'float64' });
}

type Net = Module & { forward(x: Tensor): Tensor };

/** Projects the model output on a fixed random direction, so the check is of a scalar. */
function projected(model: Net, x: Tensor, params: Record<string, Tensor>): Tensor {
  const y = functionalCall(model, params, () => model.forward(x));
  const v = randn(y.shape, { dtype: 'float64', generator: new Generator(99) });
  return y.mul(v).sum();
}

/** gradCheck in float64 w.r.t. the input and every parameter (for small models). */
export function expectModelGradOk(model: Net, x: Tensor): void {
  expect(gradCheckModule(model, [x], (input) => model.forward(input)).message).toBe('ok');
}

/**
 * For models too large for an element-by-element check: the directional derivative along a
 * random direction d in parameter space, autograd's Σ ∂L/∂θ·d against the central difference
 * (L(θ + εd) − L(θ − εd)) / 2ε, in float64.
 */
export function expectDirectionalGradOk(model: Net, x: Tensor, seed = 7): void {
  const named = model.namedParameters();
  const base = named.map(([, p]) => p.detach().requiresGrad_());
  const gen = new Generator(seed);
  const dirs = base.map((p) => randn(p.shape, { dtype: 'float64', generator: gen }));
  const at = (ps: Tensor[]): Tensor => projected(model, x, Object.fromEntries(named.map(([n], i) => [n, ps[i]])));
  const grads = gradients([at(base)], base);
  const analytic = grads.reduce((s, g, i) => s + (g.mul(dirs[i]).sum().item() as number), 0);
  const eps = 1e-6;
  const shifted = (sign: number): number => at(base.map((p, i) => p.detach().add(dirs[i].mul(sign * eps)))).item() as number;
  const numeric = (shifted(1) - shifted(-1)) / (2 * eps);
  expect(Math.abs(analytic - numeric)).toBeLessThan(1e-5 + 1e-5 * Math.abs(numeric));
  expect(Math.abs(analytic)).toBeGreaterThan(0);
}
