import type { DType, Tensor } from '@plexus/tensor';
import { ArgumentError, fromData, isTensor, oneHot as tensorOneHot } from '@plexus/tensor';

/**
 * One-hot encoding with a new last dim of size numClasses: @plexus/tensor's `oneHot`, which
 * also accepts a JS array of class indices and can give float32 (for losses) instead of int32.
 */
export function oneHot(indices: Tensor | readonly number[] | Int32Array, numClasses: number, options: { dtype?: DType } = {}): Tensor {
  let t: Tensor;
  if (isTensor(indices)) t = indices;
  else {
    if (!Array.isArray(indices) && !(indices instanceof Int32Array)) throw new ArgumentError(`oneHot: expected a Tensor or an array of class indices, got ${typeof indices}`);
    indices.forEach((v, i) => {
      if (!Number.isInteger(v)) throw new ArgumentError(`oneHot: class indices must be integers, got ${v} at index ${i}`);
    });
    t = fromData('oneHot', Int32Array.from(indices), [indices.length]);
  }
  const out = tensorOneHot(t, numClasses);
  const dtype = options.dtype ?? 'int32';
  return dtype === 'int32' ? out : out.cast(dtype);
}
