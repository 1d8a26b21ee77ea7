import type { Tensor } from '@plexus/tensor';

/**
 * Derivatives of u w.r.t. the columns of x computed alongside u by forward (Taylor) mode, e.g. by
 * MLP.forwardWithDerivatives. `partials` and `derivative` use them instead of reverse passes when
 * they cover what is asked: the residual code stays the same and runs about twice as fast.
 */
export interface PrecomputedDerivatives {
  x: Tensor;
  /** ∂u/∂x_c for every column c: [N, 1] each. */
  first: readonly Tensor[];
  /** ∂²u/∂x_i∂x_j under the key `${min(i,j)},${max(i,j)}`: [N, 1] each. */
  second: ReadonlyMap<string, Tensor>;
}

const records = new WeakMap<Tensor, PrecomputedDerivatives>();

/** Records derivatives of `u` (for the library's forward-mode models). */
export function attachDerivatives(u: Tensor, record: PrecomputedDerivatives): void {
  records.set(u, record);
}

/** The precomputed derivative of u along `columns` (length 1 or 2) w.r.t. x, if there is one. */
export function precomputed(u: Tensor, x: Tensor, columns: readonly number[]): Tensor | undefined {
  const r = records.get(u);
  if (!r || r.x !== x) return undefined;
  if (columns.length === 1) return r.first[columns[0]];
  if (columns.length === 2) {
    const [i, j] = columns;
    return r.second.get(`${Math.min(i, j)},${Math.max(i, j)}`);
  }
  return undefined;
}

export const pairKey = (i: number, j: number): string => `${Math.min(i, j)},${Math.max(i, j)}`;
