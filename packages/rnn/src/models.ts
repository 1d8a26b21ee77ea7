import type { DType, Tensor } from '@plexus/tensor';
import { ArgumentError, ShapeError, fmtShape, isTensor, tensor } from '@plexus/tensor';
import type { RecurrentForwardOptions, RNNBase } from '@plexus/nn';
import { GRU, LSTM, Linear, Module, RNN } from '@plexus/nn';

/** Which recurrent layer a model is built on. */
export type CellType = 'rnn' | 'lstm' | 'gru';

/** How a sequence becomes one vector: the last layer's final hidden state, or the mean of its outputs over the valid steps. */
export type Pooling = 'last' | 'mean';

export interface RecurrentBackboneOptions {
  /** 'lstm' (default), 'gru' or 'rnn' (tanh Elman RNN). */
  cell?: CellType;
  inputSize: number;
  hiddenSize: number;
  /** Stacked recurrent layers (default 1). */
  numLayers?: number;
  /** Read each sequence both ways (default false); the features are then 2·hiddenSize wide. */
  bidirectional?: boolean;
  /** Dropout between recurrent layers, in training mode (default 0). */
  dropout?: number;
  /** Parameter dtype (default float32). */
  dtype?: DType;
}

export interface SequenceToOneOptions extends RecurrentBackboneOptions {
  /** 'last' (default) or 'mean'. */
  pooling?: Pooling;
}

export interface SequenceClassifierOptions extends SequenceToOneOptions {
  numClasses: number;
}

export interface SequenceRegressorOptions extends SequenceToOneOptions {
  /** Values predicted per sequence (default 1), e.g. a multi-step forecast horizon. */
  outputSize?: number;
}

export interface SequenceToSequenceOptions extends RecurrentBackboneOptions {
  /** Values predicted per step (default 1). */
  outputSize?: number;
}

/** Options of every model's forward. */
export type SequenceForwardOptions = RecurrentForwardOptions;

function checkObject(where: string, options: unknown): void {
  if (options === null || typeof options !== 'object') throw new ArgumentError(`${where}: expected an options object, got ${options === null ? 'null' : typeof options}`);
}

function makeRecurrent(where: string, o: RecurrentBackboneOptions): RNNBase {
  const cell = o.cell ?? 'lstm';
  const common = { numLayers: o.numLayers, bidirectional: o.bidirectional, dropout: o.dropout, dtype: o.dtype, batchFirst: true };
  switch (cell) {
    case 'lstm':
      return new LSTM(o.inputSize, o.hiddenSize, common);
    case 'gru':
      return new GRU(o.inputSize, o.hiddenSize, common);
    case 'rnn':
      return new RNN(o.inputSize, o.hiddenSize, common);
    default:
      throw new ArgumentError(`${where}: cell must be 'rnn', 'lstm' or 'gru', got '${String(cell)}'`);
  }
}

function checkPositive(where: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ArgumentError(`${where}: ${name} must be a positive integer, got ${String(v)}`);
  return v;
}

/**
 * The shared body: a batch-first recurrent layer over inputs [N, T, inputSize]. `features(x)`
 * returns the per-step outputs [N, T, D·H] and the last layer's final state [N, D·H] (both
 * directions' final states concatenated when bidirectional).
 */
export abstract class RecurrentBackbone extends Module {
  readonly cell: CellType;
  readonly rnn: RNNBase;

  protected constructor(where: string, options: RecurrentBackboneOptions) {
    super();
    checkObject(where, options);
    this.cell = options.cell ?? 'lstm';
    this.rnn = makeRecurrent(where, options);
  }

  /** Width of the features: hiddenSize, or 2·hiddenSize when bidirectional. */
  get featureSize(): number {
    return this.rnn.hiddenSize * this.rnn.numDirections;
  }

  protected features(x: Tensor, options: SequenceForwardOptions = {}): { outputs: Tensor; last: Tensor } {
    const where = this.constructor.name;
    if (!isTensor(x) || x.rank !== 3) {
      throw new ShapeError(`${where}: expected input [N, T, ${this.rnn.inputSize}] (batch first), got ${isTensor(x) ? fmtShape(x.shape) : typeof x}`);
    }
    const r = this.rnn;
    let outputs: Tensor;
    let hN: Tensor;
    if (r instanceof LSTM) {
      const [o, [h]] = r.forward(x, null, options);
      [outputs, hN] = [o, h];
    } else {
      [outputs, hN] = (r as RNN).forward(x, null, options);
    }
    // hN is [L·D, N, H]; the last layer's directions are its last D rows.
    const D = r.numDirections;
    const N = x.shape[0];
    const lastRows = hN.slice(0, hN.shape[0] - D);
    const last = D === 1 ? lastRows.reshape([N, r.hiddenSize]) : lastRows.permute([1, 0, 2]).reshape([N, D * r.hiddenSize]);
    return { outputs, last };
  }
}

/** Mean of outputs [N, T, F] over each sequence's valid steps (outputs past a length are zero). */
function meanOverSteps(outputs: Tensor, lengths: SequenceForwardOptions['lengths']): Tensor {
  if (lengths === undefined) return outputs.mean(1);
  const list = isTensor(lengths) ? Array.from(lengths.dataSync() as ArrayLike<number>) : [...lengths];
  const count = tensor(list.map((l) => [l]), { dtype: outputs.dtype, backend: outputs.backend });
  return outputs.sum(1).div(count);
}

/** A recurrent layer, pooling over time, and a linear head: [N, T, inputSize] → [N, outputs]. */
abstract class SequenceToOne extends RecurrentBackbone {
  readonly pooling: Pooling;
  readonly head: Linear;

  protected constructor(where: string, options: SequenceToOneOptions, outputs: number) {
    super(where, options);
    const pooling = options.pooling ?? 'last';
    if (pooling !== 'last' && pooling !== 'mean') throw new ArgumentError(`${where}: pooling must be 'last' or 'mean', got '${String(pooling)}'`);
    this.pooling = pooling;
    this.head = new Linear(this.featureSize, outputs, { dtype: options.dtype });
  }

  /** x [N, T, inputSize] → [N, outputs]. With `lengths`, padded steps are ignored. */
  forward(x: Tensor, options: SequenceForwardOptions = {}): Tensor {
    const { outputs, last } = this.features(x, options);
    return this.head.forward(this.pooling === 'last' ? last : meanOverSteps(outputs, options.lengths));
  }
}

/**
 * Sequence classification: RNN/LSTM/GRU, then the last hidden state (or the mean over time) →
 * Linear → logits [N, numClasses]. Input is batch first, [N, T, inputSize].
 */
export class SequenceClassifier extends SequenceToOne {
  readonly numClasses: number;

  constructor(options: SequenceClassifierOptions) {
    checkObject('SequenceClassifier', options);
    const numClasses = checkPositive('SequenceClassifier', 'numClasses', options.numClasses);
    super('SequenceClassifier', options, numClasses);
    this.numClasses = numClasses;
  }
}

/** Sequence-to-one regression: as SequenceClassifier, with `outputSize` real outputs (default 1). */
export class SequenceRegressor extends SequenceToOne {
  readonly outputSize: number;

  constructor(options: SequenceRegressorOptions) {
    checkObject('SequenceRegressor', options);
    const outputSize = checkPositive('SequenceRegressor', 'outputSize', options.outputSize ?? 1);
    super('SequenceRegressor', options, outputSize);
    this.outputSize = outputSize;
  }
}

/**
 * Many-to-many regression aligned with the input: one Linear head applied at every step,
 * [N, T, inputSize] → [N, T, outputSize]. (Same length in and out; not an encoder–decoder.)
 */
export class SequenceToSequence extends RecurrentBackbone {
  readonly outputSize: number;
  readonly head: Linear;

  constructor(options: SequenceToSequenceOptions) {
    super('SequenceToSequence', options);
    this.outputSize = checkPositive('SequenceToSequence', 'outputSize', options.outputSize ?? 1);
    this.head = new Linear(this.featureSize, this.outputSize, { dtype: options.dtype });
  }

  forward(x: Tensor, options: SequenceForwardOptions = {}): Tensor {
    return this.head.forward(this.features(x, options).outputs);
  }
}
