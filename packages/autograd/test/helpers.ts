import '@plexus/backend-js';
import { expect } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import { manualSeed, randn, tensor } from '@plexus/tensor';
import type { GradCheckOptions } from '../src/index.js';
import { gradCheck, gradGradCheck } from '../src/index.js';

type Fn = (...xs: Tensor[]) => Tensor;

/** gradCheck in float64; the message names the worst elements when it fails. */
export function expectGradOk(fn: Fn, inputs: readonly Tensor[], options?: GradCheckOptions): void {
  const result = gradCheck(fn, inputs, options);
  expect(result.message).toBe('ok');
  expect(result.ok).toBe(true);
}

export function expectGradGradOk(fn: Fn, inputs: readonly Tensor[], options?: GradCheckOptions): void {
  const result = gradGradCheck(fn, inputs, options);
  expect(result.message).toBe('ok');
  expect(result.ok).toBe(true);
}

/** Standard normal float64 inputs, one per shape, drawn after manualSeed(seed). */
export function randn64(seed: number, ...shapes: number[][]): Tensor[] {
  manualSeed(seed);
  return shapes.map((s) => randn(s, { dtype: 'float64' }));
}

/** A float64 tensor from nested values. */
export function f64(values: number | number[] | number[][] | number[][][]): Tensor {
  return tensor(values, { dtype: 'float64' });
}

/** Random float64 values with |x| >= margin (away from the kinks of abs, relu, …). */
export function awayFromZero(seed: number, shape: number[], margin = 0.2): Tensor {
  manualSeed(seed);
  const x = randn(shape, { dtype: 'float64' });
  return x.abs().add(margin).mul(x.sign().add(x.eq(0).cast('float64')));
}

/** Random positive float64 values in [lo, lo + width). */
export function positive(seed: number, shape: number[], lo = 0.5, width = 1.5): Tensor {
  manualSeed(seed);
  return randn(shape, { dtype: 'float64' }).sigmoid().mul(width).add(lo);
}

/** Flat numbers of a tensor. */
export function values(t: Tensor): number[] {
  return Array.from(t.dataSync() as ArrayLike<number>);
}

/** Elementwise toBeCloseTo with an absolute tolerance. */
export function expectClose(got: Tensor | number[], want: Tensor | number[], tol = 1e-9): void {
  const g = Array.isArray(got) ? got : values(got);
  const w = Array.isArray(want) ? want : values(want);
  expect(g.length).toBe(w.length);
  const bad = g.map((v, i) => [i, v, w[i]] as const).filter(([, v, e]) => !(Math.abs(v - e) <= tol * Math.max(1, Math.abs(e))));
  expect(bad.slice(0, 5)).toEqual([]);
}
