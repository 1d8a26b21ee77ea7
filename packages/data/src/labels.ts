import type { Tensor } from '@plexus/tensor';
import { ArgumentError, DTypeError, ShapeError, isTensor } from '@plexus/tensor';

/** Class labels given as a JS array, an Int32Array or a 1-D int32 tensor. */
export type Labels = readonly number[] | Int32Array | Tensor;

/** The labels as an Int32Array of length `n`, checked to be integers. */
export function labelArray(op: string, labels: Labels, n: number): Int32Array {
  let out: Int32Array;
  if (isTensor(labels)) {
    if (labels.dtype !== 'int32') throw new DTypeError(`${op}: stratify labels must be an int32 tensor, got ${labels.dtype}`);
    if (labels.rank !== 1) throw new ShapeError(`${op}: stratify labels must be 1-D, got [${labels.shape.join(',')}]`);
    out = Int32Array.from(labels.dataSync());
  } else {
    out = new Int32Array(labels.length);
    for (let i = 0; i < labels.length; i++) {
      const v = labels[i];
      if (!Number.isInteger(v)) throw new ArgumentError(`${op}: stratify labels must be integers, got ${v} at index ${i}`);
      out[i] = v;
    }
  }
  if (out.length !== n) throw new ShapeError(`${op}: expected ${n} stratify labels (one per sample), got ${out.length}`);
  return out;
}
