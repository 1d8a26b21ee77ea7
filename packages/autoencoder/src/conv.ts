import type { Tensor } from '@plexus/tensor';
import { ArgumentError, ShapeError, fmtShape } from '@plexus/tensor';
import { Conv2d, ConvTranspose2d, Flatten, Linear, Module, ReLU, Sequential } from '@plexus/nn';
import type { OutputActivation } from './dense.js';
import type { ModelOptions } from './options.js';
import { checkTensor, oneOf, positiveInt, positiveIntList } from './options.js';

export interface ConvAutoencoderOptions extends ModelOptions {
  /** Channels of the images (default 1). */
  inChannels?: number;
  /** Size of the code. */
  latentDim: number;
  /** Side of the square images, a multiple of 4 (default 28). */
  imageSize?: number;
  /** Channels after the first and second stride-2 convolutions (default [16, 32]). */
  channels?: [number, number];
  outputActivation?: OutputActivation;
}

/**
 * A convolutional autoencoder for small square images (28×28 by default):
 *   encoder: conv3×3/2 (in→c1) → ReLU → conv3×3/2 (c1→c2) → ReLU → flatten → Linear → code
 *            28×28 → 14×14 → 7×7
 *   decoder: Linear → ReLU → [c2, 7, 7] → convT3×3/2 (c2→c1) → ReLU → convT3×3/2 (c1→in) → sigmoid
 *            7×7 → 14×14 → 28×28
 * The transposed convolutions use padding 1 and outputPadding 1, which exactly doubles the side.
 */
export class ConvAutoencoder extends Module {
  readonly inChannels: number;
  readonly latentDim: number;
  readonly imageSize: number;
  readonly channels: readonly [number, number];
  readonly outputActivation: OutputActivation;
  encoder: Sequential;
  decoderInput: Sequential;
  decoder: Sequential;

  constructor(options: ConvAutoencoderOptions) {
    super();
    const where = 'ConvAutoencoder';
    this.latentDim = positiveInt(where, 'latentDim', options?.latentDim);
    this.inChannels = positiveInt(where, 'inChannels', options.inChannels ?? 1);
    this.imageSize = positiveInt(where, 'imageSize', options.imageSize ?? 28);
    if (this.imageSize % 4 !== 0) throw new ArgumentError(`${where}: imageSize must be a multiple of 4 (two stride-2 stages), got ${this.imageSize}`);
    const channels = positiveIntList(where, 'channels', options.channels ?? [16, 32]);
    if (channels.length !== 2) throw new ArgumentError(`${where}: channels must be a pair [c1, c2], got [${channels.join(',')}]`);
    this.channels = [channels[0], channels[1]];
    this.outputActivation = oneOf(where, 'outputActivation', options.outputActivation ?? 'sigmoid', ['sigmoid', 'none'] as const);
    const [c1, c2] = this.channels;
    const q = this.imageSize / 4;
    const dtype = options.dtype;
    const down = { stride: 2, padding: 1, dtype };
    const up = { stride: 2, padding: 1, outputPadding: 1, dtype };
    this.encoder = new Sequential(
      new Conv2d(this.inChannels, c1, 3, down), new ReLU(),
      new Conv2d(c1, c2, 3, down), new ReLU(),
      new Flatten(), new Linear(c2 * q * q, this.latentDim, { dtype }),
    );
    this.decoderInput = new Sequential(new Linear(this.latentDim, c2 * q * q, { dtype }), new ReLU());
    this.decoder = new Sequential(
      new ConvTranspose2d(c2, c1, 3, up), new ReLU(),
      new ConvTranspose2d(c1, this.inChannels, 3, up),
    );
  }

  private checkImages(where: string, x: Tensor): void {
    checkTensor(where, 'input', x);
    const s = this.imageSize;
    if (x.rank !== 4 || x.shape[1] !== this.inChannels || x.shape[2] !== s || x.shape[3] !== s) {
      throw new ShapeError(`${where}: expected images [N, ${this.inChannels}, ${s}, ${s}], got ${fmtShape(x.shape)}`);
    }
  }

  /** Codes [N, latentDim] of images [N, C, S, S]. */
  encode(x: Tensor): Tensor {
    this.checkImages('ConvAutoencoder.encode', x);
    return this.encoder.forward(x);
  }

  /** Images [N, C, S, S] from codes [N, latentDim]. */
  decode(z: Tensor): Tensor {
    checkTensor('ConvAutoencoder.decode', 'z', z);
    if (z.rank !== 2 || z.shape[1] !== this.latentDim) {
      throw new ShapeError(`ConvAutoencoder.decode: expected codes [N, ${this.latentDim}], got ${fmtShape(z.shape)}`);
    }
    const q = this.imageSize / 4;
    const h = this.decoderInput.forward(z).reshape([z.shape[0], this.channels[1], q, q]);
    const out = this.decoder.forward(h);
    return this.outputActivation === 'sigmoid' ? out.sigmoid() : out;
  }

  forward(x: Tensor): Tensor {
    this.checkImages('ConvAutoencoder', x);
    return this.decode(this.encoder.forward(x));
  }

  override extraRepr(): string {
    return `inChannels=${this.inChannels}, latentDim=${this.latentDim}, imageSize=${this.imageSize}, channels=[${this.channels.join(', ')}]`;
  }
}
