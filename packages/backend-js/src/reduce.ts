import type { DataArray, DType, ReduceOp, Shape } from '@plexus/tensor';
import { copyStrided } from './strided.js';

/**
 * sum / prod / max / min over sorted axes, reduced axes removed. The input is first viewed as
 * [outer, R, inner] (kept dims, reduced dims, kept dims); when the reduced axes are not one
 * contiguous block it is permuted into [kept, reduced] first. Then either contiguous runs of R
 * are reduced (inner = 1) or R rows of `inner` values are accumulated elementwise, so memory is
 * always read in order.
 *
 * Accumulation is in double: float32 sums are exact to far better than float32 precision, and
 * long float64 sums use pairwise summation (error grows like log n, not n). int32 sums are exact
 * below 2^53 and then wrap like int32 when stored; int32 products wrap exactly via Math.imul.
 * max/min propagate NaN (the first NaN ends the scan).
 */
export function reduce(op: ReduceOp, x: DataArray, shape: Shape, axes: readonly number[], out: DataArray, outDtype: DType): void {
  if (out.length === 0) return;
  if (x.length === 0) {
    // Reducing over an empty axis (max/min of empty never reach a backend).
    out.fill(op === 'prod' ? 1 : 0);
    return;
  }
  const intProd = op === 'prod' && outDtype === 'int32';
  const groups = groupDims(shape, axes);
  const reducedGroups = groups.filter((g) => g.reduced);
  if (reducedGroups.length === 0) {
    // Every reduced axis has size 1: the values pass through (converted to the output dtype).
    out.set(x);
    return;
  }
  if (reducedGroups.length === 1) {
    let outer = 1;
    let inner = 1;
    let seen = false;
    for (const g of groups) {
      if (g.reduced) seen = true;
      else if (seen) inner *= g.size;
      else outer *= g.size;
    }
    reduceBlocks(op, intProd, x, outer, reducedGroups[0].size, inner, out);
    return;
  }
  // Several separate reduced blocks: permute kept dims first, then reduce contiguous runs.
  const kept = groups.filter((g) => !g.reduced);
  const order = [...kept, ...reducedGroups];
  const srcStrides = order.map((g) => g.stride);
  const permutedShape = order.map((g) => g.size);
  const tmp = new (x.constructor as new (n: number) => DataArray)(x.length);
  copyStrided(tmp, 0, contiguousStrides(permutedShape), x, 0, srcStrides, permutedShape);
  const outer = kept.reduce((p, g) => p * g.size, 1);
  reduceBlocks(op, intProd, tmp, outer, x.length / outer, 1, out);
}

interface Group {
  size: number;
  stride: number;
  reduced: boolean;
}

/** Merges neighbouring dims of the same kind (size-1 dims dropped); strides are row-major. */
function groupDims(shape: Shape, axes: readonly number[]): Group[] {
  const groups: Group[] = [];
  let stride = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    const size = shape[d];
    if (size !== 1) {
      const reduced = axes.includes(d);
      const first = groups[0];
      if (first && first.reduced === reduced) first.size *= size;
      else groups.unshift({ size, stride, reduced });
      // A merged group keeps its innermost stride, which is what it was created with.
    }
    stride *= size;
  }
  return groups;
}

function contiguousStrides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/** x viewed as [outer, r, inner] contiguous; out[o, j] = reduce over r. */
function reduceBlocks(op: ReduceOp, intProd: boolean, x: DataArray, outer: number, r: number, inner: number, out: DataArray): void {
  if (inner === 1) {
    for (let o = 0; o < outer; o++) out[o] = reduceRun(op, intProd, x, o * r, r);
    return;
  }
  const acc = intProd ? new Int32Array(inner) : new Float64Array(inner);
  const block = op === 'sum' ? new Float64Array(inner) : acc;
  for (let o = 0; o < outer; o++) {
    const base = o * r * inner;
    switch (op) {
      case 'sum':
        // Cascade: add rows into `block` 256 at a time, then into `acc`, so a long float64
        // column sum is not one long naive chain.
        acc.fill(0);
        for (let r0 = 0; r0 < r; r0 += 256) {
          block.fill(0);
          const r1 = Math.min(r, r0 + 256);
          for (let k = r0; k < r1; k++) {
            const row = base + k * inner;
            for (let j = 0; j < inner; j++) block[j] += x[row + j];
          }
          for (let j = 0; j < inner; j++) acc[j] += block[j];
        }
        break;
      case 'prod':
        acc.fill(1);
        for (let k = 0; k < r; k++) {
          const row = base + k * inner;
          if (intProd) for (let j = 0; j < inner; j++) acc[j] = Math.imul(acc[j], x[row + j]);
          else for (let j = 0; j < inner; j++) acc[j] *= x[row + j];
        }
        break;
      case 'max':
        for (let j = 0; j < inner; j++) acc[j] = x[base + j];
        for (let k = 1; k < r; k++) {
          const row = base + k * inner;
          for (let j = 0; j < inner; j++) {
            const v = x[row + j];
            if (v > acc[j] || v !== v) acc[j] = v;
          }
        }
        break;
      case 'min':
        for (let j = 0; j < inner; j++) acc[j] = x[base + j];
        for (let k = 1; k < r; k++) {
          const row = base + k * inner;
          for (let j = 0; j < inner; j++) {
            const v = x[row + j];
            if (v < acc[j] || v !== v) acc[j] = v;
          }
        }
        break;
    }
    // NaN in acc stays NaN: neither comparison above is true against it.
    out.set(acc, o * inner);
  }
}

/** Reduces the contiguous run x[start, start + n), n >= 1. */
function reduceRun(op: ReduceOp, intProd: boolean, x: DataArray, start: number, n: number): number {
  const end = start + n;
  switch (op) {
    case 'sum':
      return pairwiseSum(x, start, n);
    case 'prod': {
      let p = 1;
      if (intProd) for (let i = start; i < end; i++) p = Math.imul(p, x[i]);
      else for (let i = start; i < end; i++) p *= x[i];
      return p;
    }
    case 'max': {
      let m = x[start];
      if (m !== m) return m;
      for (let i = start + 1; i < end; i++) {
        const v = x[i];
        if (v > m) m = v;
        else if (v !== v) return v;
      }
      return m;
    }
    case 'min': {
      let m = x[start];
      if (m !== m) return m;
      for (let i = start + 1; i < end; i++) {
        const v = x[i];
        if (v < m) m = v;
        else if (v !== v) return v;
      }
      return m;
    }
  }
}

/** Pairwise summation with an 8-lane unrolled leaf: rounding error O(log n · ε). */
export function pairwiseSum(x: DataArray, start: number, n: number): number {
  if (n <= 256) {
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    let i = start;
    const end8 = start + (n & ~7);
    for (; i < end8; i += 8) {
      s0 += x[i];
      s1 += x[i + 1];
      s2 += x[i + 2];
      s3 += x[i + 3];
      s4 += x[i + 4];
      s5 += x[i + 5];
      s6 += x[i + 6];
      s7 += x[i + 7];
    }
    let s = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    for (const end = start + n; i < end; i++) s += x[i];
    return s;
  }
  // Split on a multiple of 8 so leaves stay fully unrolled.
  const half = (n >> 4) << 3;
  return pairwiseSum(x, start, half) + pairwiseSum(x, start + half, n - half);
}
