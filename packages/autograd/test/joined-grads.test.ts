import { afterEach, describe, expect, it } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import { chunk, concat, getBackend, slice, zeros } from '@plexus/tensor';
import { SliceGrad, grad, gradRules } from '../src/index.js';
import { expectClose, expectGradGradOk, expectGradOk, f64, randn64 } from './helpers.js';

/**
 * Slice rules give bands (SliceGrad) and matmul rules aᵀ·g terms (ProductGrad) that the engine
 * joins once per tensor: these check the joined gradient in every arrangement (disjoint, with
 * gaps, repeated, overlapping, several axes, mixed with dense contributions, joined early) to first
 * and second order, and that the common cases cost one concat or one product.
 */

/** An LSTM-like loop: one time step sliced out per iteration, split into gates by chunk. */
function recurrent(xs: Tensor, w: Tensor): Tensor {
  const [T, , F] = xs.shape;
  let h = zeros([xs.shape[1], F / 2], { dtype: 'float64' });
  for (let t = 0; t < T; t++) {
    const gates = xs.slice(0, t, t + 1).reshape([xs.shape[1], F]).add(concat([h, h], 1).mul(w));
    const [a, b] = chunk(gates, 2, 1);
    h = a.tanh().mul(b.sigmoid()).add(h.mul(0.5));
  }
  return h.square().sum();
}

describe('gradients of slices are joined once per tensor', () => {
  it('time-step slices and chunked gates (first and second order)', () => {
    const [xs, w] = randn64(1, [3, 2, 4], [1, 4]);
    expectGradOk(recurrent, [xs, w]);
    expectGradGradOk(recurrent, [xs, w]);
  });

  it('slices that leave gaps, and a tensor used densely as well as sliced', () => {
    const [x] = randn64(2, [6, 3]);
    const f = (t: Tensor): Tensor => t.slice(0, 1, 2).mul(t.slice(0, 4, 6).sum(0, true)).add(t.slice(0, 5, 6).exp()).sum().add(t.square().sum());
    expectGradOk(f, [x]);
    expectGradGradOk(f, [x]);
  });

  it('the same range sliced twice, overlapping ranges, and slices along two axes', () => {
    const [x] = randn64(3, [4, 5]);
    const same = (t: Tensor): Tensor => t.slice(1, 1, 3).square().add(t.slice(1, 1, 3).mul(2)).sum();
    const overlap = (t: Tensor): Tensor => t.slice(0, 0, 3).square().sum().add(t.slice(0, 1, 4).sin().sum());
    const axes = (t: Tensor): Tensor => t.slice(0, 1, 3).square().sum().add(t.slice(1, 2, 4).exp().sum()).add(t.slice(0, 0, 1).sum());
    for (const f of [same, overlap, axes]) {
      expectGradOk(f, [x]);
      expectGradGradOk(f, [x]);
    }
  });

  it('slices on two axes at once, with a step on one of them', () => {
    const [x] = randn64(4, [5, 6]);
    const f = (t: Tensor): Tensor => slice(t.slice(0, 1, 4), 1, 0, null, 2).square().sum().add(t.slice(0, 3, 5).slice(1, 1, 3).exp().sum());
    expectGradOk(f, [x]);
    expectGradGradOk(f, [x]);
  });

  it('hand-computed: bands with gaps and repeats land where they were taken', () => {
    const g = grad((t: Tensor) => t.slice(0, 1, 2).mul(3).sum().add(t.slice(0, 3, 5).sum()).add(t.slice(0, 1, 2).sum()))(f64([1, 2, 3, 4, 5, 6]));
    expectClose(g, [0, 4, 0, 1, 1, 0]);
  });

  it('the slice rule gives a band; a concat joins the pieces of a split instead of one pad each', () => {
    const [x] = randn64(5, [4, 6]);
    const y = x.requiresGrad_().slice(1, 2, 4);
    const band = gradRules.slice(y.mul(1), { inputs: [x], output: y, attrs: { begin: [0, 2], end: [4, 4], step: [1, 1] }, needsGrad: [true] })[0];
    expect(band).toBeInstanceOf(SliceGrad);
    expect([(band as SliceGrad).axis, (band as SliceGrad).begin]).toEqual([1, 2]);

    const counts = countCalls(['pad', 'concat']);
    const g = grad((t: Tensor) => chunk(t, 3, 1).map((p, i) => p.mul(i + 1).sum()).reduce((a, b) => a.add(b)))(x);
    expectClose(g, [0, 1, 2, 3].flatMap(() => [1, 1, 2, 2, 3, 3]));
    expect(counts).toEqual({ pad: 0, concat: 1 });
  });
});

describe('a weight shared by many products gets its gradient from one product', () => {
  /** h ← tanh(x_t·U + h·W) over the time steps of xs. */
  const rnn = (xs: Tensor, u: Tensor, w: Tensor): Tensor => {
    let h = zeros([xs.shape[1], w.shape[0]], { dtype: 'float64' });
    for (let t = 0; t < xs.shape[0]; t++) h = xs.slice(0, t, t + 1).reshape([xs.shape[1], xs.shape[2]]).matmul(u).add(h.matmul(w)).tanh();
    return h.square().sum();
  };

  it('a recurrent loop (first and second order)', () => {
    const [xs, u, w] = randn64(6, [3, 2, 3], [3, 4], [4, 4]);
    expectGradOk(rnn, [xs, u, w]);
    expectGradGradOk(rnn, [xs, u, w]);
  });

  it('batched inputs, a weight also used densely, and a weight that is one operand twice', () => {
    const [x, w] = randn64(7, [2, 3, 4], [4, 4]);
    const f = (a: Tensor, b: Tensor): Tensor => a.matmul(b).tanh().matmul(b).sum().add(b.square().sum()).add(b.matmul(b).sin().sum());
    expectGradOk(f, [x, w]);
    expectGradGradOk(f, [x, w]);
  });

  it('hand-computed, including terms joined early because they hold many rows', () => {
    const x1 = f64([[1], [2]]);
    const x2 = f64([[3], [4]]);
    const gw = grad((w: Tensor) => x1.matmul(w).add(x2.matmul(w).mul(2)).sum())(f64([[0.5, -1]]));
    expectClose(gw, [1 + 2 + 2 * (3 + 4), 1 + 2 + 2 * (3 + 4)]);
    // 2 × 40000 rows pass the 65536-row bound: the first two terms are joined before the third.
    const big = f64(Array.from({ length: 40000 }, (_, i) => [(i % 7) - 3]));
    const gb = grad((w: Tensor) => big.matmul(w).sum().add(big.matmul(w).sum()).add(x1.matmul(w).sum()))(f64([[2]]));
    expectClose(gb, [2 * -5 + 3]); // Σ(i%7 − 3) over 40000 rows: whole cycles give 0, the last two −3 − 2
  });

  it('the weight gradient of five products is one matmul', () => {
    const [x, w] = randn64(8, [5, 3, 4], [4, 2]);
    const xs = Array.from({ length: 5 }, (_, i) => x.slice(0, i, i + 1).reshape([3, 4]));
    const counts = countCalls(['matmul']);
    grad((v: Tensor) => xs.map((xi) => xi.matmul(v).square().sum()).reduce((a, b) => a.add(b)))(w);
    expect(counts).toEqual({ matmul: 5 + 1 });
  });
});

const restore: (() => void)[] = [];
afterEach(() => restore.splice(0).forEach((f) => f()));

/** Counts the current backend's calls of these primitives until the test ends. */
function countCalls(names: ('pad' | 'concat' | 'matmul')[]): Record<string, number> {
  const table = getBackend().primitives as unknown as Record<string, (...a: unknown[]) => unknown>;
  const counts: Record<string, number> = {};
  for (const name of names) {
    const original = table[name];
    counts[name] = 0;
    table[name] = (...a: unknown[]) => {
      counts[name]++;
      return original(...a);
    };
    restore.push(() => (table[name] = original));
  }
  return counts;
}
