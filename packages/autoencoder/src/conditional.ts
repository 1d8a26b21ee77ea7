import type { Tensor } from '@plexus/tensor';
import { ArgumentError, DTypeError, ShapeError, arange, fmtShape, fromData, isTensor } from '@plexus/tensor';
import { Conv2d, Flatten, Linear, Module, ModuleList, Sequential } from '@plexus/nn';
import { FiLM } from './film.js';
import type { Activation } from './mlp.js';
import { ACTIVATIONS, activationModule, mlp } from './mlp.js';
import type { ModelOptions } from './options.js';
import { checkFlatBatch, checkTensor, oneOf, positiveInt, positiveIntList } from './options.js';

/** Labels as an int32 Tensor [N] or plain numbers. */
export type Labels = Tensor | ArrayLike<number>;

export interface ConditionalAutoencoderOptions extends ModelOptions {
  /** Values per sample (784 for 28×28 images; inputs may be [N, 784] or [N, 1, 28, 28]). */
  inputDim: number;
  /** The known classes 0 … numClasses − 1 the encoder classifies and the decoder is conditioned on. */
  numClasses: number;
  /** Size of the code. */
  latentDim: number;
  /** Widths of the dense encoder's hidden layers; the decoder mirrors them (default [256, 64]). */
  hidden?: number[];
  /**
   * 'dense' (default) or 'conv': two stride-2 3×3 convolutions (`channels`) and a linear
   * layer, for square images of inChannels × S × S = inputDim values with S a multiple of 4.
   */
  encoder?: 'dense' | 'conv';
  /** Channels of the images for the conv encoder (default 1). */
  inChannels?: number;
  /** Channels after the conv encoder's first and second convolutions (default [16, 32]). */
  channels?: [number, number];
  /** Between hidden layers (default 'relu'). */
  activation?: Activation;
}

/**
 * The class-conditioned autoencoder of C2AE (Oza & Patel, CVPR 2019) for open-set recognition /
 * anomaly detection with labelled normal data:
 *   encoder x → z [N, latentDim], with a linear classifier z → logits over the known classes;
 *   decoder z → reversed hidden… → inputDim, each hidden layer FiLM-modulated (γ, β from the
 *   label's condition vector: +1 at the class, −1 elsewhere) before its activation, then a
 *   sigmoid so reconstructions live in [0, 1] like the pixels.
 * Trained by trainConditionalAutoencoder (classifier first, then the decoder on the frozen
 * encoder, to reconstruct x under its own label and another class's image under a wrong one);
 * scored by conditionalReconstructionErrors.
 */
export class ConditionalAutoencoder extends Module {
  readonly inputDim: number;
  readonly numClasses: number;
  readonly latentDim: number;
  readonly hidden: readonly number[];
  readonly encoderKind: 'dense' | 'conv';
  readonly inChannels: number;
  readonly imageSize: number;
  readonly activation: Activation;
  encoder: Sequential;
  classifier: Linear;
  decoderLayers: ModuleList<Linear>;
  films: ModuleList<FiLM>;

  constructor(options: ConditionalAutoencoderOptions) {
    super();
    const where = 'ConditionalAutoencoder';
    if (options === null || typeof options !== 'object') throw new ArgumentError(`${where}: expected options { inputDim, numClasses, latentDim, … }`);
    this.inputDim = positiveInt(where, 'inputDim', options.inputDim);
    this.numClasses = positiveInt(where, 'numClasses', options.numClasses);
    if (this.numClasses < 2) throw new ArgumentError(`${where}: numClasses must be at least 2 (a wrong label must exist), got ${this.numClasses}`);
    this.latentDim = positiveInt(where, 'latentDim', options.latentDim);
    this.hidden = positiveIntList(where, 'hidden', options.hidden ?? [256, 64]);
    this.encoderKind = oneOf(where, 'encoder', options.encoder ?? 'dense', ['dense', 'conv'] as const);
    this.activation = oneOf(where, 'activation', options.activation ?? 'relu', ACTIVATIONS);
    this.inChannels = positiveInt(where, 'inChannels', options.inChannels ?? 1);
    const { dtype } = options;
    if (this.encoderKind === 'conv') {
      const side = Math.sqrt(this.inputDim / this.inChannels);
      if (!Number.isInteger(side) || side % 4 !== 0) {
        throw new ArgumentError(`${where}: the conv encoder needs square images with a side that is a multiple of 4: inputDim ${this.inputDim} = ${this.inChannels} × S × S has no such S`);
      }
      this.imageSize = side;
      const q = side / 4;
      const channels = positiveIntList(where, 'channels', options.channels ?? [16, 32]);
      if (channels.length !== 2) throw new ArgumentError(`${where}: channels must be a pair [c1, c2], got [${channels.join(',')}]`);
      const [c1, c2] = channels;
      const down = { stride: 2, padding: 1, dtype };
      this.encoder = new Sequential(
        new Conv2d(this.inChannels, c1, 3, down), activationModule(this.activation),
        new Conv2d(c1, c2, 3, down), activationModule(this.activation),
        new Flatten(), new Linear(c2 * q * q, this.latentDim, { dtype }),
      );
    } else {
      this.imageSize = 0;
      this.encoder = mlp([this.inputDim, ...this.hidden, this.latentDim], this.activation, false, dtype);
    }
    this.classifier = new Linear(this.latentDim, this.numClasses, { dtype });
    const sizes = [this.latentDim, ...[...this.hidden].reverse(), this.inputDim];
    this.decoderLayers = new ModuleList(sizes.slice(1).map((out, i) => new Linear(sizes[i], out, { dtype })));
    this.films = new ModuleList(sizes.slice(1, -1).map((features) => new FiLM(this.numClasses, features, { dtype })));
  }

  /** Codes [N, latentDim] of a batch [N, inputDim] or [N, ...] with inputDim values per sample. */
  encode(x: Tensor): Tensor {
    const batch = checkFlatBatch('ConditionalAutoencoder.encode', x, this.inputDim);
    const n = batch.shape[0];
    const shaped = this.encoderKind === 'conv' ? batch.reshape([n, this.inChannels, this.imageSize, this.imageSize]) : batch.reshape([n, this.inputDim]);
    return this.encoder.forward(shaped);
  }

  /** Class logits [N, numClasses] of a batch (the encoder and the classifier). */
  classify(x: Tensor): Tensor {
    return this.classifier.forward(this.encode(x));
  }

  /**
   * C2AE's condition vectors [N, numClasses]: +1 at each label, −1 elsewhere, in the model's
   * dtype. Labels must be integers in [0, numClasses).
   */
  conditionVectors(labels: Labels, n?: number): Tensor {
    const where = 'ConditionalAutoencoder';
    const host = checkLabels(where, labels, this.numClasses, n);
    const backend = isTensor(labels) ? labels.backend : this.classifier.weight.backend;
    const index = fromData(where, host, [host.length, 1], { backend });
    const classes = arange(this.numClasses, undefined, 1, { backend }).reshape([1, this.numClasses]);
    return index.eq(classes).cast(this.classifier.weight.dtype).mul(2).sub(1);
  }

  /** Flat reconstructions [N, inputDim] of codes z [N, latentDim] conditioned on `labels` (N of them). */
  decode(z: Tensor, labels: Labels): Tensor {
    checkTensor('ConditionalAutoencoder.decode', 'z', z);
    if (z.rank !== 2 || z.shape[1] !== this.latentDim) {
      throw new ShapeError(`ConditionalAutoencoder.decode: expected codes [N, ${this.latentDim}], got ${fmtShape(z.shape)}`);
    }
    const cond = this.conditionVectors(labels, z.shape[0]);
    let h = z;
    for (let i = 0; i < this.decoderLayers.length; i++) {
      h = this.decoderLayers.at(i).forward(h);
      // Hidden layers: modulate, then the nonlinearity; the last layer goes to the sigmoid.
      if (i < this.films.length) h = activationModule(this.activation).forward(this.films.at(i).forward(h, cond));
    }
    return h.sigmoid();
  }

  /** The reconstruction of x (input's shape) conditioned on `labels`, one per sample. */
  forward(x: Tensor, labels: Labels): Tensor {
    const batch = checkFlatBatch('ConditionalAutoencoder', x, this.inputDim);
    return this.decode(this.encode(batch), labels).reshape(batch.shape);
  }

  override extraRepr(): string {
    return `inputDim=${this.inputDim}, numClasses=${this.numClasses}, latentDim=${this.latentDim}, hidden=[${this.hidden.join(', ')}], encoder=${this.encoderKind}`;
  }
}

/**
 * Labels as host int32 values, checked: an int32 Tensor [N] or an array of integers, N = `n`
 * when given, each in [0, numClasses).
 */
export function checkLabels(where: string, labels: Labels, numClasses: number, n?: number): Int32Array {
  let values: ArrayLike<number>;
  if (isTensor(labels)) {
    if (labels.dtype !== 'int32') throw new DTypeError(`${where}: labels must be int32, got ${labels.dtype}`);
    if (labels.rank !== 1) throw new ShapeError(`${where}: labels must be 1-D [N], got ${fmtShape(labels.shape)}`);
    if (!labels.backend.readSync) throw new ArgumentError(`${where}: backend '${labels.backend.name}' cannot read labels synchronously; pass await labels.data()`);
    values = labels.dataSync() as ArrayLike<number>;
  } else if (labels !== null && typeof labels === 'object' && typeof labels.length === 'number') {
    values = labels;
  } else {
    throw new ArgumentError(`${where}: labels must be an int32 Tensor [N] or an array of integers, got ${labels === null ? 'null' : typeof labels}`);
  }
  if (n !== undefined && values.length !== n) throw new ShapeError(`${where}: expected ${n} labels (one per sample), got ${values.length}`);
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || v < 0 || v >= numClasses) {
      throw new ArgumentError(`${where}: label ${String(v)} at index ${i} is out of range; labels must be integers in [0, ${numClasses - 1}]`);
    }
    out[i] = v;
  }
  return out;
}
