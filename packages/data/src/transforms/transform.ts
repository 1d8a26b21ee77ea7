import type { Tensor } from '@plexus/tensor';
import { ArgumentError, DTypeError, ShapeError, isFloating, isTensor } from '@plexus/tensor';

/** An image transform: a [C,H,W] image or an [N,C,H,W] batch in, the same rank out. */
export interface Transform {
  forward(x: Tensor): Tensor;
}

/** A Transform object or a plain function of a tensor. */
export type TransformLike = Transform | ((x: Tensor) => Tensor);

export function applyTransform(t: TransformLike, x: Tensor): Tensor {
  return typeof t === 'function' ? t(x) : t.forward(x);
}

/** An image viewed as a batch: [C,H,W] becomes [1,C,H,W]; `restore` undoes that on the output. */
export interface ImageBatch {
  batch: Tensor;
  n: number;
  c: number;
  h: number;
  w: number;
  restore(out: Tensor): Tensor;
}

export function asImageBatch(op: string, x: unknown): ImageBatch {
  if (!isTensor(x)) throw new ArgumentError(`${op}: expected a Tensor, got ${x === null ? 'null' : typeof x}`);
  if (!isFloating(x.dtype)) throw new DTypeError(`${op}: expected a float32 or float64 image, got ${x.dtype}`);
  if (x.rank !== 3 && x.rank !== 4) throw new ShapeError(`${op}: expected an image [C,H,W] or a batch [N,C,H,W], got [${x.shape.join(',')}]`);
  const batch = x.rank === 3 ? x.reshape([1, ...x.shape]) : x;
  const [n, c, h, w] = batch.shape;
  return {
    batch,
    n,
    c,
    h,
    w,
    restore: (out) => (x.rank === 3 ? out.reshape(out.shape.slice(1)) : out),
  };
}

/** Chains transforms, applied in order (torchvision's Compose). */
export class Compose implements Transform {
  readonly transforms: readonly TransformLike[];

  constructor(transforms: readonly TransformLike[]) {
    if (!Array.isArray(transforms)) throw new ArgumentError('Compose: expected an array of transforms');
    transforms.forEach((t, i) => {
      if (typeof t !== 'function' && (t === null || typeof t !== 'object' || typeof t.forward !== 'function')) {
        throw new ArgumentError(`Compose: transform ${i} is neither a function nor an object with forward()`);
      }
    });
    this.transforms = [...transforms];
  }

  forward(x: Tensor): Tensor {
    return this.transforms.reduce((y, t) => applyTransform(t, y), x);
  }
}
