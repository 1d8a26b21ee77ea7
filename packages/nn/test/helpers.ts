import '@plexus/backend-js';
import { expect } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import { manualSeed, randn, tensor } from '@plexus/tensor';
import { gradCheck } from '@plexus/autograd';
import type { GradCheckOptions } from '@plexus/autograd';
import type { Module, UnaryModule } from '../src/index.js';
import { gradCheckModule } from '../src/index.js';

/** Flat numbers of a tensor. */
export function values(t: Tensor): number[] {
  return Array.from(t.dataSync() as ArrayLike<number>);
}

/** Elementwise closeness with a tolerance relative to max(1, |expected|). */
export function expectClose(got: Tensor | number[] | number, want: Tensor | number[] | number, tol = 1e-9): void {
  const list = (v: Tensor | number[] | number): number[] => (typeof v === 'number' ? [v] : Array.isArray(v) ? v : values(v));
  const g = list(got);
  const w = list(want);
  expect(g.length).toBe(w.length);
  const bad = g.map((v, i) => [i, v, w[i]] as const).filter(([, v, e]) => !(Math.abs(v - e) <= tol * Math.max(1, Math.abs(e))));
  expect(bad.slice(0, 5)).toEqual([]);
}

export function f64(v: number | number[] | number[][] | number[][][] | number[][][][]): Tensor {
  return tensor(v, { dtype: 'float64' });
}

export function i32(v: number | number[] | number[][]): Tensor {
  return tensor(v, { dtype: 'int32' });
}

export function randn64(seed: number, shape: number[]): Tensor {
  manualSeed(seed);
  return randn(shape, { dtype: 'float64' });
}

/**
 * gradCheck of a layer in float64 with respect to its input AND every parameter: the parameters
 * are swapped for gradCheck's leaves with functionalCall. `call` defaults to forward(x).
 */
export function expectLayerGradOk(
  layer: Module,
  inputs: Tensor[],
  call: (...xs: Tensor[]) => Tensor = (x) => (layer as UnaryModule).forward(x),
  options?: GradCheckOptions,
): void {
  expect(layer.namedParameters().length).toBeGreaterThan(0);
  expect(gradCheckModule(layer, inputs, call, options).message).toBe('ok');
}

/** gradCheck w.r.t. the inputs only (layers without parameters). */
export function expectInputGradOk(fn: (...xs: Tensor[]) => Tensor, inputs: Tensor[], options?: GradCheckOptions): void {
  const result = gradCheck(fn, inputs, options);
  expect(result.message).toBe('ok');
}

/** Random float64 values with |x| >= margin (away from the kinks of relu and friends). */
export function awayFromZero(seed: number, shape: number[], margin = 0.2): Tensor {
  const x = randn64(seed, shape);
  return x.abs().add(margin).mul(x.sign().add(x.eq(0).cast('float64')));
}
