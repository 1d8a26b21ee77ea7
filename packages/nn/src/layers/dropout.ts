import type { Generator, Tensor } from '@plexus/tensor';
import { ArgumentError, bernoulli } from '@plexus/tensor';
import { Module } from '../module.js';

export interface DropoutOptions {
  /** Where the random mask comes from (default: the default generator, seeded by manualSeed). */
  generator?: Generator;
}

/**
 * In training mode, zeroes each element with probability p and scales the rest by 1/(1 − p), so
 * the expected value is unchanged (torch.nn.Dropout). Identity in evaluation mode.
 */
export class Dropout extends Module {
  readonly p: number;
  readonly generator: Generator | undefined;

  constructor(p = 0.5, options: DropoutOptions = {}) {
    super();
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new ArgumentError(`Dropout: p must be a probability in [0, 1], got ${String(p)}`);
    this.p = p;
    this.generator = options.generator;
  }

  forward(x: Tensor): Tensor {
    if (!this.training || this.p === 0) return x;
    // Everything dropped: zeros (still connected to x, with a zero gradient), as in PyTorch.
    if (this.p === 1) return x.mul(0);
    const dtype = x.dtype === 'float64' ? 'float64' : 'float32';
    const keep = bernoulli(1 - this.p, x.shape, { dtype, backend: x.backend, generator: this.generator });
    return x.mul(keep.mul(1 / (1 - this.p)));
  }

  override extraRepr(): string {
    return `p=${this.p}`;
  }
}
