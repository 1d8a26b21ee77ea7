import type { Tensor } from '@plexus/tensor';
import { concat, pad } from '@plexus/tensor';

/**
 * A gradient that is zero except on one band: `value` placed at `begin` along `axis` of the
 * input's shape. The slice rule returns one instead of padding its gradient to the input's full
 * size, so that the engine can join the bands of one tensor's gradient (the T time steps sliced
 * out of a sequence, the pieces of a chunk or split) with a single concat once they have all
 * arrived, where a pad each plus a running sum moves O(pieces × input) memory.
 */
export class SliceGrad {
  constructor(
    readonly value: Tensor,
    readonly axis: number,
    readonly begin: number,
  ) {}

  get end(): number {
    return this.begin + this.value.shape[this.axis];
  }
}

/** `x` with `before` and `after` zeros along `axis` (pad takes pairs from the last dim back). */
function padAxis(x: Tensor, axis: number, before: number, after: number): Tensor {
  const pads = new Array<number>(2 * (x.rank - axis)).fill(0);
  pads[2 * (x.rank - 1 - axis)] = before;
  pads[2 * (x.rank - 1 - axis) + 1] = after;
  return pad(x, pads);
}

/** The bands of one axis as a dense tensor of that axis's full `size`. */
function joinAlong(bands: readonly SliceGrad[], axis: number, size: number): Tensor {
  // Bands over the same range add up first, in arrival order; what is left is usually disjoint.
  const byRange = new Map<string, SliceGrad>();
  for (const b of bands) {
    const key = `${b.begin}:${b.end}`;
    const prev = byRange.get(key);
    byRange.set(key, prev ? new SliceGrad(prev.value.add(b.value), axis, b.begin) : b);
  }
  const sorted = [...byRange.values()].sort((a, b) => a.begin - b.begin || a.end - b.end);
  if (sorted.some((b, i) => i > 0 && b.begin < sorted[i - 1].end)) {
    // Overlapping bands: pad each to full size and add (exact, only not the fast path).
    return sorted.map((b) => padAxis(b.value, axis, b.begin, size - b.end)).reduce((s, x) => s.add(x));
  }
  // Disjoint: each band takes the zeros before it (the last also those after), then one concat.
  const parts = sorted.map((b, i) =>
    padAxis(b.value, axis, b.begin - (i > 0 ? sorted[i - 1].end : 0), i === sorted.length - 1 ? size - b.end : 0),
  );
  return parts.length === 1 ? parts[0] : concat(parts, axis);
}

/**
 * The sum of `bands` (at least one) as a dense tensor of `shape`. Built from pad, concat and add,
 * whose own rules hold, so the result is differentiable like any other gradient (createGraph).
 */
export function joinSliceGrads(bands: readonly SliceGrad[], shape: readonly number[]): Tensor {
  const byAxis = new Map<number, SliceGrad[]>();
  for (const b of bands) {
    const group = byAxis.get(b.axis);
    if (group) group.push(b);
    else byAxis.set(b.axis, [b]);
  }
  let total: Tensor | undefined;
  for (const [axis, group] of byAxis) {
    const dense = joinAlong(group, axis, shape[axis]);
    total = total ? total.add(dense) : dense;
  }
  return total as Tensor;
}
