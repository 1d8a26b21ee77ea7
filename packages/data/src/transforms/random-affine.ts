import type { Generator, Tensor } from '@plexus/tensor';
import { ArgumentError, getDefaultGenerator } from '@plexus/tensor';
import { sampleBilinear, sampleNearest } from './sample.js';
import type { Transform } from './transform.js';
import { asImageBatch } from './transform.js';

export interface RandomAffineOptions {
  /** Rotation in degrees, counter-clockwise as displayed: d for [-d, d], or [min, max] (default 0). */
  degrees?: number | readonly [number, number];
  /** Largest shift as fractions of [width, height]: shifts are uniform in [-tx·W, tx·W] and [-ty·H, ty·H] (default none). */
  translate?: readonly [number, number];
  /** Scale factor range [min, max] (default [1, 1]). */
  scale?: readonly [number, number];
  /** 'bilinear' (default) or 'nearest'. */
  interpolation?: 'bilinear' | 'nearest';
  /** Value of pixels that come from outside the image (default 0). */
  fill?: number;
  /** Default: @plexus/tensor's default generator at call time. */
  generator?: Generator;
}

function range(name: string, v: number | readonly [number, number], symmetric: boolean): [number, number] {
  const r: [number, number] = typeof v === 'number' ? (symmetric ? [-Math.abs(v), Math.abs(v)] : [v, v]) : [v[0], v[1]];
  if (!r.every(Number.isFinite) || r[0] > r[1]) throw new ArgumentError(`RandomAffine: ${name} must be a number or [min, max] with min ≤ max, got ${JSON.stringify(v)}`);
  return r;
}

/**
 * A random small rotation, shift and scale of each image about its centre (torchvision's
 * RandomAffine). Every output pixel is sampled from where the inverse transform puts it.
 */
export class RandomAffine implements Transform {
  readonly degrees: [number, number];
  readonly translate: [number, number];
  readonly scale: [number, number];
  readonly interpolation: 'bilinear' | 'nearest';
  readonly fill: number;
  private readonly generator: Generator | undefined;

  constructor(options: RandomAffineOptions = {}) {
    this.degrees = range('degrees', options.degrees ?? 0, true);
    const [tx, ty] = options.translate ?? [0, 0];
    if (![tx, ty].every((t) => t >= 0 && t <= 1)) throw new ArgumentError(`RandomAffine: translate fractions must be in [0, 1], got ${JSON.stringify(options.translate)}`);
    this.translate = [tx, ty];
    this.scale = range('scale', options.scale ?? [1, 1], false);
    if (this.scale[0] <= 0) throw new ArgumentError(`RandomAffine: scale must be positive, got ${JSON.stringify(options.scale)}`);
    const interpolation = options.interpolation ?? 'bilinear';
    if (interpolation !== 'bilinear' && interpolation !== 'nearest') throw new ArgumentError(`RandomAffine: interpolation must be 'bilinear' or 'nearest', got '${String(interpolation)}'`);
    this.interpolation = interpolation;
    this.fill = options.fill ?? 0;
    this.generator = options.generator;
  }

  forward(x: Tensor): Tensor {
    const { batch, n, h, w, restore } = asImageBatch('RandomAffine', x);
    // Four draws per image, always, so the stream stays aligned whatever the options.
    const u = (this.generator ?? getDefaultGenerator()).nextUniform(4 * n);
    const lerp = ([a, b]: [number, number], t: number): number => a + (b - a) * t;
    const cx = (w - 1) / 2;
    const cy = (h - 1) / 2;
    const sx = new Float64Array(n * h * w);
    const sy = new Float64Array(n * h * w);
    for (let s = 0; s < n; s++) {
      const theta = (lerp(this.degrees, u[4 * s]) * Math.PI) / 180;
      const dx = lerp([-this.translate[0] * w, this.translate[0] * w], u[4 * s + 1]);
      const dy = lerp([-this.translate[1] * h, this.translate[1] * h], u[4 * s + 2]);
      const k = lerp(this.scale, u[4 * s + 3]);
      const cos = Math.cos(theta);
      const sin = Math.sin(theta);
      // Forward (y pointing down, counter-clockwise on screen): p' = k·R·(p − c) + c + d with
      // R = [[cos, sin], [−sin, cos]]; each output pixel reads from p = Rᵀ(p' − c − d)/k + c.
      for (let i = 0; i < h; i++) {
        for (let j = 0; j < w; j++) {
          const ox = j - cx - dx;
          const oy = i - cy - dy;
          const q = (s * h + i) * w + j;
          sx[q] = (cos * ox - sin * oy) / k + cx;
          sy[q] = (sin * ox + cos * oy) / k + cy;
        }
      }
    }
    const coords = { sx, sy };
    return restore(this.interpolation === 'nearest' ? sampleNearest(batch, coords, this.fill) : sampleBilinear(batch, coords, this.fill));
  }
}
