import type { DType, Generator, Tensor } from '@plexus/tensor';
import { ArgumentError, DTypeError, ShapeError, concat, fmtShape, isTensor } from '@plexus/tensor';
import {
  Dropout, Embedding, LayerNorm, LearnedPositionalEmbedding, Linear, Module, ModuleList, normal_, scaledDotProductAttention, zeros_,
} from '@plexus/nn';
import type { LayerCache } from './kv-cache.js';
import { KVCache, causalMaskWithPast } from './kv-cache.js';
import type { GenerateOptions } from './generate.js';
import { generate } from './generate.js';

export interface GPTConfig {
  /** Number of distinct tokens. */
  vocabSize: number;
  /** Longest context the model sees (its positional table has this many rows). */
  blockSize: number;
  /** Number of transformer blocks. */
  nLayer: number;
  /** Attention heads per block; must divide nEmbd. */
  nHead: number;
  /** Width of the residual stream. */
  nEmbd: number;
  /** Dropout on embeddings, attention weights and residual branches in training mode (default 0). */
  dropout?: number;
  /** Biases in the linear layers and LayerNorms (default true). */
  bias?: boolean;
  /** Share the token embedding with the output projection (default true, as GPT-2). */
  tieWeights?: boolean;
  /** Parameter dtype (default float32). */
  dtype?: DType;
  /** Source of the dropout masks (default: the default generator). */
  generator?: Generator;
}

type Resolved = Required<Omit<GPTConfig, 'dtype' | 'generator'>> & Pick<GPTConfig, 'dtype' | 'generator'>;

function resolveConfig(config: GPTConfig): Resolved {
  if (config === null || typeof config !== 'object') throw new ArgumentError('GPT: expected a config { vocabSize, blockSize, nLayer, nHead, nEmbd, … }');
  const c = { dropout: 0, bias: true, tieWeights: true, ...config };
  for (const key of ['vocabSize', 'blockSize', 'nLayer', 'nHead', 'nEmbd'] as const) {
    if (!Number.isInteger(c[key]) || c[key] < 1) throw new ArgumentError(`GPT: ${key} must be a positive integer, got ${String(c[key])}`);
  }
  if (c.nEmbd % c.nHead !== 0) throw new ArgumentError(`GPT: nEmbd (${c.nEmbd}) must be divisible by nHead (${c.nHead})`);
  if (typeof c.dropout !== 'number' || !(c.dropout >= 0 && c.dropout < 1)) throw new ArgumentError(`GPT: dropout must be in [0, 1), got ${String(c.dropout)}`);
  for (const key of ['bias', 'tieWeights'] as const) {
    if (typeof c[key] !== 'boolean') throw new ArgumentError(`GPT: ${key} must be a boolean, got ${String(c[key])}`);
  }
  return c;
}

/**
 * Multi-head causal self-attention with the query, key and value projections in one Linear
 * (`cAttn`, [3C, C], nanoGPT's layout) and the output projection `cProj`.
 */
export class CausalSelfAttention extends Module {
  readonly nHead: number;
  readonly nEmbd: number;
  readonly dropoutP: number;
  readonly generator: Generator | undefined;
  cAttn: Linear;
  cProj: Linear;
  residDropout: Dropout;

  constructor(nEmbd: number, nHead: number, options: { dropout?: number; bias?: boolean; dtype?: DType; generator?: Generator } = {}) {
    super();
    if (!Number.isInteger(nEmbd) || !Number.isInteger(nHead) || nHead < 1 || nEmbd % nHead !== 0) {
      throw new ArgumentError(`CausalSelfAttention: nEmbd (${nEmbd}) must be divisible by nHead (${nHead})`);
    }
    const { dropout = 0, bias = true, dtype, generator } = options;
    this.nHead = nHead;
    this.nEmbd = nEmbd;
    this.dropoutP = dropout;
    this.generator = generator;
    this.cAttn = new Linear(nEmbd, 3 * nEmbd, { bias, dtype });
    this.cProj = new Linear(nEmbd, nEmbd, { bias, dtype });
    this.residDropout = new Dropout(dropout, { generator });
  }

  /**
   * x [B, T, C] → [B, T, C]. With `past` (this layer's cache), the new keys and values are
   * appended to it and the queries attend to every cached position too; returns the new cache.
   */
  forwardWithCache(x: Tensor, past: LayerCache | null): [Tensor, LayerCache] {
    const [B, T, C] = x.shape;
    const H = this.nHead;
    const D = C / H;
    const heads = (t: Tensor): Tensor => t.reshape([B, T, H, D]).permute([0, 2, 1, 3]);
    const [q, k0, v0] = this.cAttn.forward(x).split(C, 2).map(heads);
    const k = past ? concat([past.k, k0], 2) : k0;
    const v = past ? concat([past.v, v0], 2) : v0;
    const P = past ? past.k.shape[2] : 0;
    const attnMask = P === 0 ? null : causalMaskWithPast(T, P, x);
    const [y] = scaledDotProductAttention(q, k, v, {
      attnMask, isCausal: P === 0 && T > 1, dropoutP: this.training ? this.dropoutP : 0, generator: this.generator,
    });
    const out = this.residDropout.forward(this.cProj.forward(y.permute([0, 2, 1, 3]).reshape([B, T, C])));
    return [out, { k, v }];
  }

  forward(x: Tensor): Tensor {
    return this.forwardWithCache(x, null)[0];
  }
}

/** The position-wise feed-forward block: Linear(C, 4C) → GELU → Linear(4C, C) → dropout. */
export class MLP extends Module {
  cFc: Linear;
  cProj: Linear;
  dropout: Dropout;

  constructor(nEmbd: number, options: { dropout?: number; bias?: boolean; dtype?: DType; generator?: Generator } = {}) {
    super();
    const { dropout = 0, bias = true, dtype, generator } = options;
    this.cFc = new Linear(nEmbd, 4 * nEmbd, { bias, dtype });
    this.cProj = new Linear(4 * nEmbd, nEmbd, { bias, dtype });
    this.dropout = new Dropout(dropout, { generator });
  }

  forward(x: Tensor): Tensor {
    return this.dropout.forward(this.cProj.forward(this.cFc.forward(x).gelu()));
  }
}

/** A pre-norm transformer block: x + attn(ln1(x)), then + mlp(ln2(·)). */
export class Block extends Module {
  ln1: LayerNorm;
  attn: CausalSelfAttention;
  ln2: LayerNorm;
  mlp: MLP;

  constructor(nEmbd: number, nHead: number, options: { dropout?: number; bias?: boolean; dtype?: DType; generator?: Generator } = {}) {
    super();
    const { bias = true, dtype } = options;
    this.ln1 = new LayerNorm(nEmbd, { bias, dtype });
    this.attn = new CausalSelfAttention(nEmbd, nHead, options);
    this.ln2 = new LayerNorm(nEmbd, { bias, dtype });
    this.mlp = new MLP(nEmbd, options);
  }

  forwardWithCache(x: Tensor, past: LayerCache | null): [Tensor, LayerCache] {
    const [a, cache] = this.attn.forwardWithCache(this.ln1.forward(x), past);
    const h = x.add(a);
    return [h.add(this.mlp.forward(this.ln2.forward(h))), cache];
  }

  forward(x: Tensor): Tensor {
    return this.forwardWithCache(x, null)[0];
  }
}

export interface GPTForwardOptions {
  /** Key/value cache: the input continues the cached positions, and its keys/values are appended. */
  cache?: KVCache | null;
}

/**
 * A GPT-2-style decoder-only language model (after Karpathy's nanoGPT): token embedding `wte`,
 * learned positions `wpe`, `nLayer` pre-norm causal blocks `h`, a final LayerNorm `lnF` and the
 * output projection `lmHead` (tied to `wte` by default). Weights start from N(0, 0.02²), the
 * residual output projections from N(0, (0.02/√(2·nLayer))²), biases at zero.
 *
 * forward(idx [B, T] int32) gives logits [B, T, vocabSize], position t predicting token t + 1.
 */
export class GPT extends Module {
  readonly config: Readonly<Resolved>;
  wte: Embedding;
  wpe: LearnedPositionalEmbedding;
  drop: Dropout;
  h: ModuleList<Block>;
  lnF: LayerNorm;
  lmHead: Linear;

  constructor(config: GPTConfig) {
    super();
    const c = resolveConfig(config);
    this.config = Object.freeze(c);
    const { dtype, generator, dropout, bias } = c;
    this.wte = new Embedding(c.vocabSize, c.nEmbd, { dtype });
    this.wpe = new LearnedPositionalEmbedding(c.blockSize, c.nEmbd, { batchFirst: true, std: 0.02, dtype });
    this.drop = new Dropout(dropout, { generator });
    this.h = new ModuleList(Array.from({ length: c.nLayer }, () => new Block(c.nEmbd, c.nHead, { dropout, bias, dtype, generator })));
    this.lnF = new LayerNorm(c.nEmbd, { bias, dtype });
    this.lmHead = new Linear(c.nEmbd, c.vocabSize, { bias: false, dtype });
    this.initWeights();
    if (c.tieWeights) this.lmHead.weight = this.wte.weight;
  }

  private initWeights(): void {
    const residStd = 0.02 / Math.sqrt(2 * this.config.nLayer);
    for (const [name, m] of this.namedModules()) {
      if (m instanceof Linear) {
        normal_(m.weight, 0, name.endsWith('cProj') ? residStd : 0.02);
        if (m.bias) zeros_(m.bias);
      } else if (m instanceof Embedding) {
        normal_(m.weight, 0, 0.02);
      }
    }
  }

  /** Number of parameters, optionally without the position table (as nanoGPT reports). */
  numParams(nonEmbedding = true): number {
    return this.numParameters() - (nonEmbedding ? this.wpe.weight.size : 0);
  }

  forward(idx: Tensor, options: GPTForwardOptions = {}): Tensor {
    const { cache = null } = options;
    if (!isTensor(idx)) throw new ArgumentError(`GPT: expected idx to be an int32 Tensor [B, T], got ${idx === null ? 'null' : typeof idx}`);
    if (idx.dtype !== 'int32') throw new DTypeError(`GPT: idx must be int32 token indices, got ${idx.dtype} ${fmtShape(idx.shape)}`);
    if (idx.rank !== 2 || idx.shape[1] < 1) throw new ShapeError(`GPT: expected idx [B, T] with T >= 1, got ${fmtShape(idx.shape)}`);
    if (cache !== null && !(cache instanceof KVCache)) throw new ArgumentError('GPT: cache must be a KVCache (gpt.createCache())');
    if (cache !== null && cache.layers.length !== this.config.nLayer) {
      throw new ArgumentError(`GPT: the cache has ${cache.layers.length} layers, the model ${this.config.nLayer}`);
    }
    const T = idx.shape[1];
    const past = cache?.length ?? 0;
    if (past + T > this.config.blockSize) {
      throw new ShapeError(`GPT: ${past > 0 ? `${past} cached + ` : ''}${T} positions exceed blockSize ${this.config.blockSize} (idx ${fmtShape(idx.shape)})`);
    }
    let x = this.drop.forward(this.wpe.forward(this.wte.forward(idx), past));
    let i = 0;
    for (const block of this.h) {
      const [y, layer] = block.forwardWithCache(x, cache ? cache.layers[i] : null);
      if (cache) cache.layers[i] = layer;
      x = y;
      i++;
    }
    cache?.advance(T);
    return this.lmHead.forward(this.lnF.forward(x));
  }

  /** An empty key/value cache for this model. */
  createCache(): KVCache {
    return new KVCache(this.config.nLayer);
  }

  /**
   * Continues each row of `idx` ([B, T] or [T] int32) by `maxNewTokens` sampled tokens; see
   * `generate` for the options (temperature, topK, topP, seed, useCache).
   */
  generate(idx: Tensor, maxNewTokens: number, options: GenerateOptions = {}): Tensor {
    return generate(this, idx, maxNewTokens, options);
  }
}
