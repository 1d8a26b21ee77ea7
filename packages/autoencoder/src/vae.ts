import type { Generator, Tensor } from '@plexus/tensor';
import { ShapeError, fmtShape } from '@plexus/tensor';
import type { Sequential } from '@plexus/nn';
import { Linear, Module } from '@plexus/nn';
import type { Activation } from './mlp.js';
import { ACTIVATIONS, mlp } from './mlp.js';
import type { ModelOptions } from './options.js';
import { checkFlatBatch, checkTensor, oneOf, positiveInt, positiveIntList } from './options.js';
import { reparameterize } from './reparameterize.js';

export interface VAEOptions extends ModelOptions {
  /** Values per sample (784 for 28×28 images; inputs may be [N, 784] or [N, 1, 28, 28]). */
  inputDim: number;
  /** Widths of the encoder's hidden layers; the decoder mirrors them (default [256]). */
  hidden?: number[];
  latentDim: number;
  /** Between hidden layers (default 'relu'). */
  activation?: Activation;
  /** Source of ε in training mode (default: the generator seeded by manualSeed). */
  generator?: Generator;
}

export interface VAEForwardOptions {
  /** Use this ε instead of drawing one (gradient checks, reproducible samples). */
  eps?: Tensor;
  /**
   * Sample z even in evaluation mode. By default training mode samples z = mu + σ·ε and
   * evaluation mode uses the posterior mean z = mu, a deterministic reconstruction.
   */
  sample?: boolean;
}

export interface VAEOutput {
  /** sigmoid(logits): the Bernoulli means, with the input's shape. */
  reconstruction: Tensor;
  /** Decoder logits with the input's shape (what the BCE loss uses, stably). */
  logits: Tensor;
  /** Posterior means [N, latentDim]. */
  mu: Tensor;
  /** Posterior log-variances [N, latentDim]. */
  logVar: Tensor;
  /** The code that was decoded [N, latentDim]. */
  z: Tensor;
}

/**
 * A variational autoencoder (Kingma & Welling, 2014) with a fully connected encoder and decoder:
 * encoder inputDim → hidden… → (mu, logVar) by two linear heads; z by the reparameterisation
 * trick; decoder latentDim → reversed hidden… → inputDim logits. Train it with `vaeLoss`.
 */
export class VAE extends Module {
  readonly inputDim: number;
  readonly latentDim: number;
  readonly hidden: readonly number[];
  generator: Generator | undefined;
  encoder: Sequential;
  fcMu: Linear;
  fcLogVar: Linear;
  decoder: Sequential;

  constructor(options: VAEOptions) {
    super();
    const where = 'VAE';
    this.inputDim = positiveInt(where, 'inputDim', options?.inputDim);
    this.latentDim = positiveInt(where, 'latentDim', options.latentDim);
    this.hidden = positiveIntList(where, 'hidden', options.hidden ?? [256]);
    const activation = oneOf(where, 'activation', options.activation ?? 'relu', ACTIVATIONS);
    const { dtype } = options;
    this.generator = options.generator;
    const top = this.hidden.length > 0 ? this.hidden[this.hidden.length - 1] : this.inputDim;
    this.encoder = mlp([this.inputDim, ...this.hidden], activation, true, dtype);
    this.fcMu = new Linear(top, this.latentDim, { dtype });
    this.fcLogVar = new Linear(top, this.latentDim, { dtype });
    this.decoder = mlp([this.latentDim, ...[...this.hidden].reverse(), this.inputDim], activation, false, dtype);
  }

  /** The posterior's parameters for a batch [N, inputDim] (or [N, ...] with inputDim values per sample). */
  encode(x: Tensor): { mu: Tensor; logVar: Tensor } {
    const batch = checkFlatBatch('VAE.encode', x, this.inputDim);
    const h = this.encoder.forward(batch.reshape([batch.shape[0], this.inputDim]));
    return { mu: this.fcMu.forward(h), logVar: this.fcLogVar.forward(h) };
  }

  /** Decoder logits [N, inputDim] for codes [N, latentDim]. */
  decodeLogits(z: Tensor): Tensor {
    checkTensor('VAE.decode', 'z', z);
    if (z.rank !== 2 || z.shape[1] !== this.latentDim) {
      throw new ShapeError(`VAE.decode: expected codes [N, ${this.latentDim}], got ${fmtShape(z.shape)}`);
    }
    return this.decoder.forward(z);
  }

  /** Bernoulli means [N, inputDim] in (0, 1) for codes [N, latentDim]: decode(randn([n, latentDim])) generates. */
  decode(z: Tensor): Tensor {
    return this.decodeLogits(z).sigmoid();
  }

  forward(x: Tensor, options: VAEForwardOptions = {}): VAEOutput {
    const batch = checkFlatBatch('VAE', x, this.inputDim);
    const { mu, logVar } = this.encode(batch);
    const z = this.training || options.sample || options.eps !== undefined
      ? reparameterize(mu, logVar, { eps: options.eps, generator: this.generator })
      : mu;
    const logits = this.decodeLogits(z).reshape(batch.shape);
    return { reconstruction: logits.sigmoid(), logits, mu, logVar, z };
  }

  override extraRepr(): string {
    return `inputDim=${this.inputDim}, hidden=[${this.hidden.join(', ')}], latentDim=${this.latentDim}`;
  }
}
