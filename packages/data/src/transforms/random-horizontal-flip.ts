import type { Generator, Tensor } from '@plexus/tensor';
import { ArgumentError, fromData, getDefaultGenerator, where } from '@plexus/tensor';
import type { Transform } from './transform.js';
import { asImageBatch } from './transform.js';

/** Mirrors each image left to right with probability p (default 0.5). */
export class RandomHorizontalFlip implements Transform {
  readonly p: number;
  private readonly generator: Generator | undefined;

  constructor(p = 0.5, options: { generator?: Generator } = {}) {
    if (!(p >= 0 && p <= 1)) throw new ArgumentError(`RandomHorizontalFlip: p must be in [0, 1], got ${p}`);
    this.p = p;
    this.generator = options.generator;
  }

  forward(x: Tensor): Tensor {
    const { batch, n, restore } = asImageBatch('RandomHorizontalFlip', x);
    const u = (this.generator ?? getDefaultGenerator()).nextUniform(n);
    const flip = Uint8Array.from(u, (v) => (v < this.p ? 1 : 0));
    if (flip.every((f) => f === 0)) return x;
    const mask = fromData('RandomHorizontalFlip', flip, [n, 1, 1, 1], { backend: batch.backend });
    return restore(where(mask, batch.flip(3), batch));
  }
}
