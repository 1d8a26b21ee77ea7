import { isFloating } from '../dtype.js';
import { ArgumentError, DTypeError, ShapeError, fmtShape } from '../errors.js';
import { runAccelerated } from '../dispatch.js';
import type { Pool2dAttrs } from '../primitives.js';
import type { Tensor } from '../tensor.js';
import { windows, windowsAdjoint } from './conv.js';
import { cast, div, equal, mul, promote } from './elementwise.js';
import { expand, pad, reshape, unsqueeze } from './movement.js';
import { max, sum } from './reduce.js';
import { assertTensor, pair } from './util.js';

export interface Pool2dOptions {
  /** Defaults to the kernel size. */
  stride?: number | [number, number];
  padding?: number | [number, number];
}

/** Normalised attributes and output size of a pooling of an input of `shape` [N, C, H, W]. */
function poolGeometry(op: string, shape: readonly number[], kernel: number | [number, number], options: Pool2dOptions) {
  const k = pair(op, 'kernel', kernel, 1);
  const attrs: Pool2dAttrs = { kernel: k, stride: pair(op, 'stride', options.stride ?? k, 1), padding: pair(op, 'padding', options.padding ?? 0, 0) };
  if (attrs.padding[0] * 2 > k[0] || attrs.padding[1] * 2 > k[1]) {
    throw new ArgumentError(`${op}: padding [${attrs.padding}] must be at most half the kernel [${k}]`);
  }
  const [N, C, H, W] = shape;
  const oH = Math.floor((H + 2 * attrs.padding[0] - k[0]) / attrs.stride[0]) + 1;
  const oW = Math.floor((W + 2 * attrs.padding[1] - k[1]) / attrs.stride[1]) + 1;
  if (oH < 1 || oW < 1) throw new ShapeError(`${op}: kernel [${k}] is larger than the padded input ${fmtShape(shape)}`);
  return { attrs, outShape: [N, C, oH, oW], o: [oH, oW] as [number, number] };
}

function poolSetup(op: string, input: Tensor, kernel: number | [number, number], options: Pool2dOptions) {
  assertTensor(op, input);
  const x = input.rank === 3 ? unsqueeze(input, 0) : input;
  if (x.rank !== 4) throw new ShapeError(`${op}: expected input [N, C, H, W] or [C, H, W], got ${fmtShape(input.shape)}`);
  return { x, ...poolGeometry(op, x.shape, kernel, options) };
}

/** gradOutput batched like the input and checked against the pooling's output shape. */
function gradSetup(op: string, gradOutput: Tensor, unbatched: boolean, outShape: readonly number[]): Tensor {
  assertTensor(op, gradOutput, 'gradOutput');
  const g = unbatched && gradOutput.rank === 3 ? unsqueeze(gradOutput, 0) : gradOutput;
  if (g.rank !== 4 || g.shape.some((n, i) => n !== outShape[i])) {
    throw new ShapeError(`${op}: gradOutput must have the pooled shape ${fmtShape(unbatched ? outShape.slice(1) : outShape)}, got ${fmtShape(gradOutput.shape)}`);
  }
  return g;
}

function finish(input: Tensor, out: Tensor): Tensor {
  return input.rank === 3 ? reshape(out, out.shape.slice(1)) : out;
}

/** Max over kernel windows; padding counts as −∞. */
export function maxPool2d(input: Tensor, kernel: number | [number, number], options: Pool2dOptions = {}): Tensor {
  const { x, attrs, outShape, o } = poolSetup('maxPool2d', input, kernel, options);
  const fillValue = isFloating(x.dtype) ? -Infinity : -2147483648;
  const out = runAccelerated('maxPool2d', [x], attrs, { shape: outShape, dtype: x.dtype }, () => {
    const p = attrs.padding;
    const padded = pad(x, [p[1], p[1], p[0], p[0]], fillValue);
    return max(windows(padded, attrs.kernel, attrs.stride, [1, 1], o), 2);
  });
  return finish(input, out);
}

/** Mean over kernel windows; padding counts as zeros (PyTorch's count_include_pad=True). */
export function avgPool2d(input: Tensor, kernel: number | [number, number], options: Pool2dOptions = {}): Tensor {
  const { x: raw, attrs, outShape, o } = poolSetup('avgPool2d', input, kernel, options);
  const x = isFloating(raw.dtype) ? raw : raw.cast('float32');
  const out = runAccelerated('avgPool2d', [x], attrs, { shape: outShape, dtype: x.dtype }, () => {
    const p = attrs.padding;
    const padded = pad(x, [p[1], p[1], p[0], p[0]]);
    return div(sum(windows(padded, attrs.kernel, attrs.stride, [1, 1], o), 2), attrs.kernel[0] * attrs.kernel[1]);
  });
  return finish(input, out);
}

/**
 * maxPool2d's gradient with respect to its input x, given the gradient of its output: each
 * window's gradient is shared evenly among the elements equal to the window's max (the rule of
 * the max reduction that maxPool2d decomposes into), overlapping windows adding up.
 */
export function maxPool2dBackward(input: Tensor, gradOutput: Tensor, kernel: number | [number, number], options: Pool2dOptions = {}): Tensor {
  const op = 'maxPool2dBackward';
  const { x: raw, attrs, outShape, o } = poolSetup(op, input, kernel, options);
  const [x, g] = promote(op, raw, gradSetup(op, gradOutput, input.rank === 3, outShape));
  if (!isFloating(x.dtype)) throw new DTypeError(`${op}: expected float32 or float64 inputs, got ${x.dtype}`);
  const out = runAccelerated(op, [x, g], attrs, { shape: x.shape, dtype: x.dtype }, () => {
    const p = attrs.padding;
    const cols = windows(pad(x, [p[1], p[1], p[0], p[0]], -Infinity), attrs.kernel, attrs.stride, [1, 1], o);
    const mask = cast(equal(cols, max(cols, 2, true)), x.dtype);
    const share = div(mul(unsqueeze(g, 2), mask), sum(mask, 2, true));
    return windowsAdjoint(share, [x.shape[2], x.shape[3]], attrs.kernel, attrs.stride, p, [1, 1]);
  });
  return finish(input, out);
}

/**
 * avgPool2d's gradient with respect to an input of `inputShape` ([N, C, H, W] or [C, H, W]),
 * given the gradient of its output: each window's gradient divided by the kernel area, added to
 * every element of the window.
 */
export function avgPool2dBackward(
  gradOutput: Tensor, inputShape: readonly number[], kernel: number | [number, number], options: Pool2dOptions = {},
): Tensor {
  const op = 'avgPool2dBackward';
  assertTensor(op, gradOutput, 'gradOutput');
  if (inputShape.length !== 3 && inputShape.length !== 4) throw new ShapeError(`${op}: inputShape must be [N, C, H, W] or [C, H, W], got ${fmtShape(inputShape)}`);
  const shape4 = inputShape.length === 3 ? [1, ...inputShape] : [...inputShape];
  const { attrs, outShape, o } = poolGeometry(op, shape4, kernel, options);
  const g = gradSetup(op, gradOutput, inputShape.length === 3, outShape);
  if (!isFloating(g.dtype)) throw new DTypeError(`${op}: expected a float32 or float64 gradOutput, got ${g.dtype}`);
  const [N, C, H, W] = shape4;
  const out = runAccelerated(op, [g], attrs, { shape: shape4, dtype: g.dtype }, () => {
    const kk = attrs.kernel[0] * attrs.kernel[1];
    const share = expand(unsqueeze(div(g, kk), 2), [N, C, kk, o[0], o[1]]);
    return windowsAdjoint(share, [H, W], attrs.kernel, attrs.stride, attrs.padding, [1, 1]);
  });
  return inputShape.length === 3 ? reshape(out, out.shape.slice(1)) : out;
}
