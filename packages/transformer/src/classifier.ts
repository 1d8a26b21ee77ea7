import type { DType, Tensor } from '@plexus/tensor';
import { ArgumentError, DTypeError, ShapeError, arange, concat, fmtShape, isFloating, isTensor, noGrad, where, zeros } from '@plexus/tensor';
import {
  Embedding, LayerNorm, LearnedPositionalEmbedding, Linear, Module, Parameter, SinusoidalPositionalEncoding, TransformerEncoder,
  TransformerEncoderLayer, normal_,
} from '@plexus/nn';
import type { TransformerActivation } from '@plexus/nn';

export type Pooling = 'mean' | 'max' | 'cls' | 'none';

export interface TransformerClassifierConfig {
  /** Number of output classes. */
  numClasses: number;
  /** Token inputs: int32 [N, L] with ids in [0, vocabSize). Give this or inputDim. */
  vocabSize?: number;
  /** Feature inputs: float [N, L, inputDim], projected to dModel by a Linear. */
  inputDim?: number;
  dModel: number;
  nhead: number;
  numLayers: number;
  /** Feed-forward width (default 4·dModel). */
  dimFeedforward?: number;
  /** Dropout inside the encoder (default 0.1). */
  dropout?: number;
  /** Feed-forward activation (default 'gelu'). */
  activation?: TransformerActivation;
  /** Pre-norm layers with a final LayerNorm (default true; trains more easily than post-norm). */
  normFirst?: boolean;
  /** Longest sequence (default 512). */
  maxLen?: number;
  /** Positions: learned vectors (default), fixed sinusoids, or none (a bag of tokens). */
  positional?: 'learned' | 'sinusoidal' | 'none';
  /**
   * How a sequence becomes one prediction: mean or max over positions, a learned [CLS] vector
   * prepended to the sequence, or 'none' for one prediction per position (a tagger) giving
   * [N, L, numClasses]. Default 'mean'.
   */
  pooling?: Pooling;
  /** Token id treated as padding: masked out of attention and pooling (token inputs only). */
  paddingIdx?: number | null;
  dtype?: DType;
}

export interface TransformerClassifierForwardOptions {
  /** [N, L] bool, true = padding (default: derived from paddingIdx for token inputs). */
  keyPaddingMask?: Tensor | null;
}

const POOLINGS: readonly Pooling[] = ['mean', 'max', 'cls', 'none'];

/**
 * A transformer encoder with an input embedding, positions, pooling and a linear head: sequence
 * classification (pooling 'mean', 'max', 'cls') or per-position classification ('none'). Batch
 * first: tokens [N, L] (or features [N, L, inputDim]) → logits [N, numClasses] (or [N, L, numClasses]).
 */
export class TransformerClassifier extends Module {
  readonly numClasses: number;
  readonly dModel: number;
  readonly pooling: Pooling;
  readonly maxLen: number;
  readonly paddingIdx: number | null;
  embed: Embedding | null;
  inputProj: Linear | null;
  pos: LearnedPositionalEmbedding | SinusoidalPositionalEncoding | null;
  clsToken: Parameter | null;
  encoder: TransformerEncoder;
  head: Linear;

  constructor(config: TransformerClassifierConfig) {
    super();
    const name = 'TransformerClassifier';
    if (config === null || typeof config !== 'object') throw new ArgumentError(`${name}: expected a config object`);
    const {
      numClasses, vocabSize, inputDim, dModel, nhead, numLayers, dropout = 0.1, activation = 'gelu', normFirst = true,
      maxLen = 512, positional = 'learned', pooling = 'mean', paddingIdx = null, dtype,
    } = config;
    const dimFeedforward = config.dimFeedforward ?? 4 * dModel;
    for (const [key, v] of Object.entries({ numClasses, dModel, nhead, numLayers, maxLen })) {
      if (!Number.isInteger(v) || v < 1) throw new ArgumentError(`${name}: ${key} must be a positive integer, got ${String(v)}`);
    }
    if ((vocabSize === undefined) === (inputDim === undefined)) throw new ArgumentError(`${name}: give exactly one of vocabSize (token inputs) and inputDim (feature inputs)`);
    for (const [key, v] of Object.entries({ vocabSize, inputDim })) {
      if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw new ArgumentError(`${name}: ${key} must be a positive integer, got ${String(v)}`);
    }
    if (!POOLINGS.includes(pooling)) throw new ArgumentError(`${name}: pooling must be one of ${POOLINGS.join(', ')}, got '${String(pooling)}'`);
    if (!['learned', 'sinusoidal', 'none'].includes(positional)) throw new ArgumentError(`${name}: positional must be 'learned', 'sinusoidal' or 'none', got '${String(positional)}'`);
    if (paddingIdx !== null && (vocabSize === undefined || !Number.isInteger(paddingIdx) || paddingIdx < 0 || paddingIdx >= vocabSize)) {
      throw new ArgumentError(`${name}: paddingIdx must be a token id in [0, vocabSize) and needs token inputs, got ${String(paddingIdx)}`);
    }
    this.numClasses = numClasses;
    this.dModel = dModel;
    this.pooling = pooling;
    this.maxLen = maxLen;
    this.paddingIdx = paddingIdx;
    this.embed = vocabSize !== undefined ? new Embedding(vocabSize, dModel, { paddingIdx, dtype }) : null;
    this.inputProj = inputDim !== undefined ? new Linear(inputDim, dModel, { dtype }) : null;
    if (this.embed) {
      const w = this.embed.weight;
      normal_(w, 0, 0.02);
      // Keep the padding row at zero, as Embedding's own initialisation does.
      if (paddingIdx !== null) noGrad(() => w.assign(where(arange(w.shape[0], undefined, 1, { backend: w.backend }).reshape([w.shape[0], 1]).eq(paddingIdx), 0, w)));
    }
    // The [CLS] vector takes position 0, so the table needs one more row.
    const positions = maxLen + (pooling === 'cls' ? 1 : 0);
    this.pos = positional === 'learned'
      ? new LearnedPositionalEmbedding(positions, dModel, { batchFirst: true, std: 0.02, dtype })
      : positional === 'sinusoidal' ? new SinusoidalPositionalEncoding(dModel, positions, { batchFirst: true, dtype }) : null;
    this.clsToken = pooling === 'cls' ? new Parameter(zeros([dModel], { dtype })) : null;
    if (this.clsToken) normal_(this.clsToken, 0, 0.02);
    const layerOptions = { dimFeedforward, dropout, activation, normFirst, batchFirst: true, dtype };
    this.encoder = new TransformerEncoder(() => new TransformerEncoderLayer(dModel, nhead, layerOptions), numLayers, {
      norm: normFirst ? new LayerNorm(dModel, { dtype }) : null,
    });
    this.head = new Linear(dModel, numClasses, { dtype });
  }

  forward(x: Tensor, options: TransformerClassifierForwardOptions = {}): Tensor {
    const name = 'TransformerClassifier';
    if (!isTensor(x)) throw new ArgumentError(`${name}: expected a Tensor, got ${x === null ? 'null' : typeof x}`);
    let h: Tensor;
    if (this.embed) {
      if (x.dtype !== 'int32') throw new DTypeError(`${name}: expected int32 tokens [N, L], got ${x.dtype} ${fmtShape(x.shape)}`);
      if (x.rank !== 2) throw new ShapeError(`${name}: expected tokens [N, L], got ${fmtShape(x.shape)}`);
      h = this.embed.forward(x);
    } else {
      const proj = this.inputProj as Linear;
      if (!isFloating(x.dtype)) throw new DTypeError(`${name}: expected float features [N, L, ${proj.inFeatures}], got ${x.dtype}`);
      if (x.rank !== 3 || x.shape[2] !== proj.inFeatures) throw new ShapeError(`${name}: expected features [N, L, ${proj.inFeatures}], got ${fmtShape(x.shape)}`);
      h = proj.forward(x);
    }
    const [N, L] = x.shape;
    if (L < 1 || L > this.maxLen) throw new ShapeError(`${name}: sequence length must be in [1, ${this.maxLen}] (maxLen), got ${fmtShape(x.shape)}`);
    let pad = options.keyPaddingMask ?? (this.paddingIdx !== null ? x.eq(this.paddingIdx) : null);
    if (pad !== null && (!isTensor(pad) || pad.dtype !== 'bool' || pad.rank !== 2 || pad.shape[0] !== N || pad.shape[1] !== L)) {
      throw new ShapeError(`${name}: keyPaddingMask must be bool [N, L] = ${fmtShape([N, L])}, got ${isTensor(pad) ? `${pad.dtype} ${fmtShape(pad.shape)}` : typeof pad}`);
    }
    if (this.clsToken) {
      h = concat([this.clsToken.reshape([1, 1, this.dModel]).expand([N, 1, this.dModel]), h], 1);
      if (pad) pad = concat([zeros([N, 1], { dtype: 'bool', backend: pad.backend }), pad], 1);
    }
    if (this.pos) h = this.pos.forward(h);
    h = this.encoder.forward(h, { srcKeyPaddingMask: pad });
    return this.head.forward(this.pool(h, pad));
  }

  private pool(h: Tensor, pad: Tensor | null): Tensor {
    switch (this.pooling) {
      case 'none':
        return h;
      case 'cls':
        return h.narrow(1, 0, 1).squeeze(1);
      case 'max':
        return (pad ? h.add(pad.unsqueeze(2).cast(h.dtype).mul(-1e9)) : h).max(1);
      case 'mean': {
        if (!pad) return h.mean(1);
        const keep = pad.logicalNot().cast(h.dtype).unsqueeze(2);
        // A fully padded row averages nothing: divide by max(count, 1) to give zeros, not NaN.
        return h.mul(keep).sum(1).div(keep.sum(1).maximum(1));
      }
    }
  }

  override extraRepr(): string {
    return `numClasses=${this.numClasses}, dModel=${this.dModel}, pooling=${this.pooling}`;
  }
}
