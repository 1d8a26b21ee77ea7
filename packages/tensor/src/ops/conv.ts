import { isFloating } from '../dtype.js';
import { ArgumentError, DTypeError, ShapeError, fmtShape } from '../errors.js';
import { runAccelerated, runPrimitive } from '../dispatch.js';
import type { Conv2dAttrs } from '../primitives.js';
import type { Tensor } from '../tensor.js';
import { add, promote } from './elementwise.js';
import { matmul } from './linalg.js';
import { flip, pad, permute, reshape, slice, stack, unsqueeze } from './movement.js';
import { sum } from './reduce.js';
import { assertTensor, pair } from './util.js';

export interface Conv2dOptions {
  stride?: number | [number, number];
  padding?: number | [number, number];
  dilation?: number | [number, number];
  groups?: number;
}

function convAttrs(op: string, o: Conv2dOptions): Conv2dAttrs {
  const groups = o.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1) throw new ArgumentError(`${op}: groups must be a positive integer, got ${groups}`);
  return {
    stride: pair(op, 'stride', o.stride ?? 1, 1),
    padding: pair(op, 'padding', o.padding ?? 0, 0),
    dilation: pair(op, 'dilation', o.dilation ?? 1, 1),
    groups,
  };
}

function outSize(size: number, k: number, s: number, p: number, d: number): number {
  return Math.floor((size + 2 * p - d * (k - 1) - 1) / s) + 1;
}

/**
 * Strided windows of x [N, C, H, W] (already padded): one [N, C, oH, oW] slice per kernel tap,
 * stacked on a new axis 2 -> [N, C, kH*kW, oH, oW]. The im2col matrix, built from slices.
 */
export function windows(x: Tensor, k: [number, number], s: [number, number], d: [number, number], o: [number, number]): Tensor {
  const taps: Tensor[] = [];
  for (let i = 0; i < k[0]; i++) {
    for (let j = 0; j < k[1]; j++) {
      const begin = [0, 0, i * d[0], j * d[1]];
      const end = [x.shape[0], x.shape[1], i * d[0] + s[0] * (o[0] - 1) + 1, j * d[1] + s[1] * (o[1] - 1) + 1];
      taps.push(runPrimitive('slice', [x], { begin, end, step: [1, 1, s[0], s[1]] }, { shape: [x.shape[0], x.shape[1], o[0], o[1]], dtype: x.dtype }));
    }
  }
  return stack(taps, 2);
}

/**
 * The adjoint of `windows` followed by cropping the padding (col2im): cols [N, C, kH*kW, oH, oW]
 * (one value per window tap) added back into [N, C, H, W] where each tap came from. Per tap: its
 * [oH, oW] values spread `stride` apart, shifted to the tap's offset, cropped to [H, W].
 */
export function windowsAdjoint(
  cols: Tensor, size: [number, number], k: [number, number], s: [number, number], p: [number, number], d: [number, number],
): Tensor {
  const [N, C, , oH, oW] = cols.shape;
  let total: Tensor | undefined;
  for (let i = 0; i < k[0]; i++) {
    for (let j = 0; j < k[1]; j++) {
      const t = i * k[1] + j;
      let z = reshape(slice(cols, 2, t, t + 1), [N, C, oH, 1, oW, 1]);
      z = reshape(pad(z, [0, s[1] - 1, 0, 0, 0, s[0] - 1]), [N, C, oH * s[0], oW * s[1]]);
      // Shift to the tap's offset: pad both axes in one op, cropping first where it overhangs.
      const top = i * d[0] - p[0];
      const left = j * d[1] - p[1];
      const bottom = size[0] - top - oH * s[0];
      const right = size[1] - left - oW * s[1];
      z = slice(slice(z, 2, Math.max(0, -top), z.shape[2] - Math.max(0, -bottom)), 3, Math.max(0, -left), z.shape[3] - Math.max(0, -right));
      z = pad(z, [Math.max(0, left), Math.max(0, right), Math.max(0, top), Math.max(0, bottom)]);
      total = total ? add(total, z) : z;
    }
  }
  return total ?? cols;
}

function batched(op: string, x: Tensor): Tensor {
  if (x.rank === 3) return unsqueeze(x, 0);
  if (x.rank !== 4) throw new ShapeError(`${op}: expected input [N, C, H, W] or [C, H, W], got ${fmtShape(x.shape)}`);
  return x;
}

/** 2-D convolution (cross-correlation, as in PyTorch): x [N, C, H, W], weight [O, C/groups, kH, kW]. */
export function conv2d(input: Tensor, weight: Tensor, bias?: Tensor | null, options: Conv2dOptions = {}): Tensor {
  assertTensor('conv2d', input);
  assertTensor('conv2d', weight, 'weight');
  const attrs = convAttrs('conv2d', options);
  const x4 = batched('conv2d', input);
  const [xx, w] = promote('conv2d', x4, weight);
  const [N, C, H, W] = xx.shape;
  if (w.rank !== 4) throw new ShapeError(`conv2d: weight must be [out, in/groups, kH, kW], got ${fmtShape(w.shape)}`);
  const [O, Cg, kH, kW] = w.shape;
  const g = attrs.groups;
  if (C !== Cg * g || O % g !== 0) {
    throw new ShapeError(`conv2d: input ${fmtShape(x4.shape)} with groups=${g} needs weight [O, ${C / g}, kH, kW] with O divisible by ${g}, got ${fmtShape(w.shape)}`);
  }
  const oH = outSize(H, kH, attrs.stride[0], attrs.padding[0], attrs.dilation[0]);
  const oW = outSize(W, kW, attrs.stride[1], attrs.padding[1], attrs.dilation[1]);
  if (oH < 1 || oW < 1) {
    throw new ShapeError(`conv2d: kernel [${kH},${kW}] (dilation ${attrs.dilation}) is larger than the padded input ${fmtShape(x4.shape)}`);
  }
  if (bias && (bias.rank !== 1 || bias.shape[0] !== O)) throw new ShapeError(`conv2d: bias must be [${O}], got ${fmtShape(bias.shape)}`);
  const inputs = bias ? [xx, w, bias.cast(xx.dtype)] : [xx, w];
  const out = runAccelerated('conv2d', inputs, attrs, { shape: [N, O, oH, oW], dtype: xx.dtype }, () => {
    const padded = pad(xx, [attrs.padding[1], attrs.padding[1], attrs.padding[0], attrs.padding[0]]);
    const cols = windows(padded, [kH, kW], attrs.stride, attrs.dilation, [oH, oW]); // [N, C, kk, oH, oW]
    const K = Cg * kH * kW;
    const colsG = reshape(cols, [N, g, K, oH * oW]);
    const wG = reshape(w, [1, g, O / g, K]);
    const y = reshape(matmul(wG, colsG), [N, O, oH, oW]);
    return bias ? add(y, reshape(inputs[2], [1, O, 1, 1])) : y;
  });
  return input.rank === 3 ? reshape(out, out.shape.slice(1)) : out;
}

/**
 * The gradient of `conv2d(input, w, null, options)` with respect to w [O, C/groups, kH, kW], given
 * the gradient of its output gradOutput [N, O, oH, oW]: the im2col windows of the input times
 * gradOutput, summed over the batch. gradOutput may cover fewer windows than the convolution has
 * (a transposed convolution's outputPadding); only those count.
 */
export function conv2dWeightGrad(
  input: Tensor, gradOutput: Tensor, kernel: number | [number, number], options: Conv2dOptions = {},
): Tensor {
  const op = 'conv2dWeightGrad';
  assertTensor(op, input);
  assertTensor(op, gradOutput, 'gradOutput');
  const attrs = { ...convAttrs(op, options), kernel: pair(op, 'kernel', kernel, 1) };
  if (input.rank !== gradOutput.rank) throw new ShapeError(`${op}: input ${fmtShape(input.shape)} and gradOutput ${fmtShape(gradOutput.shape)} must both be batched or both not`);
  const [xx, g] = promote(op, batched(op, input), batched(op, gradOutput));
  if (!isFloating(xx.dtype)) throw new DTypeError(`${op}: expected float32 or float64 inputs, got ${xx.dtype}`);
  const [N, C, H, W] = xx.shape;
  const [Ng, O, oH, oW] = g.shape;
  const [kH, kW] = attrs.kernel;
  const groups = attrs.groups;
  const { stride: s, padding: p, dilation: d } = attrs;
  if (Ng !== N || C % groups !== 0 || O % groups !== 0) {
    throw new ShapeError(`${op}: input ${fmtShape(xx.shape)} and gradOutput ${fmtShape(g.shape)} need the same batch and channels divisible by groups=${groups}`);
  }
  const fullH = outSize(H, kH, s[0], p[0], d[0]);
  const fullW = outSize(W, kW, s[1], p[1], d[1]);
  if (oH < 1 || oW < 1 || oH > fullH || oW > fullW) {
    throw new ShapeError(`${op}: gradOutput ${fmtShape(g.shape)} does not fit a [${kH},${kW}] convolution of ${fmtShape(xx.shape)} (output [${fullH},${fullW}])`);
  }
  const Cg = C / groups;
  const wShape = [O, Cg, kH, kW];
  return runAccelerated(op, [xx, g], attrs, { shape: wShape, dtype: xx.dtype }, () => {
    const cols = windows(pad(xx, [p[1], p[1], p[0], p[0]]), [kH, kW], s, d, [oH, oW]); // [N, C, kk, oH, oW]
    const colsG = reshape(cols, [N, groups, Cg * kH * kW, oH * oW]);
    const gG = reshape(g, [N, groups, O / groups, oH * oW]);
    return reshape(sum(matmul(gG, colsG.transpose(-2, -1)), 0), wShape);
  });
}

export interface Conv1dOptions {
  stride?: number;
  padding?: number;
  dilation?: number;
  groups?: number;
}

/** 1-D convolution: x [N, C, L], weight [O, C/groups, k]; computed as a conv2d of height 1. */
export function conv1d(input: Tensor, weight: Tensor, bias?: Tensor | null, options: Conv1dOptions = {}): Tensor {
  assertTensor('conv1d', input);
  assertTensor('conv1d', weight, 'weight');
  if (input.rank !== 3 && input.rank !== 2) throw new ShapeError(`conv1d: expected input [N, C, L] or [C, L], got ${fmtShape(input.shape)}`);
  if (weight.rank !== 3) throw new ShapeError(`conv1d: weight must be [out, in/groups, k], got ${fmtShape(weight.shape)}`);
  const x = input.rank === 2 ? unsqueeze(input, 0) : input;
  const y = conv2d(unsqueeze(x, 2), unsqueeze(weight, 2), bias, {
    stride: [1, options.stride ?? 1],
    padding: [0, options.padding ?? 0],
    dilation: [1, options.dilation ?? 1],
    groups: options.groups ?? 1,
  });
  const out = reshape(y, [y.shape[0], y.shape[1], y.shape[3]]);
  return input.rank === 2 ? reshape(out, out.shape.slice(1)) : out;
}

export interface ConvTranspose2dOptions extends Conv2dOptions {
  outputPadding?: number | [number, number];
}

/** Pads (positive) or crops (negative) `before`/`after` on one axis. */
function padOrCrop(x: Tensor, axis: number, before: number, after: number): Tensor {
  const cropped = slice(x, axis, Math.max(0, -before), x.shape[axis] - Math.max(0, -after));
  const pads = new Array<number>(2 * (x.rank - axis)).fill(0);
  pads[2 * (x.rank - 1 - axis)] = Math.max(0, before);
  pads[2 * (x.rank - 1 - axis) + 1] = Math.max(0, after);
  return pad(cropped, pads);
}

/**
 * Transposed convolution (the gradient of conv2d with respect to its input): x [N, C, H, W],
 * weight [C, O/groups, kH, kW] as in PyTorch. Output size (H−1)·s − 2p + d·(k−1) + outputPadding + 1.
 */
export function convTranspose2d(input: Tensor, weight: Tensor, bias?: Tensor | null, options: ConvTranspose2dOptions = {}): Tensor {
  assertTensor('convTranspose2d', input);
  assertTensor('convTranspose2d', weight, 'weight');
  const base = convAttrs('convTranspose2d', options);
  const outputPadding = pair('convTranspose2d', 'outputPadding', options.outputPadding ?? 0, 0);
  const attrs = { ...base, outputPadding };
  const x4 = batched('convTranspose2d', input);
  const [xx, w] = promote('convTranspose2d', x4, weight);
  const [N, C, H, W] = xx.shape;
  if (w.rank !== 4) throw new ShapeError(`convTranspose2d: weight must be [in, out/groups, kH, kW], got ${fmtShape(w.shape)}`);
  const [Cw, Og, kH, kW] = w.shape;
  const g = base.groups;
  const { stride: s, padding: p, dilation: d } = base;
  if (Cw !== C || C % g !== 0) {
    throw new ShapeError(`convTranspose2d: input ${fmtShape(x4.shape)} with groups=${g} needs weight [${C}, O/groups, kH, kW], got ${fmtShape(w.shape)}`);
  }
  if (outputPadding[0] >= Math.max(s[0], d[0]) || outputPadding[1] >= Math.max(s[1], d[1])) {
    throw new ArgumentError(`convTranspose2d: outputPadding [${outputPadding}] must be smaller than stride or dilation`);
  }
  const O = Og * g;
  const oH = (H - 1) * s[0] - 2 * p[0] + d[0] * (kH - 1) + outputPadding[0] + 1;
  const oW = (W - 1) * s[1] - 2 * p[1] + d[1] * (kW - 1) + outputPadding[1] + 1;
  if (oH < 1 || oW < 1) throw new ShapeError(`convTranspose2d: padding ${p} leaves no output for input ${fmtShape(x4.shape)}`);
  if (bias && (bias.rank !== 1 || bias.shape[0] !== O)) throw new ShapeError(`convTranspose2d: bias must be [${O}], got ${fmtShape(bias.shape)}`);
  const inputs = bias ? [xx, w, bias.cast(xx.dtype)] : [xx, w];
  const out = runAccelerated('convTranspose2d', inputs, attrs, { shape: [N, O, oH, oW], dtype: xx.dtype }, () => {
    // Insert stride−1 zeros between input pixels, pad by d·(k−1)−p, then a stride-1 convolution
    // with the kernel flipped and its in/out channels swapped.
    let z = xx;
    if (s[0] > 1 || s[1] > 1) {
      z = pad(reshape(z, [N, C, H, 1, W, 1]), [0, s[1] - 1, 0, 0, 0, s[0] - 1]);
      z = reshape(z, [N, C, H * s[0], W * s[1]]);
      z = slice(slice(z, 2, 0, (H - 1) * s[0] + 1), 3, 0, (W - 1) * s[1] + 1);
    }
    z = padOrCrop(z, 2, d[0] * (kH - 1) - p[0], d[0] * (kH - 1) - p[0] + outputPadding[0]);
    z = padOrCrop(z, 3, d[1] * (kW - 1) - p[1], d[1] * (kW - 1) - p[1] + outputPadding[1]);
    const wT = reshape(permute(reshape(w, [g, C / g, Og, kH, kW]), [0, 2, 1, 3, 4]), [O, C / g, kH, kW]);
    return conv2d(z, flip(wT, [2, 3]), inputs[2], { dilation: d, groups: g });
  });
  return input.rank === 3 ? reshape(out, out.shape.slice(1)) : out;
}
