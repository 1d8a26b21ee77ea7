import type { Generator, Tensor } from '@plexus/tensor';
import {
  ArgumentError, DTypeError, ShapeError, arange, bernoulli, fmtShape, isFloating, isTensor, where, zeros,
} from '@plexus/tensor';
import { constant_, xavierUniform_ } from '../init.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { Linear } from './linear.js';
import type { FactoryOptions } from './options.js';
import { checkBool, checkPositiveInt, floatDType } from './options.js';

// ---------------------------------------------------------------------------------------------
// Masks
// ---------------------------------------------------------------------------------------------

/**
 * A causal mask for `size` positions, additive as PyTorch's
 * `nn.Transformer.generate_square_subsequent_mask`: 0 on and below the diagonal, −∞ above.
 */
export function generateSquareSubsequentMask(size: number, options: FactoryOptions = {}): Tensor {
  checkPositiveInt('generateSquareSubsequentMask', 'size', size);
  const dtype = floatDType('generateSquareSubsequentMask', options.dtype);
  return where(causalBlocked(size, size), -Infinity, zeros([size, size], { dtype }));
}

/** bool [L, S]: true where key j lies after query i (j > i), PyTorch's top-left aligned causal mask. */
function causalBlocked(L: number, S: number, like?: Tensor): Tensor {
  const backend = like?.backend;
  const rows = arange(L, undefined, 1, { dtype: 'int32', backend }).reshape([L, 1]);
  const cols = arange(S, undefined, 1, { dtype: 'int32', backend }).reshape([1, S]);
  return cols.gt(rows);
}

/** True when `from` broadcasts to exactly `to` (numpy rules, without growing `to`). */
function broadcastsTo(from: readonly number[], to: readonly number[]): boolean {
  if (from.length > to.length) return false;
  const off = to.length - from.length;
  return from.every((d, i) => d === 1 || d === to[off + i]);
}

/**
 * Masks split by kind: `blocked` (bool, true = no attention) and `bias` (float, added to the
 * scores; −∞ entries block too). Either may be null.
 */
interface AttentionMasks {
  blocked: Tensor | null;
  bias: Tensor | null;
}

function addMask(op: string, name: string, masks: AttentionMasks, mask: Tensor, dtype: string): AttentionMasks {
  if (mask.dtype === 'bool') {
    return { ...masks, blocked: masks.blocked ? masks.blocked.logicalOr(mask) : mask };
  }
  if (!isFloating(mask.dtype)) {
    throw new DTypeError(`${op}: ${name} must be bool (true = masked out) or a float additive mask, got ${mask.dtype}`);
  }
  const m = mask.dtype === dtype ? mask : mask.cast(dtype === 'float64' ? 'float64' : 'float32');
  return { ...masks, bias: masks.bias ? masks.bias.add(m) : m };
}

// ---------------------------------------------------------------------------------------------
// Scaled dot-product attention
// ---------------------------------------------------------------------------------------------

export interface ScaledDotProductAttentionOptions {
  /**
   * Broadcastable to the scores [..., L, S]. bool: **true = masked out** (no attention; note that
   * PyTorch's F.scaled_dot_product_attention uses the opposite convention, nn.MultiheadAttention
   * this one), or float: added to the scores (−∞ masks out).
   */
  attnMask?: Tensor | null;
  /** Masks key j for query i when j > i (top-left aligned when L ≠ S, as PyTorch). Combines with attnMask. */
  isCausal?: boolean;
  /** Dropout probability on the attention weights (default 0; applied whenever > 0, as PyTorch). */
  dropoutP?: number;
  /** Multiplies q·kᵀ (default 1/√E, E = the last dim of q). */
  scale?: number | null;
  /** Where the dropout mask comes from (default: the default generator). */
  generator?: Generator;
}

/**
 * softmax(q·kᵀ·scale + mask)·v over the last two dims, with any leading (batch, head) dims
 * broadcast: q [..., L, E], k [..., S, E], v [..., S, Ev] give `[out [..., L, Ev], weights [..., L, S]]`.
 *
 * Masked positions get exactly zero weight. A query whose keys are ALL masked gets all-zero
 * weights and a zero output (PyTorch gives NaN there), and no NaN reaches the gradients; this
 * keeps padded batches finite. The returned weights are those before dropout.
 */
export function scaledDotProductAttention(q: Tensor, k: Tensor, v: Tensor, options: ScaledDotProductAttentionOptions = {}): [Tensor, Tensor] {
  const op = 'scaledDotProductAttention';
  const named: [string, unknown][] = [['query', q], ['key', k], ['value', v]];
  for (const [name, t] of named) {
    if (!isTensor(t)) throw new ArgumentError(`${op}: ${name} must be a Tensor, got ${t === null ? 'null' : typeof t}`);
    if (t.rank < 2) throw new ShapeError(`${op}: ${name} must have at least 2 dims [..., seq, features], got ${fmtShape(t.shape)}`);
    if (!isFloating(t.dtype)) throw new DTypeError(`${op}: ${name} must be float32 or float64, got ${t.dtype}`);
  }
  if (k.dtype !== q.dtype || v.dtype !== q.dtype) throw new DTypeError(`${op}: query, key and value must share a dtype, got ${q.dtype}, ${k.dtype}, ${v.dtype}`);
  const E = q.shape[q.rank - 1];
  const L = q.shape[q.rank - 2];
  const S = k.shape[k.rank - 2];
  if (k.shape[k.rank - 1] !== E) {
    throw new ShapeError(`${op}: query and key need the same last dim, got query ${fmtShape(q.shape)} and key ${fmtShape(k.shape)}`);
  }
  if (v.shape[v.rank - 2] !== S) {
    throw new ShapeError(`${op}: key and value need the same sequence length (dim -2), got key ${fmtShape(k.shape)} and value ${fmtShape(v.shape)}`);
  }
  const batch = broadcastBatch(op, [q, k, v]);
  const { attnMask = null, isCausal = false, dropoutP = 0, scale = null, generator } = options;
  checkBool(op, 'isCausal', isCausal);
  if (typeof dropoutP !== 'number' || !(dropoutP >= 0 && dropoutP <= 1)) throw new ArgumentError(`${op}: dropoutP must be a probability in [0, 1], got ${String(dropoutP)}`);
  if (scale !== null && (typeof scale !== 'number' || !Number.isFinite(scale))) throw new ArgumentError(`${op}: scale must be a finite number, got ${String(scale)}`);
  const scoresShape = [...batch, L, S];
  let masks: AttentionMasks = { blocked: null, bias: null };
  if (attnMask !== null) {
    if (!isTensor(attnMask)) throw new ArgumentError(`${op}: attnMask must be a Tensor, got ${typeof attnMask}`);
    if (!broadcastsTo(attnMask.shape, scoresShape)) {
      throw new ShapeError(`${op}: attnMask ${fmtShape(attnMask.shape)} does not broadcast to the attention scores ${fmtShape(scoresShape)} ([..., L, S])`);
    }
    masks = addMask(op, 'attnMask', masks, attnMask, q.dtype);
  }
  if (isCausal) masks = addMask(op, 'isCausal', masks, causalBlocked(L, S, q), q.dtype);
  return attend(q, k, v, scale ?? 1 / Math.sqrt(E), masks, dropoutP, generator);
}

function broadcastBatch(op: string, ts: Tensor[]): number[] {
  const batches = ts.map((t) => t.shape.slice(0, -2));
  const rank = Math.max(...batches.map((b) => b.length));
  const out = new Array<number>(rank).fill(1);
  for (const b of batches) {
    b.forEach((d, i) => {
      const o = rank - b.length + i;
      if (out[o] === 1) out[o] = d;
      else if (d !== 1 && d !== out[o]) {
        throw new ShapeError(`${op}: the batch dims of query ${fmtShape(ts[0].shape)}, key ${fmtShape(ts[1].shape)} and value ${fmtShape(ts[2].shape)} do not broadcast`);
      }
    });
  }
  return out;
}

/**
 * Softmax over the last dim that gives exactly zero to −∞ scores and an all-zero row (not NaN)
 * where every score is −∞. Fully masked rows are replaced by zeros before the softmax so that
 * neither the values nor the gradients see 0/0.
 */
function maskedSoftmax(scores: Tensor): Tensor {
  const empty = scores.max(-1, true).detach().eq(-Infinity);
  return where(empty, 0, where(empty, 0, scores).softmax(-1));
}

/** The attention itself, on validated inputs (shared by scaledDotProductAttention and MultiheadAttention). */
function attend(q: Tensor, k: Tensor, v: Tensor, scale: number, masks: AttentionMasks, dropoutP: number, generator: Generator | undefined): [Tensor, Tensor] {
  let scores = q.matmul(k.transpose(-2, -1)).mul(scale);
  if (masks.bias) scores = scores.add(masks.bias);
  if (masks.blocked) scores = where(masks.blocked, -Infinity, scores);
  const weights = masks.bias || masks.blocked ? maskedSoftmax(scores) : scores.softmax(-1);
  let used = weights;
  if (dropoutP === 1) used = weights.mul(0);
  else if (dropoutP > 0) {
    const keep = bernoulli(1 - dropoutP, weights.shape, { dtype: weights.dtype, backend: weights.backend, generator });
    used = weights.mul(keep.mul(1 / (1 - dropoutP)));
  }
  return [used.matmul(v), weights];
}

// ---------------------------------------------------------------------------------------------
// Multi-head attention
// ---------------------------------------------------------------------------------------------

export interface MultiheadAttentionOptions extends FactoryOptions {
  /** Dropout on the attention weights in training mode (default 0). */
  dropout?: number;
  /** Biases on the input and output projections (default true). */
  bias?: boolean;
  /** Inputs and output are [N, L, E] (true) or [L, N, E] (false, the default, as PyTorch). */
  batchFirst?: boolean;
  /** Features of the key (default embedDim). */
  kdim?: number;
  /** Features of the value (default embedDim). */
  vdim?: number;
  /** Source of the attention-dropout masks (default: the default generator). */
  generator?: Generator;
}

export interface MultiheadAttentionForwardOptions {
  /** [N, S] (or [S] unbatched): bool true = padding (ignored), or a float additive mask. */
  keyPaddingMask?: Tensor | null;
  /** [L, S] or [N·numHeads, L, S] (or [numHeads, L, S] unbatched): bool true = masked out, or float additive. */
  attnMask?: Tensor | null;
  /** Return the attention weights (default true, as PyTorch). */
  needWeights?: boolean;
  /** Average the weights over heads: [N, L, S] (default true), else per head [N, numHeads, L, S]. */
  averageAttnWeights?: boolean;
  /** Adds a causal mask (key j > query i masked), combined with attnMask. */
  isCausal?: boolean;
}

/**
 * Multi-head attention (torch.nn.MultiheadAttention) with PyTorch's parameters and layout: when
 * kdim = vdim = embedDim the query, key and value projections are packed in `inProjWeight`
 * [3E, E] (rows q, k, v; xavier-uniform), otherwise `qProjWeight` [E, E], `kProjWeight`
 * [E, kdim], `vProjWeight` [E, vdim]; `inProjBias` [3E] (zeros) and `outProj` (a Linear whose
 * bias starts at zero). So a PyTorch state dict maps name for name (in_proj_weight → inProjWeight).
 *
 * forward(query [L, N, E], key [S, N, kdim], value [S, N, vdim]) gives [output [L, N, E],
 * weights [N, L, S] or null]; with batchFirst the batch comes first; rank-2 inputs are unbatched.
 */
export class MultiheadAttention extends Module {
  readonly embedDim: number;
  readonly numHeads: number;
  readonly headDim: number;
  readonly kdim: number;
  readonly vdim: number;
  readonly dropout: number;
  readonly batchFirst: boolean;
  readonly generator: Generator | undefined;
  inProjWeight: Parameter | null;
  qProjWeight: Parameter | null;
  kProjWeight: Parameter | null;
  vProjWeight: Parameter | null;
  inProjBias: Parameter | null;
  outProj: Linear;

  constructor(embedDim: number, numHeads: number, options: MultiheadAttentionOptions = {}) {
    super();
    const name = 'MultiheadAttention';
    checkPositiveInt(name, 'embedDim', embedDim);
    checkPositiveInt(name, 'numHeads', numHeads);
    if (embedDim % numHeads !== 0) throw new ArgumentError(`${name}: embedDim (${embedDim}) must be divisible by numHeads (${numHeads})`);
    const { dropout = 0, bias = true, batchFirst = false, kdim = embedDim, vdim = embedDim } = options;
    if (typeof dropout !== 'number' || !(dropout >= 0 && dropout <= 1)) throw new ArgumentError(`${name}: dropout must be a probability in [0, 1], got ${String(dropout)}`);
    checkBool(name, 'bias', bias);
    checkBool(name, 'batchFirst', batchFirst);
    checkPositiveInt(name, 'kdim', kdim);
    checkPositiveInt(name, 'vdim', vdim);
    const dtype = floatDType(name, options.dtype);
    this.embedDim = embedDim;
    this.numHeads = numHeads;
    this.headDim = embedDim / numHeads;
    this.kdim = kdim;
    this.vdim = vdim;
    this.dropout = dropout;
    this.batchFirst = batchFirst;
    this.generator = options.generator;
    const packed = kdim === embedDim && vdim === embedDim;
    this.inProjWeight = packed ? new Parameter(zeros([3 * embedDim, embedDim], { dtype })) : null;
    this.qProjWeight = packed ? null : new Parameter(zeros([embedDim, embedDim], { dtype }));
    this.kProjWeight = packed ? null : new Parameter(zeros([embedDim, kdim], { dtype }));
    this.vProjWeight = packed ? null : new Parameter(zeros([embedDim, vdim], { dtype }));
    this.inProjBias = bias ? new Parameter(zeros([3 * embedDim], { dtype })) : null;
    this.outProj = new Linear(embedDim, embedDim, { bias, dtype });
    this.resetParameters();
  }

  /** PyTorch's _reset_parameters: xavier-uniform projections, zero biases (outProj.weight keeps Linear's init). */
  resetParameters(): void {
    if (this.inProjWeight) xavierUniform_(this.inProjWeight);
    else for (const w of [this.qProjWeight, this.kProjWeight, this.vProjWeight]) xavierUniform_(w as Parameter);
    if (this.inProjBias) constant_(this.inProjBias, 0);
    if (this.outProj.bias) constant_(this.outProj.bias, 0);
  }

  /** The query, key and value projection weights ([E, E], [E, kdim], [E, vdim]). */
  private projWeights(): [Tensor, Tensor, Tensor] {
    if (this.inProjWeight) {
      const E = this.embedDim;
      const w = this.inProjWeight;
      return [w.narrow(0, 0, E), w.narrow(0, E, E), w.narrow(0, 2 * E, E)];
    }
    return [this.qProjWeight as Tensor, this.kProjWeight as Tensor, this.vProjWeight as Tensor];
  }

  private projBiases(): [Tensor | null, Tensor | null, Tensor | null] {
    const b = this.inProjBias;
    if (!b) return [null, null, null];
    const E = this.embedDim;
    return [b.narrow(0, 0, E), b.narrow(0, E, E), b.narrow(0, 2 * E, E)];
  }

  forward(query: Tensor, key: Tensor, value: Tensor, options: MultiheadAttentionForwardOptions = {}): [Tensor, Tensor | null] {
    const name = 'MultiheadAttention';
    const { keyPaddingMask = null, attnMask = null, needWeights = true, averageAttnWeights = true, isCausal = false } = options;
    checkBool(name, 'needWeights', needWeights);
    checkBool(name, 'averageAttnWeights', averageAttnWeights);
    checkBool(name, 'isCausal', isCausal);
    const named: [string, unknown][] = [['query', query], ['key', key], ['value', value]];
    for (const [n, t] of named) {
      if (!isTensor(t)) throw new ArgumentError(`${name}: ${n} must be a Tensor, got ${t === null ? 'null' : typeof t}`);
      if (t.rank !== 2 && t.rank !== 3) {
        throw new ShapeError(`${name}: expected ${n} of rank 3 (${this.batchFirst ? '[N, L, E]' : '[L, N, E]'}) or 2 (unbatched [L, E]), got ${fmtShape(t.shape)}`);
      }
      if (!isFloating(t.dtype)) throw new DTypeError(`${name}: ${n} must be float32 or float64, got ${t.dtype}`);
    }
    if (key.rank !== query.rank || value.rank !== query.rank) {
      throw new ShapeError(`${name}: query, key and value must all be batched (rank 3) or all unbatched (rank 2), got ${fmtShape(query.shape)}, ${fmtShape(key.shape)}, ${fmtShape(value.shape)}`);
    }
    const batched = query.rank === 3;
    // Work in [N, seq, features].
    const toBatchFirst = (t: Tensor): Tensor => (!batched ? t.unsqueeze(0) : this.batchFirst ? t : t.transpose(0, 1));
    const q0 = toBatchFirst(query);
    const k0 = toBatchFirst(key);
    const v0 = toBatchFirst(value);
    const [N, L, E] = q0.shape;
    const S = k0.shape[1];
    const layout = batched ? (this.batchFirst ? '[N, L, E]' : '[L, N, E]') : '[L, E]';
    if (E !== this.embedDim) throw new ShapeError(`${name}: expected query ${layout} with E = ${this.embedDim}, got ${fmtShape(query.shape)}`);
    if (k0.shape[2] !== this.kdim) throw new ShapeError(`${name}: expected key with last dim kdim = ${this.kdim}, got ${fmtShape(key.shape)}`);
    if (v0.shape[2] !== this.vdim) throw new ShapeError(`${name}: expected value with last dim vdim = ${this.vdim}, got ${fmtShape(value.shape)}`);
    if (k0.shape[0] !== N || v0.shape[0] !== N) {
      throw new ShapeError(`${name}: query, key and value must have the same batch size, got ${fmtShape(query.shape)}, ${fmtShape(key.shape)}, ${fmtShape(value.shape)}`);
    }
    if (v0.shape[1] !== S) throw new ShapeError(`${name}: key and value must have the same sequence length, got ${fmtShape(key.shape)} and ${fmtShape(value.shape)}`);

    const H = this.numHeads;
    const D = this.headDim;
    let masks: AttentionMasks = { blocked: null, bias: null };
    if (keyPaddingMask !== null) {
      const want = batched ? [N, S] : [S];
      if (!isTensor(keyPaddingMask) || keyPaddingMask.rank !== want.length || keyPaddingMask.shape.some((d, i) => d !== want[i])) {
        throw new ShapeError(`${name}: expected keyPaddingMask ${fmtShape(want)} (${batched ? '[N, S]' : '[S]'}), got ${isTensor(keyPaddingMask) ? fmtShape(keyPaddingMask.shape) : typeof keyPaddingMask}`);
      }
      masks = addMask(name, 'keyPaddingMask', masks, keyPaddingMask.reshape([N, 1, 1, S]), q0.dtype);
    }
    if (attnMask !== null) {
      const threeD = batched ? [N * H, L, S] : [H, L, S];
      const ok = isTensor(attnMask) && ((attnMask.rank === 2 && attnMask.shape[0] === L && attnMask.shape[1] === S)
        || (attnMask.rank === 3 && attnMask.shape.every((d, i) => d === threeD[i])));
      if (!ok) {
        throw new ShapeError(`${name}: expected attnMask [L, S] = ${fmtShape([L, S])} or ${batched ? '[N·numHeads, L, S]' : '[numHeads, L, S]'} = ${fmtShape(threeD)}, got ${isTensor(attnMask) ? fmtShape(attnMask.shape) : typeof attnMask}`);
      }
      masks = addMask(name, 'attnMask', masks, attnMask.rank === 3 ? attnMask.reshape([N, H, L, S]) : attnMask, q0.dtype);
    }
    if (isCausal) masks = addMask(name, 'isCausal', masks, causalBlocked(L, S, q0), q0.dtype);

    const [wq, wk, wv] = this.projWeights();
    const [bq, bk, bv] = this.projBiases();
    const project = (x: Tensor, w: Tensor, b: Tensor | null, len: number): Tensor => {
      const y = x.matmul(w.t());
      // [N, len, E] → [N, H, len, D]
      return (b ? y.add(b) : y).reshape([N, len, H, D]).permute([0, 2, 1, 3]);
    };
    const q = project(q0, wq, bq, L);
    const k = project(k0, wk, bk, S);
    const v = project(v0, wv, bv, S);
    const p = this.training ? this.dropout : 0;
    const [heads, weights] = attend(q, k, v, 1 / Math.sqrt(D), masks, p, this.generator);
    let out = this.outProj.forward(heads.permute([0, 2, 1, 3]).reshape([N, L, E]));
    out = !batched ? out.reshape([L, E]) : this.batchFirst ? out : out.transpose(0, 1);
    if (!needWeights) return [out, null];
    let w = averageAttnWeights ? weights.mean(1) : weights;
    if (!batched) w = w.squeeze(0);
    return [out, w];
  }

  override extraRepr(): string {
    const extra = this.kdim !== this.embedDim || this.vdim !== this.embedDim ? `, kdim=${this.kdim}, vdim=${this.vdim}` : '';
    return `embedDim=${this.embedDim}, numHeads=${this.numHeads}, dropout=${this.dropout}, batchFirst=${this.batchFirst}${extra}`;
  }
}
