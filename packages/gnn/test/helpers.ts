import '@plexus/backend-js';
import { expect } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import { manualSeed, randn, tensor } from '@plexus/tensor';
import { gradCheck } from '@plexus/autograd';
import type { GradCheckOptions } from '@plexus/autograd';
import type { Module } from '@plexus/nn';
import { gradCheckModule } from '@plexus/nn';

/** Flat numbers of a tensor. */
export function values(t: Tensor): number[] {
  return Array.from(t.dataSync() as ArrayLike<number>);
}

/** Elementwise closeness with a tolerance relative to max(1, |expected|). */
export function expectClose(got: Tensor | number[], want: number[], tol = 1e-9): void {
  const g = Array.isArray(got) ? got : values(got);
  expect(g.length).toBe(want.length);
  const bad = g.map((v, i) => [i, v, want[i]] as const).filter(([, v, e]) => !(Math.abs(v - e) <= tol * Math.max(1, Math.abs(e))));
  expect(bad.slice(0, 5)).toEqual([]);
}

export const f64 = (v: number[] | number[][]): Tensor => tensor(v, { dtype: 'float64' });
export const i32 = (v: number[] | number[][]): Tensor => tensor(v, { dtype: 'int32' });

export function randn64(seed: number, shape: number[]): Tensor {
  manualSeed(seed);
  return randn(shape, { dtype: 'float64' });
}

/**
 * gradCheck of a layer in float64 w.r.t. its float inputs AND every parameter (swapped in for
 * gradCheck's leaves with functionalCall); int32 inputs (edge indices) pass through.
 */
export function expectLayerGradOk(layer: Module, inputs: Tensor[], call: (...xs: Tensor[]) => Tensor, options?: GradCheckOptions): void {
  expect(layer.namedParameters().length).toBeGreaterThan(0);
  expect(gradCheckModule(layer, inputs, call, options).message).toBe('ok');
}

/** gradCheck w.r.t. the inputs only. */
export function expectGradOk(fn: (...xs: Tensor[]) => Tensor, inputs: Tensor[], options?: GradCheckOptions): void {
  expect(gradCheck(fn, inputs, options).message).toBe('ok');
}

/** The undirected path 0 – 1 – 2 as a [2, 4] edge index. */
export const path3 = (): Tensor => i32([[0, 1, 1, 2], [1, 0, 2, 1]]);
