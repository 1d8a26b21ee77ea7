import type { Tensor } from '@plexus/tensor';
import { ArgumentError, ShapeError, fmtShape } from '@plexus/tensor';
import type { UnaryModule } from '@plexus/nn';
import { AvgPool2d, Conv2d, Linear, MaxPool2d, Module, ReLU, Sequential, Sigmoid, Tanh } from '@plexus/nn';
import type { ModelOptions } from './options.js';
import { oneOf, positiveInt } from './options.js';

export type Activation = 'relu' | 'tanh' | 'sigmoid';

export interface LeNet5Options extends ModelOptions {
  /** Nonlinearity after each conv and hidden linear layer (default 'relu'; LeCun et al. used a scaled tanh). */
  activation?: Activation;
  /** Subsampling between the convs (default 'max'; the 1998 paper averaged, 'avg'). */
  pool?: 'max' | 'avg';
  /** Height and width of the (square) input images (default 28, MNIST). */
  imageSize?: number;
}

export function activationModule(activation: Activation): UnaryModule {
  return activation === 'relu' ? new ReLU() : activation === 'tanh' ? new Tanh() : new Sigmoid();
}

/**
 * LeNet-5 (LeCun et al., 1998) in its common 28×28 form: the first 5×5 conv pads by 2, so a
 * 28×28 digit plays the part of the paper's 32×32 input.
 *   features:   conv5×5(in→6, pad 2) → act → pool2 → conv5×5(6→16) → act → pool2   [N,16,5,5]
 *   classifier: flatten → Linear(400→120) → act → Linear(120→84) → act → Linear(84→numClasses)
 */
export class LeNet5 extends Module {
  readonly inChannels: number;
  readonly numClasses: number;
  readonly imageSize: number;
  features: Sequential;
  classifier: Sequential;

  constructor(options: LeNet5Options = {}) {
    super();
    const { numClasses = 10, inChannels = 1, imageSize = 28, dtype } = options;
    this.numClasses = positiveInt('LeNet5', 'numClasses', numClasses);
    this.inChannels = positiveInt('LeNet5', 'inChannels', inChannels);
    this.imageSize = positiveInt('LeNet5', 'imageSize', imageSize);
    const activation = oneOf('LeNet5', 'activation', options.activation ?? 'relu', ['relu', 'tanh', 'sigmoid'] as const);
    const pool = oneOf('LeNet5', 'pool', options.pool ?? 'max', ['max', 'avg'] as const);
    // Sizes: s → s (conv, pad 2) → ⌊s/2⌋ (pool) → ⌊s/2⌋−4 (conv) → ⌊(⌊s/2⌋−4)/2⌋ (pool), which must stay ≥ 1.
    const side = Math.floor((Math.floor(imageSize / 2) - 4) / 2);
    if (side < 1) throw new ArgumentError(`LeNet5: imageSize must be at least 12 (two 5×5 convs and two 2×2 pools), got ${imageSize}`);
    const act = (): UnaryModule => activationModule(activation);
    const subsample = (): UnaryModule => (pool === 'max' ? new MaxPool2d(2) : new AvgPool2d(2));
    this.features = new Sequential(
      new Conv2d(inChannels, 6, 5, { padding: 2, dtype }), act(), subsample(),
      new Conv2d(6, 16, 5, { dtype }), act(), subsample(),
    );
    this.classifier = new Sequential(
      new Linear(16 * side * side, 120, { dtype }), act(),
      new Linear(120, 84, { dtype }), act(),
      new Linear(84, numClasses, { dtype }),
    );
  }

  forward(x: Tensor): Tensor {
    const s = this.imageSize;
    if (x.rank !== 4 || x.shape[1] !== this.inChannels || x.shape[2] !== s || x.shape[3] !== s) {
      throw new ShapeError(`LeNet5: expected input [N, ${this.inChannels}, ${s}, ${s}], got ${fmtShape(x.shape)}`);
    }
    return this.classifier.forward(this.features.forward(x).flatten(1));
  }

  override extraRepr(): string {
    return `inChannels=${this.inChannels}, numClasses=${this.numClasses}, imageSize=${this.imageSize}`;
  }
}
