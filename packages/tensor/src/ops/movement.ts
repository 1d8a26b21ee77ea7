import { promoteTypes } from '../dtype.js';
import { ArgumentError, ShapeError, fmtShape } from '../errors.js';
import { noGrad, runPrimitive } from '../dispatch.js';
import { findBackend } from '../registry.js';
import { inferShape, normalizeAxes, normalizeAxis, shapesEqual, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { cast, where } from './elementwise.js';
import { arange } from './creation.js';
import { assertTensor, checkInt } from './util.js';

export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  assertTensor('reshape', x);
  const out = inferShape('reshape', x.shape, shape);
  if (shapesEqual(out, x.shape)) return x;
  return runPrimitive('reshape', [x], { shape: out }, { shape: out, dtype: x.dtype });
}

/** A new tensor with the same values, cut from the graph. */
export function detach(x: Tensor): Tensor {
  assertTensor('detach', x);
  return noGrad(() => runPrimitive('reshape', [x], { shape: [...x.shape] }, { shape: x.shape, dtype: x.dtype }));
}

/** A copy that stays in the graph (gradient flows through). */
export function clone(x: Tensor): Tensor {
  assertTensor('clone', x);
  return runPrimitive('reshape', [x], { shape: [...x.shape] }, { shape: x.shape, dtype: x.dtype });
}

/** A detached copy on another registered backend. */
export function toBackend(x: Tensor, name: string): Tensor {
  const backend = findBackend(name);
  if (backend === x.backend) return x;
  if (!backend.dtypes.includes(x.dtype)) throw new ArgumentError(`to: backend '${name}' does not support ${x.dtype}`);
  const t = new Tensor(backend.write(x.dataSync(), x.shape, x.dtype), x.shape, x.dtype, backend);
  if (x.requiresGrad && x.isLeaf) t.requiresGrad = true;
  return t;
}

export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  assertTensor('flatten', x);
  if (x.rank === 0) return reshape(x, [1]);
  const s = normalizeAxis('flatten', startDim, x.rank);
  const e = normalizeAxis('flatten', endDim, x.rank);
  if (s > e) throw new ArgumentError(`flatten: startDim ${startDim} comes after endDim ${endDim}`);
  const shape = [...x.shape.slice(0, s), sizeOf(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)];
  return reshape(x, shape);
}

/** Removes size-1 dims (all of them, or those listed; listed dims of other sizes are kept, as in PyTorch). */
export function squeeze(x: Tensor, dim?: number | readonly number[]): Tensor {
  assertTensor('squeeze', x);
  const axes = dim === undefined ? x.shape.map((_, i) => i) : normalizeAxes('squeeze', dim, x.rank);
  return reshape(x, x.shape.filter((d, i) => !(d === 1 && axes.includes(i))));
}

export function unsqueeze(x: Tensor, dim: number): Tensor {
  assertTensor('unsqueeze', x);
  const axis = normalizeAxis('unsqueeze', dim, x.rank + 1);
  const shape = [...x.shape];
  shape.splice(axis, 0, 1);
  return reshape(x, shape);
}

export function permute(x: Tensor, dims: readonly number[]): Tensor {
  assertTensor('permute', x);
  if (dims.length !== x.rank) {
    throw new ShapeError(`permute: expected ${x.rank} dims for a tensor of shape ${fmtShape(x.shape)}, got [${dims.join(',')}]`);
  }
  const perm = dims.map((d) => normalizeAxis('permute', d, x.rank));
  if (new Set(perm).size !== perm.length) throw new ArgumentError(`permute: repeated dim in [${dims.join(',')}]`);
  if (perm.every((p, i) => p === i)) return x;
  return runPrimitive('permute', [x], { perm }, { shape: perm.map((p) => x.shape[p]), dtype: x.dtype });
}

/** Swaps two dims (the last two by default). */
export function transpose(x: Tensor, dim0 = -2, dim1 = -1): Tensor {
  assertTensor('transpose', x);
  if (x.rank < 2) return x;
  const a = normalizeAxis('transpose', dim0, x.rank);
  const b = normalizeAxis('transpose', dim1, x.rank);
  const perm = x.shape.map((_, i) => i);
  [perm[a], perm[b]] = [perm[b], perm[a]];
  return permute(x, perm);
}

export function t(x: Tensor): Tensor {
  assertTensor('t', x);
  if (x.rank > 2) throw new ShapeError(`t: expects a tensor of rank <= 2, got ${fmtShape(x.shape)}; use transpose(dim0, dim1)`);
  return transpose(x, 0, -1);
}

/** Repeats size-1 dims (and adds leading dims) to reach `shape`; -1 keeps a dim. */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  assertTensor('expand', x);
  if (shape.length < x.rank) {
    throw new ShapeError(`expand: target ${fmtShape(shape)} has fewer dims than the input ${fmtShape(x.shape)}`);
  }
  const lead = shape.length - x.rank;
  const out = shape.map((d, i) => (d === -1 && i >= lead ? x.shape[i - lead] : d));
  out.forEach((d, i) => {
    const src = i >= lead ? x.shape[i - lead] : 1;
    if (!Number.isInteger(d) || d < 0 || (src !== 1 && src !== d)) {
      throw new ShapeError(`expand: cannot expand ${fmtShape(x.shape)} to ${fmtShape(shape)} (dimension ${i}: ${src} vs ${d})`);
    }
  });
  if (shapesEqual(out, x.shape)) return x;
  const input = lead > 0 ? reshape(x, [...new Array<number>(lead).fill(1), ...x.shape]) : x;
  if (shapesEqual(out, input.shape)) return input;
  return runPrimitive('expand', [input], { shape: out }, { shape: out, dtype: x.dtype });
}

export const broadcastTo = expand;

/** Joins tensors along an existing dim (torch.cat). dtypes are promoted. */
export function concat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) throw new ArgumentError('concat: expected a non-empty array of tensors');
  tensors.forEach((x, i) => assertTensor('concat', x, `tensors[${i}]`));
  const first = tensors[0];
  if (tensors.some((x) => x.rank === 0)) throw new ShapeError('concat: scalars (shape []) cannot be concatenated; use stack');
  const axis = normalizeAxis('concat', dim, first.rank);
  for (const x of tensors) {
    if (x.rank !== first.rank || x.shape.some((d: number, i: number) => i !== axis && d !== first.shape[i])) {
      throw new ShapeError(
        `concat: shapes must match except in dimension ${axis}, got ${tensors.map((x) => fmtShape(x.shape)).join(', ')}`,
      );
    }
  }
  const dtype = tensors.map((x) => x.dtype).reduce(promoteTypes);
  const inputs = tensors.map((x) => cast(x, dtype)).filter((x, i, all) => x.shape[axis] > 0 || (i === 0 && all.every((y) => y.shape[axis] === 0)));
  if (inputs.length === 1) return inputs[0];
  const shape = [...first.shape];
  shape[axis] = tensors.reduce((n, x) => n + x.shape[axis], 0);
  return runPrimitive('concat', inputs, { axis }, { shape, dtype });
}
export const cat = concat;

/** Joins tensors of one shape along a new dim. */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) throw new ArgumentError('stack: expected a non-empty array of tensors');
  tensors.forEach((x, i) => assertTensor('stack', x, `tensors[${i}]`));
  const shape = tensors[0].shape;
  for (const x of tensors) {
    if (!shapesEqual(x.shape, shape)) {
      throw new ShapeError(`stack: all tensors must have one shape, got ${tensors.map((x) => fmtShape(x.shape)).join(', ')}`);
    }
  }
  const axis = normalizeAxis('stack', dim, shape.length + 1);
  return concat(tensors.map((x) => unsqueeze(x, axis)), axis);
}

/**
 * Elements start, start+step, ... before end along one dim, Python-style: negative indices count
 * from the end and out-of-range bounds are clamped.
 */
export function slice(x: Tensor, dim: number, start?: number | null, end?: number | null, step = 1): Tensor {
  assertTensor('slice', x);
  const axis = normalizeAxis('slice', dim, x.rank);
  checkInt('slice', 'step', step, 1);
  const n = x.shape[axis];
  const norm = (v: number | null | undefined, dflt: number): number => {
    if (v === undefined || v === null) return dflt;
    checkInt('slice', 'index', v);
    return Math.min(Math.max(v < 0 ? v + n : v, 0), n);
  };
  const b = norm(start, 0);
  const e = Math.max(norm(end, n), b);
  if (b === 0 && e === n && step === 1) return x;
  const begin = x.shape.map(() => 0);
  const stop = [...x.shape];
  const steps = x.shape.map(() => 1);
  begin[axis] = b;
  stop[axis] = e;
  steps[axis] = step;
  const shape = [...x.shape];
  shape[axis] = Math.ceil((e - b) / step);
  return runPrimitive('slice', [x], { begin, end: stop, step: steps }, { shape, dtype: x.dtype });
}

/** `length` elements from `start` along `dim` (torch.narrow); out of range is an error. */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  assertTensor('narrow', x);
  const axis = normalizeAxis('narrow', dim, x.rank);
  const s = start < 0 ? start + x.shape[axis] : start;
  if (!Number.isInteger(length) || length < 0 || s < 0 || s + length > x.shape[axis]) {
    throw new ArgumentError(`narrow: start ${start} and length ${length} do not fit dimension ${axis} of ${fmtShape(x.shape)}`);
  }
  return slice(x, axis, s, s + length);
}

/**
 * Constant padding in PyTorch's F.pad order: pairs (before, after) from the LAST dim backwards,
 * e.g. [left, right, top, bottom] for the last two dims.
 */
export function pad(x: Tensor, pads: readonly number[], value = 0): Tensor {
  assertTensor('pad', x);
  if (pads.length % 2 !== 0 || pads.length / 2 > x.rank) {
    throw new ArgumentError(`pad: expected an even number of pads for at most ${x.rank} dims, got [${pads.join(',')}]`);
  }
  pads.forEach((p) => checkInt('pad', 'padding', p, 0));
  const pairs: [number, number][] = x.shape.map(() => [0, 0]);
  for (let i = 0; i < pads.length / 2; i++) pairs[x.rank - 1 - i] = [pads[2 * i], pads[2 * i + 1]];
  if (pairs.every(([a, b]) => a === 0 && b === 0)) return x;
  const shape = x.shape.map((d, i) => d + pairs[i][0] + pairs[i][1]);
  return runPrimitive('pad', [x], { pads: pairs, value }, { shape, dtype: x.dtype });
}

/** Repeats the tensor `reps[i]` times along each dim (torch.tile). */
export function tile(x: Tensor, reps: readonly number[]): Tensor {
  assertTensor('tile', x);
  reps.forEach((r) => checkInt('tile', 'repetition', r, 0));
  const rank = Math.max(x.rank, reps.length);
  const r = [...new Array<number>(rank - reps.length).fill(1), ...reps];
  const base = reshape(x, [...new Array<number>(rank - x.rank).fill(1), ...x.shape]);
  // Interleave a size-1 axis before each dim, expand it to the repetition count, then merge.
  const interleaved = reshape(base, base.shape.flatMap((d) => [1, d]));
  const expanded = expand(interleaved, base.shape.flatMap((d, i) => [r[i], d]));
  return reshape(expanded, base.shape.map((d, i) => d * r[i]));
}

/** Reverses the order of elements along dims. */
export function flip(x: Tensor, dims: number | readonly number[]): Tensor {
  assertTensor('flip', x);
  let y = x;
  for (const axis of normalizeAxes('flip', dims, x.rank)) {
    const n = x.shape[axis];
    if (n <= 1) continue;
    const idxShape = x.shape.map((_, i) => (i === axis ? n : 1));
    const rev = reshape(arange(n - 1, -1, -1, { backend: x.backend }), idxShape);
    y = runPrimitive('gather', [y, expand(rev, y.shape)], { axis }, { shape: y.shape, dtype: y.dtype });
  }
  return y;
}

/** Splits into pieces of `splitSize` (the last may be smaller) or of the listed sizes. */
export function split(x: Tensor, splitSize: number | readonly number[], dim = 0): Tensor[] {
  assertTensor('split', x);
  const axis = normalizeAxis('split', dim, x.rank);
  const n = x.shape[axis];
  let sizes: number[];
  if (typeof splitSize === 'number') {
    checkInt('split', 'splitSize', splitSize, 1);
    sizes = [];
    for (let s = 0; s < n; s += splitSize) sizes.push(Math.min(splitSize, n - s));
    if (n === 0) sizes = [0];
  } else {
    sizes = [...splitSize];
    sizes.forEach((s) => checkInt('split', 'size', s, 0));
    if (sizes.reduce((a, b) => a + b, 0) !== n) {
      throw new ArgumentError(`split: sizes [${sizes.join(',')}] do not sum to dimension ${axis} of ${fmtShape(x.shape)}`);
    }
  }
  let offset = 0;
  return sizes.map((s) => {
    const piece = s === n ? x : slice(x, axis, offset, offset + s);
    offset += s;
    return piece;
  });
}

/** Splits into `chunks` pieces of equal size (the last may be smaller), like torch.chunk. */
export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  assertTensor('chunk', x);
  checkInt('chunk', 'chunks', chunks, 1);
  const axis = normalizeAxis('chunk', dim, x.rank);
  return split(x, Math.max(1, Math.ceil(x.shape[axis] / chunks)), axis);
}

function triangle(op: 'triu' | 'tril', x: Tensor, diagonal: number): Tensor {
  assertTensor(op, x);
  if (x.rank < 2) throw new ShapeError(`${op}: expects a tensor of rank >= 2, got ${fmtShape(x.shape)}`);
  checkInt(op, 'diagonal', diagonal);
  const [m, n] = x.shape.slice(-2);
  const rows = reshape(arange(m, undefined, 1, { backend: x.backend }), [m, 1]);
  const cols = reshape(arange(n, undefined, 1, { backend: x.backend }), [1, n]);
  const offset = cols.sub(rows);
  const mask = op === 'triu' ? offset.ge(diagonal) : offset.le(diagonal);
  return where(mask, x, 0);
}

/** Upper triangle of the last two dims (elements on and above `diagonal`), zeros elsewhere. */
export const triu = (x: Tensor, diagonal = 0): Tensor => triangle('triu', x, diagonal);
export const tril = (x: Tensor, diagonal = 0): Tensor => triangle('tril', x, diagonal);
