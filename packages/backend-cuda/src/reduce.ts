import type { DType, ReduceOp, Shape } from '@plexus/tensor';
import { sizeOf } from '@plexus/tensor';
import { mulInt32 } from './elementwise.js';
import type { Tfjs, TfTensor } from './tfjs.js';

/**
 * Reductions over sorted, non-empty `axes` (removed from the output). sum/prod of bool or int32
 * give int32; max/min keep the dtype and propagate NaN.
 */
export function reduce(tf: Tfjs, op: ReduceOp, x: TfTensor, shape: Shape, axes: number[], dtype: DType, outShape: Shape): TfTensor {
  if (sizeOf(shape) === 0) {
    // Reducing over an empty axis (an empty max/min never reaches a backend).
    return tf.fill(outShape as number[], op === 'prod' ? 1 : 0, 'int32');
  }
  switch (op) {
    case 'sum':
      return tf.sum(dtype === 'bool' ? tf.cast(x, 'int32') : x, axes);
    case 'prod':
      if (dtype === 'float32') return tf.prod(x, axes);
      return prodInt32(tf, dtype === 'bool' ? tf.cast(x, 'int32') : x, shape, axes);
    case 'max':
    case 'min': {
      if (dtype === 'bool') return op === 'max' ? tf.any(x, axes) : tf.all(x, axes);
      const m = op === 'max' ? tf.max(x, axes) : tf.min(x, axes);
      if (dtype !== 'float32') return m;
      return tf.where(tf.any(tf.isNaN(x), axes), tf.scalar(NaN), m);
    }
  }
}

/**
 * Exact int32 product (wrapping mod 2³²): the reduced axes are moved last and flattened, then
 * multiplied pairwise with `mulInt32` in log₂(n) halvings. tf.prod multiplies in double, which
 * loses the low bits once a product passes 2⁵³.
 */
function prodInt32(tf: Tfjs, x: TfTensor, shape: Shape, axes: number[]): TfTensor {
  const kept = shape.map((_, d) => d).filter((d) => !axes.includes(d));
  const outer = kept.reduce((p, d) => p * shape[d], 1);
  let n = axes.reduce((p, d) => p * shape[d], 1);
  let v = tf.reshape(tf.transpose(x, [...kept, ...axes]), [outer, n]);
  while (n > 1) {
    if (n % 2 === 1) {
      v = tf.pad(v, [[0, 0], [0, 1]], 1);
      n += 1;
    }
    n /= 2;
    const pairs = tf.reshape(v, [outer, n, 2]);
    const [left, right] = tf.split(pairs, 2, 2);
    v = tf.reshape(mulInt32(tf, left, right), [outer, n]);
  }
  return tf.reshape(v, kept.map((d) => shape[d]));
}

/**
 * Index (int32) of the first maximum/minimum along `axis`, a NaN counting as more extreme than
 * any number (the first NaN wins), as in the reference backend.
 */
export function argReduce(tf: Tfjs, op: 'argmax' | 'argmin', x: TfTensor, shape: Shape, axis: number, dtype: DType): TfTensor {
  if (shape.length === 0) return tf.scalar(0, 'int32'); // a scalar is its own argmax
  const v = dtype === 'bool' ? tf.cast(x, 'int32') : x;
  const idx = op === 'argmax' ? tf.argMax(v, axis) : tf.argMin(v, axis);
  if (dtype !== 'float32') return idx;
  const nan = tf.isNaN(v);
  return tf.where(tf.any(nan, axis), tf.argMax(tf.cast(nan, 'int32'), axis), idx);
}
