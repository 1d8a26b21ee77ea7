import { isFloating } from '../dtype.js';
import { ArgumentError, ShapeError, fmtShape } from '../errors.js';
import { runAccelerated } from '../dispatch.js';
import type { Pool2dAttrs } from '../primitives.js';
import type { Tensor } from '../tensor.js';
import { windows } from './conv.js';
import { div } from './elementwise.js';
import { pad, reshape, unsqueeze } from './movement.js';
import { max, sum } from './reduce.js';
import { assertTensor, pair } from './util.js';

export interface Pool2dOptions {
  /** Defaults to the kernel size. */
  stride?: number | [number, number];
  padding?: number | [number, number];
}

function poolSetup(op: string, input: Tensor, kernel: number | [number, number], options: Pool2dOptions) {
  assertTensor(op, input);
  const x = input.rank === 3 ? unsqueeze(input, 0) : input;
  if (x.rank !== 4) throw new ShapeError(`${op}: expected input [N, C, H, W] or [C, H, W], got ${fmtShape(input.shape)}`);
  const k = pair(op, 'kernel', kernel, 1);
  const attrs: Pool2dAttrs = { kernel: k, stride: pair(op, 'stride', options.stride ?? k, 1), padding: pair(op, 'padding', options.padding ?? 0, 0) };
  if (attrs.padding[0] * 2 > k[0] || attrs.padding[1] * 2 > k[1]) {
    throw new ArgumentError(`${op}: padding [${attrs.padding}] must be at most half the kernel [${k}]`);
  }
  const [N, C, H, W] = x.shape;
  const oH = Math.floor((H + 2 * attrs.padding[0] - k[0]) / attrs.stride[0]) + 1;
  const oW = Math.floor((W + 2 * attrs.padding[1] - k[1]) / attrs.stride[1]) + 1;
  if (oH < 1 || oW < 1) throw new ShapeError(`${op}: kernel [${k}] is larger than the padded input ${fmtShape(input.shape)}`);
  return { x, attrs, outShape: [N, C, oH, oW], o: [oH, oW] as [number, number] };
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
