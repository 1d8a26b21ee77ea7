import { stridesOf } from '@plexus/tensor';
import type { DataArray, Shape } from '@plexus/tensor';
import { broadcastStrides, copyStrided } from './strided.js';

/**
 * Movement primitives as strided copies into a fresh contiguous output. (reshape needs no copy
 * at all and lives in the primitive table.) Each function reads the input through a strided
 * view with the output's shape and copies it with `copyStrided`.
 */

/** out[i0..] = x[i at perm positions]: out dim d is x dim perm[d]. */
export function permute(x: DataArray, shape: Shape, perm: readonly number[], out: DataArray, outShape: Shape): void {
  const xs = stridesOf(shape);
  copyStrided(out, 0, stridesOf(outShape), x, 0, perm.map((p) => xs[p]), outShape);
}

/** Broadcast to `outShape` (same rank): size-1 dims are read with stride 0. */
export function expand(x: DataArray, shape: Shape, out: DataArray, outShape: Shape): void {
  copyStrided(out, 0, stridesOf(outShape), x, 0, broadcastStrides(shape, outShape), outShape);
}

/** out[i] = x[begin + i·step] per axis. */
export function slice(
  x: DataArray, shape: Shape,
  begin: readonly number[], step: readonly number[],
  out: DataArray, outShape: Shape,
): void {
  const xs = stridesOf(shape);
  let offset = 0;
  for (let d = 0; d < shape.length; d++) offset += begin[d] * xs[d];
  copyStrided(out, 0, stridesOf(outShape), x, offset, xs.map((s, d) => s * step[d]), outShape);
}

/** Fills `out` with `value` (converted like a store of that dtype) and copies x inside. */
export function pad(
  x: DataArray, shape: Shape,
  pads: readonly (readonly [number, number])[], value: number, isBool: boolean,
  out: DataArray, outShape: Shape,
): void {
  out.fill(isBool ? (value !== 0 ? 1 : 0) : value);
  const os = stridesOf(outShape);
  let offset = 0;
  for (let d = 0; d < shape.length; d++) offset += pads[d][0] * os[d];
  copyStrided(out, offset, os, x, 0, stridesOf(shape), shape);
}

/** Joins inputs along `axis`: input i lands at the running offset along that axis. */
export function concat(
  xs: readonly DataArray[], shapes: readonly Shape[], axis: number,
  out: DataArray, outShape: Shape,
): void {
  const os = stridesOf(outShape);
  let at = 0;
  for (let i = 0; i < xs.length; i++) {
    copyStrided(out, at * os[axis], os, xs[i], 0, stridesOf(shapes[i]), shapes[i]);
    at += shapes[i][axis];
  }
}
