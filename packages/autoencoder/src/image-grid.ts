import type { Tensor } from '@plexus/tensor';
import { ArgumentError, BackendError, ShapeError, fmtShape, isTensor } from '@plexus/tensor';
import type { Image } from './png.js';

/** Pixel values with their shape [N, C, H, W] or [N, H, W] (C = 1 or 3). */
export interface PixelData {
  data: ArrayLike<number>;
  shape: readonly number[];
}

export interface ImageGridOptions {
  /** Images per row (default 8, as torchvision's make_grid). */
  nrow?: number;
  /** Pixels between and around the images (default 2). */
  padding?: number;
  /** Brightness of the padding in [0, 1] (default 0.5, grey, which separates dark and light digits alike). */
  padValue?: number;
  /** The values shown black and white (default [0, 1]; tanh outputs use [-1, 1]); values outside are clamped. */
  range?: [number, number];
  /** Each pixel drawn as scale×scale pixels (default 1). */
  scale?: number;
}

function pixelsOf(images: Tensor | PixelData): PixelData {
  if (isTensor(images)) {
    if (!images.backend.readSync) throw new BackendError(`imageGrid: backend '${images.backend.name}' cannot read synchronously; pass { data: await t.data(), shape: t.shape }`);
    return { data: images.dataSync() as ArrayLike<number>, shape: images.shape };
  }
  if (images === null || typeof images !== 'object' || !Array.isArray(images.shape) || typeof images.data?.length !== 'number') {
    throw new ArgumentError('imageGrid: expected a Tensor [N, C, H, W] or { data, shape }');
  }
  return images;
}

function intIn(name: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new ArgumentError(`imageGrid: ${name} must be an integer >= ${min}, got ${String(v)}`);
  return v;
}

/**
 * Tiles a batch of images into one picture (torchvision's make_grid): `nrow` images per row with
 * `padding` pixels between them, values mapped from `range` to 0..255. Grey images [N, 1, H, W]
 * or [N, H, W] give a grey picture, [N, 3, H, W] an RGB one. Write it with encodePng / savePng.
 */
export function imageGrid(images: Tensor | PixelData, options: ImageGridOptions = {}): Image {
  const { data, shape } = pixelsOf(images);
  const dims = shape.length === 3 ? [shape[0], 1, shape[1], shape[2]] : [...shape];
  if (dims.length !== 4 || (dims[1] !== 1 && dims[1] !== 3) || dims.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new ShapeError(`imageGrid: expected images [N, 1 or 3, H, W] or [N, H, W], got ${fmtShape(shape)}`);
  }
  const [n, c, h, w] = dims;
  if (data.length !== n * c * h * w) throw new ShapeError(`imageGrid: ${data.length} values for shape ${fmtShape(shape)}`);
  const nrow = Math.min(n, intIn('nrow', options.nrow ?? 8, 1));
  const padding = intIn('padding', options.padding ?? 2, 0);
  const scale = intIn('scale', options.scale ?? 1, 1);
  const padValue = options.padValue ?? 0.5;
  if (typeof padValue !== 'number' || !(padValue >= 0 && padValue <= 1)) throw new ArgumentError(`imageGrid: padValue must be in [0, 1], got ${String(padValue)}`);
  const [lo, hi] = options.range ?? [0, 1];
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && hi > lo)) throw new ArgumentError(`imageGrid: range must be [low, high] with low < high, got [${String(lo)}, ${String(hi)}]`);
  const rows = Math.ceil(n / nrow);
  const cellW = w * scale + padding;
  const cellH = h * scale + padding;
  const width = nrow * cellW + padding;
  const height = rows * cellH + padding;
  const out = new Uint8Array(width * height * c).fill(Math.round(padValue * 255));
  const toByte = (v: number): number => Math.round(Math.min(1, Math.max(0, (v - lo) / (hi - lo))) * 255);
  for (let k = 0; k < n; k++) {
    const x0 = padding + (k % nrow) * cellW;
    const y0 = padding + Math.floor(k / nrow) * cellH;
    for (let ch = 0; ch < c; ch++) {
      const base = (k * c + ch) * h * w;
      for (let y = 0; y < h * scale; y++) {
        const row = ((y0 + y) * width + x0) * c + ch;
        const src = base + Math.floor(y / scale) * w;
        for (let x = 0; x < w * scale; x++) out[row + x * c] = toByte(data[src + Math.floor(x / scale)]);
      }
    }
  }
  return { width, height, channels: c as 1 | 3, data: out };
}
