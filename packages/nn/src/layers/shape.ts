import type { Tensor } from '@plexus/tensor';
import { Module } from '../module.js';

/** Flattens dims startDim..endDim into one (torch.nn.Flatten); by default all but the batch dim. */
export class Flatten extends Module {
  readonly startDim: number;
  readonly endDim: number;

  constructor(startDim = 1, endDim = -1) {
    super();
    this.startDim = startDim;
    this.endDim = endDim;
  }

  forward(x: Tensor): Tensor {
    return x.flatten(this.startDim, this.endDim);
  }

  override extraRepr(): string {
    return `startDim=${this.startDim}, endDim=${this.endDim}`;
  }
}

/** Returns its input (torch.nn.Identity): a placeholder, e.g. to remove a layer from a model. */
export class Identity extends Module {
  forward(x: Tensor): Tensor {
    return x;
  }
}
