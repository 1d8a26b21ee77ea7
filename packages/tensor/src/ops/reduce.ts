import { isFloating } from '../dtype.js';
import { ArgumentError, ShapeError, fmtShape } from '../errors.js';
import { runPrimitive } from '../dispatch.js';
import type { ReduceOp } from '../primitives.js';
import { normalizeAxes, normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { cast, div, greater, logicalNot, mul, sub } from './elementwise.js';
import { reshape } from './movement.js';
import { assertTensor } from './util.js';

/** Output shape of reducing `axes`, with kept size-1 dims when `keepdim`. */
export function reducedShape(shape: readonly number[], axes: readonly number[], keepdim: boolean): number[] {
  const out: number[] = [];
  shape.forEach((d, i) => {
    if (!axes.includes(i)) out.push(d);
    else if (keepdim) out.push(1);
  });
  return out;
}

function reduce(op: ReduceOp, x: Tensor, dim: number | readonly number[] | undefined, keepdim: boolean): Tensor {
  assertTensor(op, x);
  const axes = normalizeAxes(op, dim, x.rank);
  let input = x;
  if ((op === 'sum' || op === 'prod') && !isFloating(x.dtype) && x.dtype !== 'int32') input = cast(x, 'int32');
  if (op === 'max' || op === 'min') {
    for (const a of axes) {
      if (x.shape[a] === 0) throw new ShapeError(`${op}: cannot reduce over dimension ${a} of size 0 in ${fmtShape(x.shape)}`);
    }
  }
  if (axes.length === 0) return input;
  const outDtype = (op === 'sum' || op === 'prod') && !isFloating(input.dtype) ? 'int32' : input.dtype;
  const out = runPrimitive(op, [input], { axes }, { shape: reducedShape(x.shape, axes, false), dtype: outDtype });
  return keepdim ? reshape(out, reducedShape(x.shape, axes, true)) : out;
}

type Dim = number | readonly number[] | undefined;

export const sum = (x: Tensor, dim?: Dim, keepdim = false): Tensor => reduce('sum', x, dim, keepdim);
export const prod = (x: Tensor, dim?: Dim, keepdim = false): Tensor => reduce('prod', x, dim, keepdim);
/** Maximum over dims (all when omitted); the gradient is shared evenly between ties. */
export const max = (x: Tensor, dim?: Dim, keepdim = false): Tensor => reduce('max', x, dim, keepdim);
export const min = (x: Tensor, dim?: Dim, keepdim = false): Tensor => reduce('min', x, dim, keepdim);

function countOf(x: Tensor, dim: Dim): number {
  return normalizeAxes('mean', dim, x.rank).reduce((n, a) => n * x.shape[a], 1);
}

/** Mean over dims; integer inputs give float32. */
export function mean(x: Tensor, dim?: Dim, keepdim = false): Tensor {
  assertTensor('mean', x);
  const input = isFloating(x.dtype) ? x : cast(x, 'float32');
  return div(sum(input, dim, keepdim), countOf(x, dim));
}

export interface VarianceOptions {
  /** Subtracted from the count in the denominator: 1 (Bessel, the PyTorch default) or 0. */
  correction?: number;
  keepdim?: boolean;
}

export function variance(x: Tensor, dim?: Dim, options: VarianceOptions = {}): Tensor {
  assertTensor('var', x);
  const { correction = 1, keepdim = false } = options;
  const input = isFloating(x.dtype) ? x : cast(x, 'float32');
  const centred = sub(input, mean(input, dim, true));
  const n = countOf(x, dim);
  return div(sum(mul(centred, centred), dim, keepdim), Math.max(n - correction, 0));
}

export function std(x: Tensor, dim?: Dim, options: VarianceOptions = {}): Tensor {
  return variance(x, dim, options).sqrt();
}

function argReduce(op: 'argmax' | 'argmin', x: Tensor, dim: number | undefined, keepdim: boolean): Tensor {
  assertTensor(op, x);
  if (dim === undefined) {
    if (x.size === 0) throw new ShapeError(`${op}: cannot take ${op} of an empty tensor ${fmtShape(x.shape)}`);
    const flat = reshape(x, [x.size]);
    const out = runPrimitive(op, [x.dtype === 'bool' ? cast(flat, 'int32') : flat], { axis: 0 }, { shape: [], dtype: 'int32' });
    return keepdim ? reshape(out, x.shape.map(() => 1)) : out;
  }
  const axis = normalizeAxis(op, dim, x.rank);
  if (x.rank === 0) return reshape(cast(x, 'int32').mul(0), []);
  if (x.shape[axis] === 0) throw new ShapeError(`${op}: dimension ${axis} of ${fmtShape(x.shape)} is empty`);
  const input = x.dtype === 'bool' ? cast(x, 'int32') : x;
  const out = runPrimitive(op, [input], { axis }, { shape: reducedShape(x.shape, [axis], false), dtype: 'int32' });
  return keepdim ? reshape(out, reducedShape(x.shape, [axis], true)) : out;
}

/** Index of the first maximum along `dim` (of the flattened tensor when omitted), int32. */
export const argmax = (x: Tensor, dim?: number, keepdim = false): Tensor => argReduce('argmax', x, dim, keepdim);
export const argmin = (x: Tensor, dim?: number, keepdim = false): Tensor => argReduce('argmin', x, dim, keepdim);

/** True where any element along dims is non-zero (false over an empty dim). */
export function any(x: Tensor, dim?: Dim, keepdim = false): Tensor {
  return greater(sum(cast(x, 'bool'), dim, keepdim), 0);
}
/** True where every element along dims is non-zero (true over an empty dim). */
export function all(x: Tensor, dim?: Dim, keepdim = false): Tensor {
  return logicalNot(any(logicalNot(x), dim, keepdim));
}

/** Reduces a broadcast gradient back to `shape` (sums the broadcast dims). Used by gradient rules. */
export function sumToShape(g: Tensor, shape: readonly number[]): Tensor {
  if (g.shape.length === shape.length && g.shape.every((d, i) => d === shape[i])) return g;
  const lead = g.rank - shape.length;
  if (lead < 0) throw new ArgumentError(`sumToShape: cannot reduce ${fmtShape(g.shape)} to ${fmtShape(shape)}`);
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  const reduced = axes.length ? sum(g, axes) : g;
  return reshape(reduced, shape);
}
