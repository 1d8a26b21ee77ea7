import type { Tensor } from '@plexus/tensor';
import { concat } from '@plexus/tensor';

/**
 * A gradient aᵀ·g, with a [rows, k] and g [rows, n], for a [k, n] matrix: what matmul's rule gives
 * a weight matrix. A weight that many products share (an RNN's recurrent weight, read once per
 * time step) gets one such term per use; the engine keeps them until the weight's gradient is
 * complete and computes the sum as one product over all their rows, concat(a)ᵀ·concat(g), instead
 * of one short product per use and a running sum.
 */
export class ProductGrad {
  constructor(
    readonly a: Tensor,
    readonly g: Tensor,
  ) {}

  get rows(): number {
    return this.a.shape[0];
  }
}

/** Rows of pending terms of one tensor after which they are joined early (bounds their memory). */
export const MAX_PENDING_ROWS = 1 << 16;

/**
 * The sum of the terms (at least one) as one product. Built from concat, transpose and matmul,
 * whose own rules hold, so it is differentiable like any other gradient (createGraph).
 */
export function joinProductGrads(terms: readonly ProductGrad[]): Tensor {
  if (terms.length === 1) return terms[0].a.transpose(0, 1).matmul(terms[0].g);
  return concat(terms.map((t) => t.a), 0).transpose(0, 1).matmul(concat(terms.map((t) => t.g), 0));
}
