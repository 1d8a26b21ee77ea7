import type { DataArray, Shape } from '@plexus/tensor';

/**
 * argmax / argmin along one axis: the index (int32) of the first extreme. NaN counts as more
 * extreme than any number for both, so the first NaN wins, as in PyTorch (where max/min
 * propagate NaN and argmax/argmin point at it).
 *
 * The input is viewed as [outer, len, inner]; for inner > 1 the scan keeps `inner` running
 * bests and walks the rows in memory order.
 */
export function argReduce(op: 'argmax' | 'argmin', x: DataArray, shape: Shape, axis: number, out: Int32Array): void {
  const len = shape.length === 0 ? 1 : shape[axis]; // a scalar is its own argmax
  if (out.length === 0 || len === 0) return;
  let outer = 1;
  for (let d = 0; d < axis; d++) outer *= shape[d];
  let inner = 1;
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d];
  const isMax = op === 'argmax';
  const best = new Float64Array(inner);
  const bestIdx = new Int32Array(inner);
  for (let o = 0; o < outer; o++) {
    const base = o * len * inner;
    for (let j = 0; j < inner; j++) best[j] = x[base + j];
    bestIdx.fill(0);
    for (let k = 1; k < len; k++) {
      const row = base + k * inner;
      for (let j = 0; j < inner; j++) {
        const v = x[row + j];
        const b = best[j];
        // Replace only a non-NaN best, by a NaN or by a strictly better value.
        if (b === b && (v !== v || (isMax ? v > b : v < b))) {
          best[j] = v;
          bestIdx[j] = k;
        }
      }
    }
    out.set(bestIdx, o * inner);
  }
}
