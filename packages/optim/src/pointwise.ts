import type { Tensor } from '@plexus/tensor';

// PyTorch's in-place helpers as out-of-place tensor ops, evaluated in the same order as its CPU
// kernels, so a float32 run rounds like torch's single-tensor (for-loop) optimizers.

/** self + alpha·other (torch `add(other, alpha=…)`). */
export function addScaled(self: Tensor, other: Tensor, alpha: number): Tensor {
  return self.add(alpha === 1 ? other : other.mul(alpha));
}

/** self + value·t1·t2 (torch `addcmul`). */
export function addcmul(self: Tensor, t1: Tensor, t2: Tensor, value: number): Tensor {
  return self.add((value === 1 ? t1 : t1.mul(value)).mul(t2));
}

/** self + value·t1/t2 (torch `addcdiv`). */
export function addcdiv(self: Tensor, t1: Tensor, t2: Tensor, value: number): Tensor {
  return self.add((value === 1 ? t1 : t1.mul(value)).div(t2));
}

/** self + weight·(end − self), written from the nearer end like torch `lerp` for accuracy. */
export function lerp(self: Tensor, end: Tensor, weight: number): Tensor {
  const diff = end.sub(self);
  return weight < 0.5 ? self.add(diff.mul(weight)) : end.sub(diff.mul(1 - weight));
}
