import type { Tensor } from '@plexus/tensor';
import { ArgumentError, ShapeError, fmtShape, noGrad } from '@plexus/tensor';
import { BatchNorm2d, Conv2d, Dropout, Linear, MaxPool2d, Module, ReLU, Sequential, kaimingNormal_, zeros_ } from '@plexus/nn';
import type { ModelOptions } from './options.js';
import { bool, positiveInt } from './options.js';

/** Output channels of a 3×3 conv (+ ReLU), or 'M' for a 2×2 max pool, in order. */
export type VGGConfig = readonly (number | 'M')[];

export interface VGGOptions extends ModelOptions {
  /** The feature extractor (default [32, 32, 'M', 64, 64, 'M']). */
  config?: VGGConfig;
  /** BatchNorm2d after each conv (torchvision's vgg*_bn; default false). */
  batchNorm?: boolean;
  /** Units of the hidden classifier layer (default 128); 0 makes the classifier one Linear. */
  hidden?: number;
  /** Dropout before the last Linear when there is a hidden layer (default 0.5). */
  dropout?: number;
  /** Height and width of the (square) input images (default 28). */
  imageSize?: number;
}

function checkConfig(config: unknown): (number | 'M')[] {
  if (!Array.isArray(config) || !config.some((c) => typeof c === 'number')) {
    throw new ArgumentError(`vgg: config must be an array of channel counts and 'M' with at least one conv, got ${JSON.stringify(config)}`);
  }
  config.forEach((c: unknown, i) => {
    if (c !== 'M' && !(typeof c === 'number' && Number.isInteger(c) && c > 0)) {
      throw new ArgumentError(`vgg: config[${i}] must be a positive integer (conv channels) or 'M' (max pool), got ${JSON.stringify(c)}`);
    }
  });
  return config as (number | 'M')[];
}

/**
 * A VGG-style network (Simonyan & Zisserman, 2015): stacks of 3×3 convs (padding 1, so only the
 * pools shrink the image) with ReLU, 2×2 max pools at each 'M', then a small classifier on the
 * flattened features. Convs get torchvision's VGG init (He-normal, fan out); Linear layers keep
 * PyTorch's default.
 */
export class VGG extends Module {
  readonly inChannels: number;
  readonly numClasses: number;
  readonly imageSize: number;
  readonly config: readonly (number | 'M')[];
  features: Sequential;
  classifier: Sequential;

  constructor(options: VGGOptions = {}) {
    super();
    const { numClasses = 10, inChannels = 1, imageSize = 28, hidden = 128, dropout = 0.5, batchNorm = false, dtype } = options;
    this.numClasses = positiveInt('vgg', 'numClasses', numClasses);
    this.inChannels = positiveInt('vgg', 'inChannels', inChannels);
    this.imageSize = positiveInt('vgg', 'imageSize', imageSize);
    bool('vgg', 'batchNorm', batchNorm);
    if (!Number.isInteger(hidden) || hidden < 0) throw new ArgumentError(`vgg: hidden must be a non-negative integer, got ${String(hidden)}`);
    if (typeof dropout !== 'number' || !(dropout >= 0 && dropout < 1)) throw new ArgumentError(`vgg: dropout must be in [0, 1), got ${String(dropout)}`);
    this.config = [...checkConfig(options.config ?? [32, 32, 'M', 64, 64, 'M'])];

    this.features = new Sequential();
    let channels = inChannels;
    let side = imageSize;
    for (const item of this.config) {
      if (item === 'M') {
        side = Math.floor(side / 2);
        if (side < 1) throw new ArgumentError(`vgg: config [${this.config.join(', ')}] pools a ${imageSize}×${imageSize} image below 1×1`);
        this.features.append(new MaxPool2d(2));
        continue;
      }
      this.features.append(new Conv2d(channels, item, 3, { padding: 1, bias: !batchNorm, dtype }));
      if (batchNorm) this.features.append(new BatchNorm2d(item, { dtype }));
      this.features.append(new ReLU());
      channels = item;
    }
    const flat = channels * side * side;
    this.classifier = hidden === 0
      ? new Sequential(new Linear(flat, numClasses, { dtype }))
      : new Sequential(new Linear(flat, hidden, { dtype }), new ReLU(), new Dropout(dropout), new Linear(hidden, numClasses, { dtype }));
    noGrad(() => {
      for (const m of this.features) {
        if (!(m instanceof Conv2d)) continue;
        kaimingNormal_(m.weight, { mode: 'fanOut', nonlinearity: 'relu' });
        if (m.bias) zeros_(m.bias);
      }
    });
  }

  forward(x: Tensor): Tensor {
    const s = this.imageSize;
    if (x.rank !== 4 || x.shape[1] !== this.inChannels || x.shape[2] !== s || x.shape[3] !== s) {
      throw new ShapeError(`VGG: expected input [N, ${this.inChannels}, ${s}, ${s}], got ${fmtShape(x.shape)}`);
    }
    return this.classifier.forward(this.features.forward(x).flatten(1));
  }

  override extraRepr(): string {
    return `config=[${this.config.join(', ')}], inChannels=${this.inChannels}, numClasses=${this.numClasses}, imageSize=${this.imageSize}`;
  }
}

/** A VGG-style net: `vgg({ config: [32, 32, 'M', 64, 64, 'M'], numClasses: 10 })`. See VGGOptions. */
export function vgg(options: VGGOptions = {}): VGG {
  return new VGG(options);
}
