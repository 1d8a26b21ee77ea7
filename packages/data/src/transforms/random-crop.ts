import type { Generator, Tensor } from '@plexus/tensor';
import { ArgumentError, ShapeError, getDefaultGenerator } from '@plexus/tensor';
import { gatherPixels } from './sample.js';
import type { Transform } from './transform.js';
import { asImageBatch } from './transform.js';

export interface RandomCropOptions {
  /** Pixels of `fill` added on every side before cropping (default 0). */
  padding?: number;
  /** The padding value (default 0). */
  fill?: number;
  /** Default: @plexus/tensor's default generator at call time. */
  generator?: Generator;
}

/**
 * Crops a random size×size (or [h, w]) window of each image, after padding it (torchvision's
 * RandomCrop). Each image of a batch gets its own offset.
 */
export class RandomCrop implements Transform {
  readonly size: [number, number];
  readonly padding: number;
  readonly fill: number;
  private readonly generator: Generator | undefined;

  constructor(size: number | readonly [number, number], options: RandomCropOptions = {}) {
    const [h, w] = typeof size === 'number' ? [size, size] : size;
    if (![h, w].every((v) => Number.isInteger(v) && v > 0)) throw new ArgumentError(`RandomCrop: size must be positive integers, got ${JSON.stringify(size)}`);
    const { padding = 0, fill = 0, generator } = options;
    if (!Number.isInteger(padding) || padding < 0) throw new ArgumentError(`RandomCrop: padding must be a non-negative integer, got ${padding}`);
    this.size = [h, w];
    this.padding = padding;
    this.fill = fill;
    this.generator = generator;
  }

  forward(x: Tensor): Tensor {
    const { batch, n, h, w, restore } = asImageBatch('RandomCrop', x);
    const [oh, ow] = this.size;
    const p = this.padding;
    if (oh > h + 2 * p || ow > w + 2 * p) {
      throw new ShapeError(`RandomCrop: cannot crop ${oh}x${ow} from a ${h}x${w} image with padding ${p}`);
    }
    const u = (this.generator ?? getDefaultGenerator()).nextUniform(2 * n);
    const index = new Int32Array(n * oh * ow);
    const valid = new Uint8Array(n * oh * ow);
    for (let s = 0; s < n; s++) {
      const top = Math.floor(u[2 * s] * (h + 2 * p - oh + 1)) - p;
      const left = Math.floor(u[2 * s + 1] * (w + 2 * p - ow + 1)) - p;
      for (let i = 0; i < oh; i++) {
        for (let j = 0; j < ow; j++) {
          const y = top + i;
          const xx = left + j;
          const k = (s * oh + i) * ow + j;
          if (y >= 0 && y < h && xx >= 0 && xx < w) {
            index[k] = y * w + xx;
            valid[k] = 1;
          }
        }
      }
    }
    return restore(gatherPixels(batch, index, valid, oh, ow, this.fill));
  }
}
