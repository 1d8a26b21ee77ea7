import '@plexus/backend-js';
import { expect } from 'vitest';
import type { NestedArray, Tensor } from '@plexus/tensor';

/** Flat values of a tensor as plain numbers (bool as 0/1). */
export function values(t: Tensor): number[] {
  return Array.from(t.dataSync(), Number);
}

/** Recursively flattens nested arrays of numbers. */
export function flat(v: NestedArray | readonly NestedArray[]): number[] {
  if (Array.isArray(v)) return (v as NestedArray[]).flatMap((x) => flat(x));
  return [Number(v)];
}

/**
 * Checks shape and values within `atol + rtol·|expected|` per element. NaN matches NaN and
 * infinities must match exactly.
 */
export function expectClose(
  t: Tensor,
  expected: NestedArray | readonly number[],
  { atol = 1e-6, rtol = 1e-5, shape }: { atol?: number; rtol?: number; shape?: readonly number[] } = {},
): void {
  const want = flat(expected as NestedArray);
  const got = values(t);
  if (shape) expect([...t.shape]).toEqual([...shape]);
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const w = want[i];
    const g = got[i];
    if (Number.isNaN(w)) {
      expect(g, `element ${i}`).toBeNaN();
    } else if (!Number.isFinite(w)) {
      expect(g, `element ${i}`).toBe(w);
    } else if (Math.abs(g - w) > atol + rtol * Math.abs(w)) {
      expect.fail(`element ${i}: got ${g}, expected ${w} (atol ${atol}, rtol ${rtol})`);
    }
  }
}

/** Deterministic values in [-1, 1) from a tiny LCG (tests never depend on Math.random). */
export function lcg(n: number, seed = 1): number[] {
  let s = seed >>> 0;
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** Rounds through float32, as a float32 tensor stores values. */
export const f32 = (x: number): number => Math.fround(x);

export { expectError } from './expect-error.js';
