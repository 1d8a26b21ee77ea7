import type { Generator, Tensor } from '@plexus/tensor';
import { ArgumentError, getDefaultGenerator, randn } from '@plexus/tensor';
import type { Transform } from './transform.js';
import { asImageBatch } from './transform.js';

export interface GaussianNoiseOptions {
  /** Clamp the result to [min, max], e.g. [0, 1] for images (default: no clamp). */
  clip?: readonly [number, number];
  /** Default: @plexus/tensor's default generator at call time. */
  generator?: Generator;
}

/** Adds independent N(0, std²) noise to every pixel. */
export class GaussianNoise implements Transform {
  readonly std: number;
  readonly clip: readonly [number, number] | undefined;
  private readonly generator: Generator | undefined;

  constructor(std: number, options: GaussianNoiseOptions = {}) {
    if (!Number.isFinite(std) || std < 0) throw new ArgumentError(`GaussianNoise: std must be a non-negative number, got ${std}`);
    if (options.clip && !(options.clip[0] < options.clip[1])) throw new ArgumentError(`GaussianNoise: clip must be [min, max] with min < max, got ${JSON.stringify(options.clip)}`);
    this.std = std;
    this.clip = options.clip;
    this.generator = options.generator;
  }

  forward(x: Tensor): Tensor {
    asImageBatch('GaussianNoise', x);
    const noise = randn(x.shape, { dtype: x.dtype, backend: x.backend, generator: this.generator ?? getDefaultGenerator() });
    const y = x.add(noise.mul(this.std));
    return this.clip ? y.clamp(this.clip[0], this.clip[1]) : y;
  }
}
