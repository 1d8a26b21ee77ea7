import type { DType, Shape } from '@plexus/tensor';
import { sizeOf, stridesOf } from '@plexus/tensor';
import type { Tfjs, TfTensor } from './tfjs.js';
import { tfDType } from './tfjs.js';

/** out[i] = x[begin + i·step] per axis; tf.slice when every step is 1, else tf.stridedSlice. */
export function slice(tf: Tfjs, x: TfTensor, begin: number[], step: number[], outShape: Shape): TfTensor {
  if (step.every((s) => s === 1)) return tf.slice(x, begin, outShape as number[]);
  // The exclusive end just past the last element taken, so no build has to clamp anything.
  const end = begin.map((b, d) => b + (outShape[d] - 1) * step[d] + 1);
  return tf.stridedSlice(x, begin, end, step);
}

/** The fill value as the dtype stores it: bool is "!= 0", int32 wraps like an Int32Array store. */
export function storedValue(value: number, dtype: DType): number {
  if (dtype === 'bool') return value !== 0 ? 1 : 0;
  if (dtype === 'int32') return value | 0;
  return value;
}

export function pad(tf: Tfjs, x: TfTensor, shape: Shape, pads: [number, number][], value: number, dtype: DType, outShape: Shape): TfTensor {
  const v = storedValue(value, dtype);
  if (sizeOf(shape) === 0) return tf.fill(outShape as number[], v, tfDType(dtype));
  return tf.pad(x, pads, v);
}

/** Joins along `axis`, leaving out zero-size inputs (which some builds reject). */
export function concat(tf: Tfjs, xs: TfTensor[], shapes: readonly Shape[], axis: number): TfTensor {
  const parts = xs.filter((_, i) => sizeOf(shapes[i]) > 0);
  return parts.length === 1 ? tf.clone(parts[0]) : tf.concat(parts, axis);
}

/**
 * Flat offsets into x (row-major, shape `xShape`) of torch.gather's positions: for each position
 * p of `index`, offset = Σ_{d≠axis} p_d·stride_d + index[p]·stride_axis. Built from broadcast
 * ranges on the device, so nothing is uploaded per call.
 */
function flatOffsets(tf: Tfjs, index: TfTensor, indexShape: Shape, xShape: Shape, axis: number): TfTensor {
  const strides = stridesOf(xShape);
  let offsets = tf.mul(index, tf.scalar(strides[axis], 'int32'));
  indexShape.forEach((n, d) => {
    if (d === axis || n === 1) return;
    const along = indexShape.map((_, k) => (k === d ? n : 1));
    const ramp = tf.reshape(tf.range(0, n * strides[d], strides[d], 'int32'), along);
    offsets = tf.add(offsets, ramp);
  });
  return tf.reshape(offsets, [-1]);
}

/** torch.gather along `axis`: out has index's shape. */
export function gather(tf: Tfjs, x: TfTensor, xShape: Shape, index: TfTensor, indexShape: Shape, axis: number): TfTensor {
  const flat = tf.reshape(x, [-1]);
  return tf.reshape(tf.gather(flat, flatOffsets(tf, index, indexShape, xShape, axis)), indexShape as number[]);
}

/** torch.scatter_add: a copy of x with src added at the gathered positions (repeats accumulate). */
export function scatterAdd(
  tf: Tfjs, x: TfTensor, xShape: Shape, index: TfTensor, indexShape: Shape, src: TfTensor, axis: number, dtype: DType,
): TfTensor {
  if (sizeOf(indexShape) === 0) return tf.clone(x);
  const offsets = tf.reshape(flatOffsets(tf, index, indexShape, xShape, axis), [-1, 1]);
  const values = tf.reshape(dtype === 'bool' ? tf.cast(src, 'int32') : src, [-1]);
  // scatterND sums the updates that land on the same position.
  const added = tf.reshape(tf.scatterND(offsets, values, [sizeOf(xShape)]), xShape as number[]);
  return dtype === 'bool' ? tf.logicalOr(x, tf.notEqual(added, 0)) : tf.add(x, added);
}
