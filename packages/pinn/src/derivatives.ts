import type { Tensor } from '@plexus/tensor';
import { ArgumentError, ShapeError, fmtShape, onesLike } from '@plexus/tensor';
import { grad } from '@plexus/autograd';
import { precomputed } from './taylor.js';

function checkPair(op: string, u: Tensor, x: Tensor): void {
  if (x.rank !== 2) throw new ShapeError(`${op}: expected inputs x of shape [N, d], got ${fmtShape(x.shape)}`);
  const n = x.shape[0];
  const ok = (u.rank === 2 && u.shape[0] === n && u.shape[1] === 1) || (u.rank === 1 && u.shape[0] === n);
  if (!ok) throw new ShapeError(`${op}: expected u of shape [${n}, 1] or [${n}] (one value per row of x ${fmtShape(x.shape)}), got ${fmtShape(u.shape)}`);
  if (!x.requiresGrad) throw new ArgumentError(`${op}: x must require grad (x.requiresGrad_()) before the network is evaluated on it`);
}

/**
 * ∂u/∂x for each row: [N, d], column j holding ∂uᵢ/∂xᵢⱼ. One reverse pass with ones as the output
 * gradient, valid because row i of u depends on row i of x only (a pointwise network: no batch
 * norm or attention across points). Recorded with createGraph, so it can be differentiated again
 * (u_xx) and trained through (the parameter gradients of a PDE residual).
 */
export function gradient(u: Tensor, x: Tensor): Tensor {
  checkPair('gradient', u, x);
  return grad(u, x, { gradOutputs: onesLike(u), createGraph: true })[0];
}

function checkColumns(op: string, columns: readonly number[], d: number): void {
  if (columns.length === 0) throw new ArgumentError(`${op}: expected at least one column to differentiate by`);
  columns.forEach((c) => {
    if (!Number.isInteger(c) || c < 0 || c >= d) throw new ArgumentError(`${op}: column ${c} is out of range for inputs with ${d} columns`);
  });
}

/**
 * A partial derivative of u by the columns of x, as [N, 1]. `order` is either a count (the
 * order-th derivative by column 0: `derivative(u, x, 2)` is u_xx of a 1-D problem) or the list of
 * columns to differentiate by in turn: with columns (t, x), `[0]` is u_t, `[1, 1]` is u_xx and
 * `[0, 1]` is u_tx.
 */
export function derivative(u: Tensor, x: Tensor, order: number | readonly number[] = 1): Tensor {
  checkPair('derivative', u, x);
  let columns: number[];
  if (typeof order === 'number') {
    if (!Number.isInteger(order) || order < 1) throw new ArgumentError(`derivative: order must be a positive integer, got ${order}`);
    columns = new Array<number>(order).fill(0);
  } else {
    columns = [...order];
  }
  checkColumns('derivative', columns, x.shape[1]);
  const ready = precomputed(u, x, columns);
  if (ready) return ready;
  let v = u.rank === 1 ? u.reshape([u.shape[0], 1]) : u;
  for (const c of columns) v = gradient(v, x).narrow(1, c, 1);
  return v;
}

/**
 * Several partial derivatives at once, sharing the passes they have in common: with columns
 * (t, x), `partials(u, x, { t: [0], x: [1], xx: [1, 1] })` gives { t: u_t, x: u_x, xx: u_xx }
 * in two reverse passes (u_t and u_x come from the same one).
 */
export function partials<K extends string>(u: Tensor, x: Tensor, spec: Readonly<Record<K, readonly number[]>>): Record<K, Tensor> {
  checkPair('partials', u, x);
  const d = x.shape[1];
  // Forward-mode derivatives computed with u, when they cover every request.
  const names = Object.keys(spec) as K[];
  names.forEach((name) => checkColumns(`partials('${name}')`, spec[name], d));
  const ready = names.map((name) => precomputed(u, x, spec[name]));
  if (ready.every((t) => t !== undefined)) return Object.fromEntries(names.map((n, i) => [n, ready[i]])) as Record<K, Tensor>;
  const u2 = u.rank === 1 ? u.reshape([u.shape[0], 1]) : u;
  // Cache by column path: the gradient of the derivative along a path, [N, d].
  const gradients = new Map<string, Tensor>();
  const gradOf = (path: readonly number[]): Tensor => {
    const key = path.join(',');
    let g = gradients.get(key);
    if (!g) {
      g = gradient(path.length === 0 ? u2 : gradOf(path.slice(0, -1)).narrow(1, path[path.length - 1], 1), x);
      gradients.set(key, g);
    }
    return g;
  };
  const out = {} as Record<K, Tensor>;
  for (const name of names) {
    const columns = spec[name];
    out[name] = gradOf(columns.slice(0, -1)).narrow(1, columns[columns.length - 1], 1);
  }
  return out;
}
