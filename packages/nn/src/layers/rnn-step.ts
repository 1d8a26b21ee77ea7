import type { Tensor } from '@plexus/tensor';
import { concat, zeros } from '@plexus/tensor';

/**
 * One time step of each recurrent cell, in PyTorch's equations and gate order, written as
 *   pre = x·Wx + h·Wh + bias,   new state = gates(pre, state)
 * where Wx, Wh and bias are PyTorch's W_ih, W_hh, b_ih, b_hh rearranged once per forward by
 * `packWeights`. The layers compute x·Wx for all steps at once (one matmul) when no gradient is
 * recorded, and [x, h, 1]·[Wx; Wh; bias] (one matmul per step) when one is.
 */

/** 'RNN_TANH' | 'RNN_RELU' | 'LSTM' | 'GRU', PyTorch's mode names. */
export type RecurrentMode = 'RNN_TANH' | 'RNN_RELU' | 'LSTM' | 'GRU';

/** Rows of W_ih per hidden unit: 1 for RNN, 4 for LSTM (i, f, g, o), 3 for GRU (r, z, n). */
export function gatesOf(mode: RecurrentMode): number {
  return mode === 'LSTM' ? 4 : mode === 'GRU' ? 3 : 1;
}

export interface PackedWeights {
  /** [inputSize, width]. */
  wx: Tensor;
  /** [hiddenSize, width]. */
  wh: Tensor;
  /** [width], or null without bias. */
  bias: Tensor | null;
}

/**
 * PyTorch's parameters as the step's Wx, Wh and bias. RNN and LSTM: W_ihᵀ, W_hhᵀ, b_ih + b_hh.
 * GRU needs W_hn·h + b_hn on its own (r multiplies it), so its pre-activation has 4 blocks,
 * [r | z | W_in x + b_in | W_hn h + b_hn]: Wx has zeros in the last block, Wh in the third.
 */
export function packWeights(mode: RecurrentMode, wIh: Tensor, wHh: Tensor, bIh: Tensor | null, bHh: Tensor | null): PackedWeights {
  if (mode !== 'GRU') return { wx: wIh.t(), wh: wHh.t(), bias: bIh && bHh ? bIh.add(bHh) : null };
  const H = wHh.shape[1];
  const like = { dtype: wIh.dtype, backend: wIh.backend };
  const wx = concat([wIh, zeros([H, wIh.shape[1]], like)], 0).t();
  const wh = concat([wHh.slice(0, 0, 2 * H), zeros([H, H], like), wHh.slice(0, 2 * H)], 0).t();
  const bias = bIh && bHh ? concat([bIh.slice(0, 0, 2 * H).add(bHh.slice(0, 0, 2 * H)), bIh.slice(0, 2 * H), bHh.slice(0, 2 * H)], 0) : null;
  return { wx, wh, bias };
}

/** Columns [k·H, (k+1)·H) of a [N, blocks·H] tensor: block k. */
function block(x: Tensor, k: number, hidden: number): Tensor {
  return x.slice(1, k * hidden, (k + 1) * hidden);
}

/** h' = act(W_ih x + b_ih + W_hh h + b_hh), act tanh or relu. */
export function rnnGates(pre: Tensor, nonlinearity: 'tanh' | 'relu'): Tensor {
  return nonlinearity === 'tanh' ? pre.tanh() : pre.relu();
}

/**
 * i = σ(·), f = σ(·), g = tanh(·), o = σ(·) from the four blocks of pre in that order;
 * c' = f ⊙ c + i ⊙ g; h' = o ⊙ tanh(c').
 */
export function lstmGates(pre: Tensor, c: Tensor): [Tensor, Tensor] {
  const hidden = c.shape[c.rank - 1];
  const i = block(pre, 0, hidden).sigmoid();
  const f = block(pre, 1, hidden).sigmoid();
  const g = block(pre, 2, hidden).tanh();
  const o = block(pre, 3, hidden).sigmoid();
  const c2 = f.mul(c).add(i.mul(g));
  return [o.mul(c2.tanh()), c2];
}

/**
 * r = σ(W_ir x + b_ir + W_hr h + b_hr), z = σ(W_iz x + b_iz + W_hz h + b_hz),
 * n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), h' = (1 − z) ⊙ n + z ⊙ h,
 * from pre = [r | z | W_in x + b_in | W_hn h + b_hn] (see packWeights).
 */
export function gruGates(pre: Tensor, h: Tensor): Tensor {
  const hidden = h.shape[h.rank - 1];
  // r and z share one sigmoid over their adjacent blocks.
  const rz = pre.slice(1, 0, 2 * hidden).sigmoid();
  const r = block(rz, 0, hidden);
  const z = block(rz, 1, hidden);
  const n = block(pre, 2, hidden).add(r.mul(block(pre, 3, hidden))).tanh();
  // (1 − z)·n + z·h written as n + z·(h − n): one op fewer.
  return n.add(z.mul(h.sub(n)));
}
