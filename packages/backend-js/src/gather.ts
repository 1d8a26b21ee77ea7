import { stridesOf } from '@plexus/tensor';
import type { DataArray, Shape } from '@plexus/tensor';

/**
 * torch.gather and torch.scatter_add along `axis`. Both walk the index tensor in row-major
 * order with an odometer that keeps `base`, the offset into x (or out) of the current index
 * position with the `axis` coordinate left out; the index value then supplies that coordinate.
 * Indices arrive already checked to be in range.
 */
function walkIndex(
  indexShape: Shape, xShape: Shape, axis: number,
  visit: (p: number, base: number) => void,
): void {
  const n = indexShape.reduce((a, b) => a * b, 1);
  if (n === 0) return;
  const rank = indexShape.length;
  const xs = stridesOf(xShape);
  const step = xs.map((s, d) => (d === axis ? 0 : s));
  const counters = new Array<number>(rank).fill(0);
  let base = 0;
  for (let p = 0; p < n; p++) {
    visit(p, base);
    for (let d = rank - 1; d >= 0; d--) {
      if (++counters[d] < indexShape[d]) {
        base += step[d];
        break;
      }
      counters[d] = 0;
      base -= step[d] * (indexShape[d] - 1);
    }
  }
}

/** out[p] = x[base(p) + index[p]·stride(axis)]; out has index's shape. */
export function gather(x: DataArray, xShape: Shape, index: Int32Array, indexShape: Shape, axis: number, out: DataArray): void {
  const sa = stridesOf(xShape)[axis] ?? 1;
  walkIndex(indexShape, xShape, axis, (p, base) => {
    out[p] = x[base + index[p] * sa];
  });
}

/** out = copy of x; out[base(p) + index[p]·stride(axis)] += src[p]. bool adds are logical or. */
export function scatterAdd(
  x: DataArray, xShape: Shape, index: Int32Array, indexShape: Shape, src: DataArray, axis: number,
  out: DataArray, isBool: boolean,
): void {
  out.set(x);
  const sa = stridesOf(xShape)[axis] ?? 1;
  walkIndex(indexShape, xShape, axis, (p, base) => {
    const at = base + index[p] * sa;
    // Each += rounds to the output dtype (and wraps for int32), as PyTorch's kernel does.
    out[at] = isBool ? out[at] | src[p] : out[at] + src[p];
  });
}
