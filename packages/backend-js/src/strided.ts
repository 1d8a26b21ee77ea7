import { stridesOf } from '@plexus/tensor';
import type { DataArray, Shape } from '@plexus/tensor';

/**
 * Walking several same-shaped strided views at once. Every loop over a broadcast, permuted,
 * sliced or padded tensor goes through `coalesce` + `forEachRow`: the iteration pays one
 * callback per innermost row, never one per element, and the row itself is a tight loop.
 */

/** Strides of `inShape` read as if broadcast to `outShape`: right-aligned, 0 where it repeats. */
export function broadcastStrides(inShape: Shape, outShape: Shape): number[] {
  const offset = outShape.length - inShape.length;
  const own = stridesOf(inShape);
  const strides = new Array<number>(outShape.length).fill(0);
  for (let i = 0; i < inShape.length; i++) strides[offset + i] = inShape[i] === 1 ? 0 : own[i];
  return strides;
}

/** A shape and, per operand, its strides over that shape. */
export interface Walk {
  readonly shape: number[];
  readonly strides: number[][];
}

/**
 * Drops size-1 dims and merges neighbouring dims that every operand steps through contiguously,
 * so that e.g. same-shape elementwise ops become a single row and `[m,n] + [n]` two dims.
 */
export function coalesce(shape: Shape, strides: readonly (readonly number[])[]): Walk {
  const dims: number[] = [];
  const out: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    const size = shape[d];
    if (size === 1) continue;
    const last = dims.length - 1;
    if (last >= 0 && strides.every((s, k) => out[k][last] === s[d] * size)) {
      dims[last] *= size;
      for (let k = 0; k < strides.length; k++) out[k][last] = strides[k][d];
    } else {
      dims.push(size);
      for (let k = 0; k < strides.length; k++) out[k].push(strides[k][d]);
    }
  }
  return { shape: dims, strides: out };
}

/** Length of the innermost row of `walk` (1 for a scalar walk). */
export function rowLength(walk: Walk): number {
  const r = walk.shape.length;
  return r === 0 ? 1 : walk.shape[r - 1];
}

/** Stride of operand `k` along the innermost row. */
export function rowStride(walk: Walk, k: number): number {
  const r = walk.shape.length;
  return r === 0 ? 0 : walk.strides[k][r - 1];
}

/**
 * Calls `row(offsets)` once per innermost row, in row-major order; `offsets[k]` is where operand
 * k's row starts. The array is reused between calls. Callers skip empty walks (a dim of 0).
 */
export function forEachRow(walk: Walk, bases: readonly number[], row: (offsets: number[]) => void): void {
  const { shape, strides } = walk;
  const offsets = bases.slice();
  const outer = shape.length - 1;
  if (outer <= 0) {
    row(offsets);
    return;
  }
  const nOps = offsets.length;
  const counters = new Array<number>(outer).fill(0);
  for (;;) {
    row(offsets);
    let d = outer - 1;
    for (; d >= 0; d--) {
      if (++counters[d] < shape[d]) {
        for (let k = 0; k < nOps; k++) offsets[k] += strides[k][d];
        break;
      }
      counters[d] = 0;
      for (let k = 0; k < nOps; k++) offsets[k] -= strides[k][d] * (shape[d] - 1);
    }
    if (d < 0) return;
  }
}

/**
 * dst[dstOffset + i·dstStrides] = src[srcOffset + i·srcStrides] for every index i of `shape`.
 * Both arrays hold the same dtype (movement never converts).
 */
export function copyStrided(
  dst: DataArray,
  dstOffset: number,
  dstStrides: readonly number[],
  src: DataArray,
  srcOffset: number,
  srcStrides: readonly number[],
  shape: Shape,
): void {
  for (const d of shape) if (d === 0) return;
  const walk = coalesce(shape, [dstStrides, srcStrides]);
  const n = rowLength(walk);
  const ds = rowStride(walk, 0);
  const ss = rowStride(walk, 1);
  if (ds === 1 && ss === 1 && n >= 16) {
    // Contiguous rows: let the engine's memcpy do it.
    forEachRow(walk, [dstOffset, srcOffset], (o) => dst.set(src.subarray(o[1], o[1] + n), o[0]));
    return;
  }
  forEachRow(walk, [dstOffset, srcOffset], (o) => {
    let i = o[0];
    let j = o[1];
    for (let c = 0; c < n; c++, i += ds, j += ss) dst[i] = src[j];
  });
}
