import type { Generator, Tensor } from '@plexus/tensor';
import { ArgumentError, ShapeError, fmtShape, isTensor } from '@plexus/tensor';
import { ModuleList } from '../containers.js';
import { Module } from '../module.js';
import { MultiheadAttention } from './attention.js';
import { Dropout } from './dropout.js';
import { LayerNorm } from './layernorm.js';
import { Linear } from './linear.js';
import type { FactoryOptions } from './options.js';
import { checkBool, checkPositiveInt } from './options.js';

export type TransformerActivation = 'relu' | 'gelu' | ((x: Tensor) => Tensor);

export interface TransformerLayerOptions extends FactoryOptions {
  /** Hidden size of the feed-forward block (default 2048). */
  dimFeedforward?: number;
  /** Dropout after attention, inside and after the feed-forward block, and on attention weights (default 0.1). */
  dropout?: number;
  /** Feed-forward activation (default 'relu'). */
  activation?: TransformerActivation;
  /** LayerNorm eps (default 1e-5). */
  layerNormEps?: number;
  /** Inputs are [N, L, E] (true) or [L, N, E] (false, the default, as PyTorch). */
  batchFirst?: boolean;
  /** Pre-norm (true: x + f(norm(x))) or post-norm (false, the default: norm(x + f(x))). */
  normFirst?: boolean;
  /** Biases in the linear layers and LayerNorms (default true). */
  bias?: boolean;
  /** Source of every dropout mask in the layer (default: the default generator). */
  generator?: Generator;
}

interface ResolvedLayerOptions {
  dimFeedforward: number;
  dropout: number;
  activation: TransformerActivation;
  layerNormEps: number;
  batchFirst: boolean;
  normFirst: boolean;
  bias: boolean;
}

function resolveOptions(layer: string, dModel: number, nhead: number, options: TransformerLayerOptions): ResolvedLayerOptions {
  checkPositiveInt(layer, 'dModel', dModel);
  checkPositiveInt(layer, 'nhead', nhead);
  if (dModel % nhead !== 0) throw new ArgumentError(`${layer}: dModel (${dModel}) must be divisible by nhead (${nhead})`);
  const { dimFeedforward = 2048, dropout = 0.1, activation = 'relu', layerNormEps = 1e-5, batchFirst = false, normFirst = false, bias = true } = options;
  checkPositiveInt(layer, 'dimFeedforward', dimFeedforward);
  if (typeof dropout !== 'number' || !(dropout >= 0 && dropout <= 1)) throw new ArgumentError(`${layer}: dropout must be a probability in [0, 1], got ${String(dropout)}`);
  if (activation !== 'relu' && activation !== 'gelu' && typeof activation !== 'function') {
    throw new ArgumentError(`${layer}: activation must be 'relu', 'gelu' or a function, got ${String(activation)}`);
  }
  if (typeof layerNormEps !== 'number' || !(layerNormEps >= 0)) throw new ArgumentError(`${layer}: layerNormEps must be a number >= 0, got ${String(layerNormEps)}`);
  checkBool(layer, 'batchFirst', batchFirst);
  checkBool(layer, 'normFirst', normFirst);
  checkBool(layer, 'bias', bias);
  return { dimFeedforward, dropout, activation, layerNormEps, batchFirst, normFirst, bias };
}

function activate(activation: TransformerActivation, x: Tensor): Tensor {
  if (activation === 'relu') return x.relu();
  if (activation === 'gelu') return x.gelu();
  return activation(x);
}

/** rank 3 ([L, N, E] / [N, L, E]) or 2 (unbatched [L, E]) with E = dModel. */
function checkSequence(layer: string, name: string, x: Tensor, dModel: number, batchFirst: boolean): void {
  if (!isTensor(x)) throw new ArgumentError(`${layer}: ${name} must be a Tensor, got ${x === null ? 'null' : typeof x}`);
  if ((x.rank !== 2 && x.rank !== 3) || x.shape[x.rank - 1] !== dModel) {
    throw new ShapeError(`${layer}: expected ${name} ${batchFirst ? '[N, L' : '[L, N'}, ${dModel}] or unbatched [L, ${dModel}], got ${fmtShape(x.shape)}`);
  }
}

export interface TransformerEncoderLayerForwardOptions {
  /** Self-attention mask [L, L] or [N·nhead, L, L] (bool true = masked out, or float additive). */
  srcMask?: Tensor | null;
  /** [N, L] bool, true = padding. */
  srcKeyPaddingMask?: Tensor | null;
  /** Adds a causal mask to the self-attention. */
  isCausal?: boolean;
}

/**
 * Self-attention and a feed-forward block with residual connections and LayerNorm
 * (torch.nn.TransformerEncoderLayer, same parameter names: selfAttn, linear1, linear2, norm1,
 * norm2). Post-norm by default; `normFirst: true` gives the pre-norm variant.
 */
export class TransformerEncoderLayer extends Module {
  readonly dModel: number;
  readonly nhead: number;
  readonly config: Readonly<ResolvedLayerOptions>;
  readonly factory: Readonly<TransformerLayerOptions>;
  selfAttn: MultiheadAttention;
  linear1: Linear;
  dropout: Dropout;
  linear2: Linear;
  norm1: LayerNorm;
  norm2: LayerNorm;
  dropout1: Dropout;
  dropout2: Dropout;

  constructor(dModel: number, nhead: number, options: TransformerLayerOptions = {}) {
    super();
    const c = resolveOptions('TransformerEncoderLayer', dModel, nhead, options);
    const { dtype, generator } = options;
    this.dModel = dModel;
    this.nhead = nhead;
    this.config = Object.freeze(c);
    this.factory = Object.freeze({ ...options });
    this.selfAttn = new MultiheadAttention(dModel, nhead, { dropout: c.dropout, bias: c.bias, batchFirst: c.batchFirst, dtype, generator });
    this.linear1 = new Linear(dModel, c.dimFeedforward, { bias: c.bias, dtype });
    this.dropout = new Dropout(c.dropout, { generator });
    this.linear2 = new Linear(c.dimFeedforward, dModel, { bias: c.bias, dtype });
    this.norm1 = new LayerNorm(dModel, { eps: c.layerNormEps, bias: c.bias, dtype });
    this.norm2 = new LayerNorm(dModel, { eps: c.layerNormEps, bias: c.bias, dtype });
    this.dropout1 = new Dropout(c.dropout, { generator });
    this.dropout2 = new Dropout(c.dropout, { generator });
  }

  /** A new layer with the same settings and a copy of the weights (PyTorch deep-copies the layer). */
  clone(): TransformerEncoderLayer {
    const copy = new TransformerEncoderLayer(this.dModel, this.nhead, this.factory);
    copy.loadStateDict(this.stateDict());
    return copy.train(this.training);
  }

  forward(src: Tensor, options: TransformerEncoderLayerForwardOptions = {}): Tensor {
    checkSequence('TransformerEncoderLayer', 'src', src, this.dModel, this.config.batchFirst);
    const sa = (x: Tensor): Tensor => {
      const [out] = this.selfAttn.forward(x, x, x, {
        attnMask: options.srcMask ?? null, keyPaddingMask: options.srcKeyPaddingMask ?? null, isCausal: options.isCausal ?? false, needWeights: false,
      });
      return this.dropout1.forward(out);
    };
    const ff = (x: Tensor): Tensor => this.dropout2.forward(this.linear2.forward(this.dropout.forward(activate(this.config.activation, this.linear1.forward(x)))));
    let x = src;
    if (this.config.normFirst) {
      x = x.add(sa(this.norm1.forward(x)));
      x = x.add(ff(this.norm2.forward(x)));
    } else {
      x = this.norm1.forward(x.add(sa(x)));
      x = this.norm2.forward(x.add(ff(x)));
    }
    return x;
  }

  override extraRepr(): string {
    return `dModel=${this.dModel}, nhead=${this.nhead}, normFirst=${this.config.normFirst}`;
  }
}

export interface TransformerDecoderLayerForwardOptions {
  /** Self-attention mask [T, T] or [N·nhead, T, T]. */
  tgtMask?: Tensor | null;
  /** Cross-attention mask [T, S] or [N·nhead, T, S]. */
  memoryMask?: Tensor | null;
  /** [N, T] bool, true = padding in the target. */
  tgtKeyPaddingMask?: Tensor | null;
  /** [N, S] bool, true = padding in the memory. */
  memoryKeyPaddingMask?: Tensor | null;
  /** Causal self-attention (combined with tgtMask). */
  tgtIsCausal?: boolean;
  /** Causal cross-attention (combined with memoryMask). */
  memoryIsCausal?: boolean;
}

/**
 * Self-attention, cross-attention over the encoder's output (`memory`) and a feed-forward block
 * (torch.nn.TransformerDecoderLayer: selfAttn, multiheadAttn, linear1, linear2, norm1..3).
 */
export class TransformerDecoderLayer extends Module {
  readonly dModel: number;
  readonly nhead: number;
  readonly config: Readonly<ResolvedLayerOptions>;
  readonly factory: Readonly<TransformerLayerOptions>;
  selfAttn: MultiheadAttention;
  multiheadAttn: MultiheadAttention;
  linear1: Linear;
  dropout: Dropout;
  linear2: Linear;
  norm1: LayerNorm;
  norm2: LayerNorm;
  norm3: LayerNorm;
  dropout1: Dropout;
  dropout2: Dropout;
  dropout3: Dropout;

  constructor(dModel: number, nhead: number, options: TransformerLayerOptions = {}) {
    super();
    const c = resolveOptions('TransformerDecoderLayer', dModel, nhead, options);
    const { dtype, generator } = options;
    this.dModel = dModel;
    this.nhead = nhead;
    this.config = Object.freeze(c);
    this.factory = Object.freeze({ ...options });
    const attn = { dropout: c.dropout, bias: c.bias, batchFirst: c.batchFirst, dtype, generator };
    this.selfAttn = new MultiheadAttention(dModel, nhead, attn);
    this.multiheadAttn = new MultiheadAttention(dModel, nhead, attn);
    this.linear1 = new Linear(dModel, c.dimFeedforward, { bias: c.bias, dtype });
    this.dropout = new Dropout(c.dropout, { generator });
    this.linear2 = new Linear(c.dimFeedforward, dModel, { bias: c.bias, dtype });
    this.norm1 = new LayerNorm(dModel, { eps: c.layerNormEps, bias: c.bias, dtype });
    this.norm2 = new LayerNorm(dModel, { eps: c.layerNormEps, bias: c.bias, dtype });
    this.norm3 = new LayerNorm(dModel, { eps: c.layerNormEps, bias: c.bias, dtype });
    this.dropout1 = new Dropout(c.dropout, { generator });
    this.dropout2 = new Dropout(c.dropout, { generator });
    this.dropout3 = new Dropout(c.dropout, { generator });
  }

  clone(): TransformerDecoderLayer {
    const copy = new TransformerDecoderLayer(this.dModel, this.nhead, this.factory);
    copy.loadStateDict(this.stateDict());
    return copy.train(this.training);
  }

  forward(tgt: Tensor, memory: Tensor, options: TransformerDecoderLayerForwardOptions = {}): Tensor {
    const name = 'TransformerDecoderLayer';
    checkSequence(name, 'tgt', tgt, this.dModel, this.config.batchFirst);
    checkSequence(name, 'memory', memory, this.dModel, this.config.batchFirst);
    if (memory.rank !== tgt.rank) throw new ShapeError(`${name}: tgt and memory must both be batched or both unbatched, got ${fmtShape(tgt.shape)} and ${fmtShape(memory.shape)}`);
    const sa = (x: Tensor): Tensor => {
      const [out] = this.selfAttn.forward(x, x, x, {
        attnMask: options.tgtMask ?? null, keyPaddingMask: options.tgtKeyPaddingMask ?? null, isCausal: options.tgtIsCausal ?? false, needWeights: false,
      });
      return this.dropout1.forward(out);
    };
    const mha = (x: Tensor): Tensor => {
      const [out] = this.multiheadAttn.forward(x, memory, memory, {
        attnMask: options.memoryMask ?? null, keyPaddingMask: options.memoryKeyPaddingMask ?? null, isCausal: options.memoryIsCausal ?? false, needWeights: false,
      });
      return this.dropout2.forward(out);
    };
    const ff = (x: Tensor): Tensor => this.dropout3.forward(this.linear2.forward(this.dropout.forward(activate(this.config.activation, this.linear1.forward(x)))));
    let x = tgt;
    if (this.config.normFirst) {
      x = x.add(sa(this.norm1.forward(x)));
      x = x.add(mha(this.norm2.forward(x)));
      x = x.add(ff(this.norm3.forward(x)));
    } else {
      x = this.norm1.forward(x.add(sa(x)));
      x = this.norm2.forward(x.add(mha(x)));
      x = this.norm3.forward(x.add(ff(x)));
    }
    return x;
  }

  override extraRepr(): string {
    return `dModel=${this.dModel}, nhead=${this.nhead}, normFirst=${this.config.normFirst}`;
  }
}

export interface TransformerStackOptions {
  /** A final normalisation applied after the last layer (e.g. a LayerNorm for pre-norm stacks). */
  norm?: Module & { forward(x: Tensor): Tensor } | null;
}

/**
 * `numLayers` layers from a factory `(i) => layer` (each freshly initialised) or from one layer
 * (cloned, so all start equal, as PyTorch's deepcopy).
 */
function buildLayers<L extends Module & { clone(): L }>(stack: string, kind: abstract new (...args: never[]) => L, layer: L | ((i: number) => L), numLayers: number): L[] {
  checkPositiveInt(stack, 'numLayers', numLayers);
  const layers: L[] = [];
  for (let i = 0; i < numLayers; i++) {
    const l = typeof layer === 'function' ? layer(i) : i === 0 ? layer : layer.clone();
    if (!(l instanceof kind)) {
      throw new ArgumentError(`${stack}: layer ${i} must be a ${kind.name}, got ${l === null ? 'null' : typeof l === 'object' ? (l as object).constructor.name : typeof l}`);
    }
    layers.push(l);
  }
  return layers;
}

function checkNorm(stack: string, norm: unknown): void {
  if (norm !== null && norm !== undefined && !(norm instanceof Module)) throw new ArgumentError(`${stack}: norm must be a Module or null, got ${typeof norm}`);
}

/** A stack of TransformerEncoderLayers (torch.nn.TransformerEncoder): children `layers.0..` and `norm`. */
export class TransformerEncoder extends Module {
  readonly numLayers: number;
  layers: ModuleList<TransformerEncoderLayer>;
  norm: (Module & { forward(x: Tensor): Tensor }) | null;

  constructor(encoderLayer: TransformerEncoderLayer | ((i: number) => TransformerEncoderLayer), numLayers: number, options: TransformerStackOptions = {}) {
    super();
    this.layers = new ModuleList(buildLayers('TransformerEncoder', TransformerEncoderLayer, encoderLayer, numLayers));
    this.numLayers = numLayers;
    checkNorm('TransformerEncoder', options.norm);
    this.norm = options.norm ?? null;
  }

  forward(src: Tensor, options: { mask?: Tensor | null; srcKeyPaddingMask?: Tensor | null; isCausal?: boolean } = {}): Tensor {
    let x = src;
    for (const layer of this.layers) x = layer.forward(x, { srcMask: options.mask, srcKeyPaddingMask: options.srcKeyPaddingMask, isCausal: options.isCausal });
    return this.norm ? this.norm.forward(x) : x;
  }
}

/** A stack of TransformerDecoderLayers (torch.nn.TransformerDecoder). */
export class TransformerDecoder extends Module {
  readonly numLayers: number;
  layers: ModuleList<TransformerDecoderLayer>;
  norm: (Module & { forward(x: Tensor): Tensor }) | null;

  constructor(decoderLayer: TransformerDecoderLayer | ((i: number) => TransformerDecoderLayer), numLayers: number, options: TransformerStackOptions = {}) {
    super();
    this.layers = new ModuleList(buildLayers('TransformerDecoder', TransformerDecoderLayer, decoderLayer, numLayers));
    this.numLayers = numLayers;
    checkNorm('TransformerDecoder', options.norm);
    this.norm = options.norm ?? null;
  }

  forward(tgt: Tensor, memory: Tensor, options: TransformerDecoderLayerForwardOptions = {}): Tensor {
    let x = tgt;
    for (const layer of this.layers) x = layer.forward(x, memory, options);
    return this.norm ? this.norm.forward(x) : x;
  }
}
