import '@plexus/backend-js';
import type { Tensor } from '@plexus/tensor';

/** Flat numbers of a tensor. */
export function values(t: Tensor): number[] {
  return Array.from(t.dataSync() as ArrayLike<number>);
}

/** Rows of an [N, d] tensor. */
export function rows(t: Tensor): number[][] {
  return t.toArraySync() as number[][];
}
