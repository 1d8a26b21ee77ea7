import '@plexus/backend-js';
import { expect } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import { tensor } from '@plexus/tensor';

/** A float64 tensor (exact enough to compare hand-derived numbers at 1e-12). */
export const f64 = (v: number[] | number[][]): Tensor => tensor(v, { dtype: 'float64' });

/** A float64 leaf that requires gradients: a parameter. */
export const param = (v: number[] | number[][]): Tensor => f64(v).requiresGrad_();

/** Flat numbers of a tensor. */
export function values(t: Tensor): number[] {
  return Array.from(t.dataSync() as ArrayLike<number>);
}

/** Elementwise closeness with a relative-or-absolute tolerance; reports the first offenders. */
export function expectClose(got: number[], want: number[], tol = 1e-12): void {
  expect(got.length).toBe(want.length);
  const bad = got
    .map((v, i) => [i, v, want[i]] as const)
    .filter(([, v, w]) => !(Math.abs(v - w) <= tol * Math.max(1, Math.abs(w))));
  expect(bad.slice(0, 5)).toEqual([]);
}

/**
 * Sets `p.grad` to each fixed gradient in turn and steps; returns the parameter's values after
 * every step.
 */
export function run(opt: { step(): unknown }, p: Tensor, grads: number[][]): number[][] {
  const out: number[][] = [];
  for (const g of grads) {
    p.grad = tensor(g, { dtype: p.dtype });
    opt.step();
    out.push(values(p));
  }
  return out;
}
