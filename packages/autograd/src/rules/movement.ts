import type { Tensor } from '@plexus/tensor';
import {
  gather, pad, permute, reshape, runPrimitive, scatterAdd, slice, split, sumToShape, zeros,
} from '@plexus/tensor';
import { ProductGrad } from '../product-grad.js';
import { SliceGrad } from '../slice-grad.js';
import type { GradRuleTable } from './types.js';

/** Inverse of a strided slice on one axis: zeros between the taken elements and around them. */
function unslice(g: Tensor, axis: number, begin: number, step: number, size: number): Tensor {
  let y = g;
  if (step > 1) {
    const m = g.shape[axis];
    // Interleave step−1 zeros after each element: add an axis, pad it, merge it back.
    const withAxis = reshape(y, [...g.shape.slice(0, axis + 1), 1, ...g.shape.slice(axis + 1)]);
    const pads = new Array<number>(2 * (withAxis.rank - axis - 1)).fill(0);
    pads[2 * (withAxis.rank - axis - 2) + 1] = step - 1;
    const merged = reshape(pad(withAxis, pads), [...g.shape.slice(0, axis), m * step, ...g.shape.slice(axis + 1)]);
    y = slice(merged, axis, 0, Math.min(m * step, size - begin));
  }
  const padAfter = size - begin - y.shape[axis];
  const pads = new Array<number>(2 * (y.rank - axis)).fill(0);
  pads[2 * (y.rank - 1 - axis)] = begin;
  pads[2 * (y.rank - 1 - axis) + 1] = padAfter;
  return pad(y, pads);
}

export const movementRules: GradRuleTable<
  'reshape' | 'permute' | 'expand' | 'slice' | 'pad' | 'concat' | 'gather' | 'scatterAdd'
> = {
  reshape: (g, { inputs: [x] }) => [reshape(g, x.shape)],
  permute: (g, { attrs }) => {
    const inverse = new Array<number>(attrs.perm.length);
    attrs.perm.forEach((p, i) => (inverse[p] = i));
    return [permute(g, inverse)];
  },
  expand: (g, { inputs: [x] }) => [sumToShape(g, x.shape)],
  slice: (g, { inputs: [x], attrs }) => {
    const changed = x.shape.map((d, axis) => attrs.begin[axis] !== 0 || attrs.end[axis] !== d || attrs.step[axis] !== 1);
    // One unit-step axis stays a band for the engine to join with its neighbours; the rest are
    // restored to full size here.
    const band = changed.findIndex((c, axis) => c && attrs.step[axis] === 1);
    let y = g;
    for (let axis = 0; axis < x.rank; axis++) {
      if (changed[axis] && axis !== band) y = unslice(y, axis, attrs.begin[axis], attrs.step[axis], x.shape[axis]);
    }
    return [band < 0 ? y : new SliceGrad(y, band, attrs.begin[band])];
  },
  pad: (g, { inputs: [x], attrs }) => {
    const begin = attrs.pads.map(([before]) => before);
    const end = x.shape.map((d, i) => begin[i] + d);
    const step = x.shape.map(() => 1);
    return [runPrimitive('slice', [g], { begin, end, step }, { shape: x.shape, dtype: g.dtype })];
  },
  concat: (g, { inputs, attrs }) => split(g, inputs.map((x) => x.shape[attrs.axis]), attrs.axis),
  gather: (g, { inputs: [x, index], attrs }) => [
    scatterAdd(zeros(x.shape, { dtype: g.dtype, backend: g.backend }), attrs.axis, index, g),
    null,
  ],
  scatterAdd: (g, { inputs: [, index], attrs, needsGrad: [nx, , ns] }) => [
    nx ? g : null,
    null,
    ns ? gather(g, attrs.axis, index) : null,
  ],
};

/**
 * b's gradient, aᵀ·g summed over the batch. A [k, n] matrix b (a weight) gets a `ProductGrad` with
 * the batch folded into the rows: the engine then computes all of b's terms, from every product
 * that uses it, as one [k, rows]·[rows, n] product instead of a batched product and a sum each.
 */
function rightGrad(a: Tensor, b: Tensor, g: Tensor): Tensor | ProductGrad {
  if (b.rank === 2 && a.size > 0) {
    const [k, n] = b.shape;
    const rows = a.size / k;
    return new ProductGrad(reshape(a, [rows, k]), reshape(g, [rows, n]));
  }
  return sumToShape(a.transpose(-2, -1).matmul(g), b.shape);
}

export const linalgRules: GradRuleTable<'matmul'> = {
  matmul: (g, { inputs: [a, b], needsGrad: [na, nb] }) => [
    na ? sumToShape(g.matmul(b.transpose(-2, -1)), a.shape) : null,
    nb ? rightGrad(a, b, g) : null,
  ],
};

