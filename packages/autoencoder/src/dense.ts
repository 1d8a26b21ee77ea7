import type { Tensor } from '@plexus/tensor';
import { ShapeError, fmtShape } from '@plexus/tensor';
import type { Sequential } from '@plexus/nn';
import { Module } from '@plexus/nn';
import type { Activation } from './mlp.js';
import { ACTIVATIONS, mlp } from './mlp.js';
import type { ModelOptions } from './options.js';
import { checkFlatBatch, checkTensor, oneOf, positiveInt, positiveIntList } from './options.js';

/** What the decoder's last layer is followed by: a sigmoid (data in [0, 1], the default) or nothing. */
export type OutputActivation = 'sigmoid' | 'none';

export interface DenseAutoencoderOptions extends ModelOptions {
  /** Values per sample: 784 for 28×28 images (inputs may be [N, 784] or [N, 1, 28, 28]). */
  inputDim: number;
  /** Widths of the encoder's hidden layers; the decoder mirrors them (default [128]). */
  hidden?: number[];
  /** Size of the code (bottleneck). */
  latentDim: number;
  /** Between hidden layers (default 'relu'). */
  activation?: Activation;
  outputActivation?: OutputActivation;
}

/**
 * A fully connected autoencoder: encoder inputDim → hidden… → latentDim (linear code), decoder
 * latentDim → reversed hidden… → inputDim, then a sigmoid so reconstructions live in [0, 1]
 * like the pixels they copy. forward(x) returns a reconstruction of x's shape.
 */
export class DenseAutoencoder extends Module {
  readonly inputDim: number;
  readonly latentDim: number;
  readonly hidden: readonly number[];
  readonly outputActivation: OutputActivation;
  encoder: Sequential;
  decoder: Sequential;

  constructor(options: DenseAutoencoderOptions) {
    super();
    const where = 'DenseAutoencoder';
    this.inputDim = positiveInt(where, 'inputDim', options?.inputDim);
    this.latentDim = positiveInt(where, 'latentDim', options.latentDim);
    this.hidden = positiveIntList(where, 'hidden', options.hidden ?? [128]);
    const activation = oneOf(where, 'activation', options.activation ?? 'relu', ACTIVATIONS);
    this.outputActivation = oneOf(where, 'outputActivation', options.outputActivation ?? 'sigmoid', ['sigmoid', 'none'] as const);
    this.encoder = mlp([this.inputDim, ...this.hidden, this.latentDim], activation, false, options.dtype);
    this.decoder = mlp([this.latentDim, ...[...this.hidden].reverse(), this.inputDim], activation, false, options.dtype);
  }

  /** Codes [N, latentDim] of a batch [N, inputDim] or [N, ...] with inputDim values per sample. */
  encode(x: Tensor): Tensor {
    const batch = checkFlatBatch('DenseAutoencoder.encode', x, this.inputDim);
    return this.encoder.forward(batch.reshape([batch.shape[0], this.inputDim]));
  }

  /** Flat reconstructions [N, inputDim] of codes [N, latentDim]. */
  decode(z: Tensor): Tensor {
    checkTensor('DenseAutoencoder.decode', 'z', z);
    if (z.rank !== 2 || z.shape[1] !== this.latentDim) {
      throw new ShapeError(`DenseAutoencoder.decode: expected codes [N, ${this.latentDim}], got ${fmtShape(z.shape)}`);
    }
    const out = this.decoder.forward(z);
    return this.outputActivation === 'sigmoid' ? out.sigmoid() : out;
  }

  /** Reconstruction with the input's shape. */
  forward(x: Tensor): Tensor {
    const batch = checkFlatBatch('DenseAutoencoder', x, this.inputDim);
    return this.decode(this.encode(batch)).reshape(batch.shape);
  }

  override extraRepr(): string {
    return `inputDim=${this.inputDim}, hidden=[${this.hidden.join(', ')}], latentDim=${this.latentDim}`;
  }
}
