import '@plexus/backend-js';
import { expect } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import { Generator, randn, tensor } from '@plexus/tensor';
import type { Module } from '@plexus/nn';
import { gradCheckModule } from '@plexus/nn';

export function values(t: Tensor): number[] {
  return Array.from(t.dataSync() as ArrayLike<number>);
}

export function expectClose(got: Tensor | number[] | number, want: number[] | number, tol = 1e-9): void {
  const g = typeof got === 'number' ? [got] : Array.isArray(got) ? got : values(got);
  const w = typeof want === 'number' ? [want] : want;
  expect(g.length).toBe(w.length);
  const bad = g.map((v, i) => [i, v, w[i]] as const).filter(([, v, e]) => !(Math.abs(v - e) <= tol * Math.max(1, Math.abs(e))));
  expect(bad.slice(0, 5)).toEqual([]);
}

export function f64(v: number[] | number[][]): Tensor {
  return tensor(v, { dtype: 'float64' });
}

export function randn64(seed: number, shape: number[]): Tensor {
  return randn(shape, { dtype: 'float64', generator: new Generator(seed) });
}

/** gradCheck of model.forward in float64 w.r.t. the input and every parameter. */
export function expectGradOk(model: Module & { forward(x: Tensor): Tensor }, input: Tensor): void {
  expect(model.namedParameters().length).toBeGreaterThan(0);
  expect(gradCheckModule(model, [input], (x) => model.forward(x)).message).toBe('ok');
}

/** Copies of every parameter's values, by name. */
export function snapshot(model: Module): Map<string, number[]> {
  return new Map(model.namedParameters().map(([name, p]) => [name, values(p)]));
}

/** Names of the parameters whose values differ from the snapshot. */
export function changed(model: Module, before: Map<string, number[]>): string[] {
  return model.namedParameters().filter(([name, p]) => values(p).some((v, i) => v !== before.get(name)?.[i])).map(([name]) => name);
}
