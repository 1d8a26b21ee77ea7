import type { Tensor } from '@plexus/tensor';
import { fromData, gather, where } from '@plexus/tensor';

/**
 * Resampling by a per-pixel source map, computed on the host (small: N×H×W numbers) and applied
 * with one gather per tap on the tensor's backend, so augmentation runs wherever the data lives.
 */

/** out[n,c,p] = x[n,c,index[n,p]] where valid[n,p], else fill; x is [N,C,H,W], out [N,C,outH,outW]. */
export function gatherPixels(x: Tensor, index: Int32Array, valid: Uint8Array, outH: number, outW: number, fill: number): Tensor {
  const [n, c, h, w] = x.shape;
  const p = outH * outW;
  const flat = x.reshape([n, c, h * w]);
  const idx = fromData('gatherPixels', index, [n, 1, p], { backend: x.backend }).expand([n, c, p]);
  let out = gather(flat, 2, idx);
  if (valid.some((v) => v === 0)) out = where(fromData('gatherPixels', valid, [n, 1, p], { backend: x.backend }), out, fill);
  return out.reshape([n, c, outH, outW]);
}

/** Source coordinates (in pixels, x = column, y = row) for every output pixel of every sample. */
export interface SourceCoords {
  sx: Float64Array;
  sy: Float64Array;
}

/** Nearest-neighbour sampling at fractional source coordinates; outside the image is fill. */
export function sampleNearest(x: Tensor, coords: SourceCoords, fill: number): Tensor {
  const [n, , h, w] = x.shape;
  const p = h * w;
  const index = new Int32Array(n * p);
  const valid = new Uint8Array(n * p);
  for (let k = 0; k < n * p; k++) {
    const cx = Math.round(coords.sx[k]);
    const cy = Math.round(coords.sy[k]);
    if (cx >= 0 && cx < w && cy >= 0 && cy < h) {
      index[k] = cy * w + cx;
      valid[k] = 1;
    }
  }
  return gatherPixels(x, index, valid, h, w, fill);
}

/**
 * Bilinear sampling: each output is the weighted sum of its four neighbouring source pixels;
 * neighbours outside the image contribute `fill` with their weight.
 */
export function sampleBilinear(x: Tensor, coords: SourceCoords, fill: number): Tensor {
  const [n, c, h, w] = x.shape;
  const p = h * w;
  const taps = [0, 1, 2, 3].map(() => ({ index: new Int32Array(n * p), weight: new Float32Array(n * p) }));
  const fillWeight = new Float32Array(n * p);
  for (let k = 0; k < n * p; k++) {
    const x0 = Math.floor(coords.sx[k]);
    const y0 = Math.floor(coords.sy[k]);
    const fx = coords.sx[k] - x0;
    const fy = coords.sy[k] - y0;
    const corners: [number, number, number][] = [
      [x0, y0, (1 - fx) * (1 - fy)],
      [x0 + 1, y0, fx * (1 - fy)],
      [x0, y0 + 1, (1 - fx) * fy],
      [x0 + 1, y0 + 1, fx * fy],
    ];
    corners.forEach(([cx, cy, wt], t) => {
      if (cx >= 0 && cx < w && cy >= 0 && cy < h) {
        taps[t].index[k] = cy * w + cx;
        taps[t].weight[k] = wt;
      } else fillWeight[k] += wt;
    });
  }
  const flat = x.reshape([n, c, p]);
  const weightOf = (data: Float32Array): Tensor => fromData('sampleBilinear', data, [n, 1, p], { backend: x.backend }).cast(x.dtype);
  let out: Tensor | null = null;
  for (const tap of taps) {
    const idx = fromData('sampleBilinear', tap.index, [n, 1, p], { backend: x.backend }).expand([n, c, p]);
    const term = gather(flat, 2, idx).mul(weightOf(tap.weight));
    out = out ? out.add(term) : term;
  }
  if (fill !== 0 && fillWeight.some((v) => v !== 0)) out = out!.add(weightOf(fillWeight).mul(fill));
  return out!.reshape([n, c, h, w]);
}
