import type { Tensor } from '@plexus/tensor';
import { ArgumentError, ShapeError, fmtShape, isTensor } from '@plexus/tensor';
import type { UnaryModule } from '@plexus/nn';
import {
  BatchNorm1d, BatchNorm2d, Conv2d, ConvTranspose2d, Flatten, LeakyReLU, Linear, Module, ReLU, Sequential,
} from '@plexus/nn';
import type { ModelOptions } from './options.js';
import { dcganInit_ } from './init.js';
import { bool, numberIn, positiveInt, positiveIntList } from './options.js';

/** 'dcgan' (default): N(0, 0.02) weights, see dcganInit_; 'default': each layer's PyTorch initialisation. */
export type DCGANInit = 'dcgan' | 'default';

function initOf(where: string, value: unknown): DCGANInit {
  if (value !== 'dcgan' && value !== 'default') throw new ArgumentError(`${where}: init must be 'dcgan' or 'default', got ${JSON.stringify(value)}`);
  return value;
}

/** A generator maps noise [N, latentDim] to images [N, ...imageShape] in [-1, 1]. */
export interface GANGenerator extends Module {
  readonly latentDim: number;
  forward(z: Tensor): Tensor;
}

/** A discriminator maps images to one logit per sample [N, 1] (real: high). */
export type GANDiscriminator = UnaryModule;

function checkNoise(where: string, z: unknown, latentDim: number): Tensor {
  if (!isTensor(z) || z.rank !== 2 || z.shape[1] !== latentDim) {
    throw new ShapeError(`${where}: expected noise [N, ${latentDim}], got ${isTensor(z) ? fmtShape(z.shape) : String(z)}`);
  }
  return z;
}

function checkImages(where: string, x: unknown, shape: readonly number[]): Tensor {
  const ok = isTensor(x) && x.rank === shape.length + 1 && shape.every((d, i) => x.shape[i + 1] === d);
  if (!ok) throw new ShapeError(`${where}: expected images [N, ${shape.join(', ')}], got ${isTensor(x) ? fmtShape(x.shape) : String(x)}`);
  return x;
}

function imageShapeOf(where: string, value: unknown): number[] {
  return positiveIntList(where, 'imageShape', value, 1);
}

export interface MLPGeneratorOptions extends ModelOptions {
  /** Size of the noise vector (default 64). */
  latentDim?: number;
  /** Hidden widths (default [256, 512]). */
  hidden?: number[];
  /** Shape of one image (default [1, 28, 28]). */
  imageShape?: number[];
  /** BatchNorm1d after each hidden Linear (default true): steadier training, less mode collapse. */
  batchNorm?: boolean;
}

/**
 * A fully connected generator (Goodfellow et al., 2014, with the usual modern touches):
 * z → [Linear → BatchNorm1d → LeakyReLU(0.2)]… → Linear → tanh, reshaped to imageShape.
 */
export class MLPGenerator extends Module implements GANGenerator {
  readonly latentDim: number;
  readonly imageShape: readonly number[];
  net: Sequential;

  constructor(options: MLPGeneratorOptions = {}) {
    super();
    const where = 'MLPGenerator';
    this.latentDim = positiveInt(where, 'latentDim', options.latentDim ?? 64);
    const hidden = positiveIntList(where, 'hidden', options.hidden ?? [256, 512]);
    this.imageShape = imageShapeOf(where, options.imageShape ?? [1, 28, 28]);
    const batchNorm = bool(where, 'batchNorm', options.batchNorm ?? true);
    const { dtype } = options;
    const layers: UnaryModule[] = [];
    let width = this.latentDim;
    for (const h of hidden) {
      layers.push(new Linear(width, h, { dtype }));
      if (batchNorm) layers.push(new BatchNorm1d(h, { dtype }));
      layers.push(new LeakyReLU(0.2));
      width = h;
    }
    layers.push(new Linear(width, this.imageShape.reduce((a, b) => a * b, 1), { dtype }));
    this.net = new Sequential(...layers);
  }

  forward(z: Tensor): Tensor {
    checkNoise('MLPGenerator', z, this.latentDim);
    return this.net.forward(z).tanh().reshape([z.shape[0], ...this.imageShape]);
  }

  override extraRepr(): string {
    return `latentDim=${this.latentDim}, imageShape=[${this.imageShape.join(', ')}]`;
  }
}

export interface MLPDiscriminatorOptions extends ModelOptions {
  /** Shape of one image (default [1, 28, 28]). */
  imageShape?: number[];
  /** Hidden widths (default [512, 256]). */
  hidden?: number[];
  /** Slope of LeakyReLU for negative inputs (default 0.2). */
  negativeSlope?: number;
}

/** A fully connected discriminator: flatten → [Linear → LeakyReLU(0.2)]… → Linear → one logit. */
export class MLPDiscriminator extends Module {
  readonly imageShape: readonly number[];
  net: Sequential;

  constructor(options: MLPDiscriminatorOptions = {}) {
    super();
    const where = 'MLPDiscriminator';
    this.imageShape = imageShapeOf(where, options.imageShape ?? [1, 28, 28]);
    const hidden = positiveIntList(where, 'hidden', options.hidden ?? [512, 256]);
    const slope = numberIn(where, 'negativeSlope', options.negativeSlope ?? 0.2, 0, 1);
    const { dtype } = options;
    const layers: UnaryModule[] = [new Flatten()];
    let width = this.imageShape.reduce((a, b) => a * b, 1);
    for (const h of hidden) {
      layers.push(new Linear(width, h, { dtype }), new LeakyReLU(slope));
      width = h;
    }
    layers.push(new Linear(width, 1, { dtype }));
    this.net = new Sequential(...layers);
  }

  /** Logits [N, 1]. */
  forward(x: Tensor): Tensor {
    checkImages('MLPDiscriminator', x, this.imageShape);
    return this.net.forward(x);
  }

  override extraRepr(): string {
    return `imageShape=[${this.imageShape.join(', ')}]`;
  }
}

export interface DCGANGeneratorOptions extends ModelOptions {
  /** Size of the noise vector (default 64). */
  latentDim?: number;
  /** Channels of the 14×14 stage; the 7×7 stage has twice as many (default 32). */
  features?: number;
  /** Channels of the images (default 1). */
  outChannels?: number;
  /** Side of the square images, a multiple of 4 (default 28). */
  imageSize?: number;
  init?: DCGANInit;
}

/**
 * A DCGAN generator (Radford et al., 2016) for 28×28 images:
 *   z → Linear → [2f, 7, 7] → BatchNorm2d → ReLU
 *     → ConvTranspose2d(2f→f, 4, stride 2, pad 1) → BatchNorm2d → ReLU   [f, 14, 14]
 *     → ConvTranspose2d(f→C, 4, stride 2, pad 1) → tanh                   [C, 28, 28]
 * (a 4×4 kernel with stride 2 and padding 1 exactly doubles the side). Layers followed by a
 * BatchNorm have no bias, which the norm's shift would cancel.
 */
export class DCGANGenerator extends Module implements GANGenerator {
  readonly latentDim: number;
  readonly features: number;
  readonly outChannels: number;
  readonly imageSize: number;
  project: Linear;
  net: Sequential;

  constructor(options: DCGANGeneratorOptions = {}) {
    super();
    const where = 'DCGANGenerator';
    this.latentDim = positiveInt(where, 'latentDim', options.latentDim ?? 64);
    this.features = positiveInt(where, 'features', options.features ?? 32);
    this.outChannels = positiveInt(where, 'outChannels', options.outChannels ?? 1);
    this.imageSize = positiveInt(where, 'imageSize', options.imageSize ?? 28);
    if (this.imageSize % 4 !== 0) throw new ArgumentError(`${where}: imageSize must be a multiple of 4 (two stride-2 stages), got ${this.imageSize}`);
    const { dtype } = options;
    const f = this.features;
    const q = this.imageSize / 4;
    this.project = new Linear(this.latentDim, 2 * f * q * q, { bias: false, dtype });
    this.net = new Sequential(
      new BatchNorm2d(2 * f, { dtype }), new ReLU(),
      new ConvTranspose2d(2 * f, f, 4, { stride: 2, padding: 1, bias: false, dtype }), new BatchNorm2d(f, { dtype }), new ReLU(),
      new ConvTranspose2d(f, this.outChannels, 4, { stride: 2, padding: 1, dtype }),
    );
    if (initOf(where, options.init ?? 'dcgan') === 'dcgan') dcganInit_(this);
  }

  forward(z: Tensor): Tensor {
    checkNoise('DCGANGenerator', z, this.latentDim);
    const q = this.imageSize / 4;
    const h = this.project.forward(z).reshape([z.shape[0], 2 * this.features, q, q]);
    return this.net.forward(h).tanh();
  }

  override extraRepr(): string {
    return `latentDim=${this.latentDim}, features=${this.features}, outChannels=${this.outChannels}, imageSize=${this.imageSize}`;
  }
}

export interface DCGANDiscriminatorOptions extends ModelOptions {
  /** Channels of the images (default 1). */
  inChannels?: number;
  /** Channels of the 14×14 stage; the 7×7 stage has twice as many (default 32). */
  features?: number;
  /** Side of the square images, a multiple of 4 (default 28). */
  imageSize?: number;
  /** Slope of LeakyReLU for negative inputs (default 0.2). */
  negativeSlope?: number;
  /**
   * BatchNorm2d after the second convolution, as in the DCGAN paper (default false). It makes the
   * discriminator learn faster, but then a sample's score depends on the rest of its batch.
   */
  batchNorm?: boolean;
  init?: DCGANInit;
}

/**
 * A DCGAN discriminator for 28×28 images: Conv2d(C→f, 4, stride 2, pad 1) → LeakyReLU(0.2)
 * [f, 14, 14] → Conv2d(f→2f, 4, stride 2, pad 1) → LeakyReLU(0.2) [2f, 7, 7] → flatten →
 * Linear → one logit. By default no BatchNorm, so each sample's score depends on that sample
 * alone; `batchNorm: true` adds one after the second convolution (without its bias).
 */
export class DCGANDiscriminator extends Module {
  readonly inChannels: number;
  readonly features: number;
  readonly imageSize: number;
  net: Sequential;

  constructor(options: DCGANDiscriminatorOptions = {}) {
    super();
    const where = 'DCGANDiscriminator';
    this.inChannels = positiveInt(where, 'inChannels', options.inChannels ?? 1);
    this.features = positiveInt(where, 'features', options.features ?? 32);
    this.imageSize = positiveInt(where, 'imageSize', options.imageSize ?? 28);
    if (this.imageSize % 4 !== 0) throw new ArgumentError(`${where}: imageSize must be a multiple of 4 (two stride-2 stages), got ${this.imageSize}`);
    const slope = numberIn(where, 'negativeSlope', options.negativeSlope ?? 0.2, 0, 1);
    const batchNorm = bool(where, 'batchNorm', options.batchNorm ?? false);
    const { dtype } = options;
    const f = this.features;
    const q = this.imageSize / 4;
    this.net = new Sequential(
      new Conv2d(this.inChannels, f, 4, { stride: 2, padding: 1, dtype }), new LeakyReLU(slope),
      new Conv2d(f, 2 * f, 4, { stride: 2, padding: 1, bias: !batchNorm, dtype }),
      ...(batchNorm ? [new BatchNorm2d(2 * f, { dtype })] : []),
      new LeakyReLU(slope),
      new Flatten(), new Linear(2 * f * q * q, 1, { dtype }),
    );
    if (initOf(where, options.init ?? 'dcgan') === 'dcgan') dcganInit_(this);
  }

  /** Logits [N, 1]. */
  forward(x: Tensor): Tensor {
    checkImages('DCGANDiscriminator', x, [this.inChannels, this.imageSize, this.imageSize]);
    return this.net.forward(x);
  }

  override extraRepr(): string {
    return `inChannels=${this.inChannels}, features=${this.features}, imageSize=${this.imageSize}`;
  }
}
