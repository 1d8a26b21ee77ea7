import { ArgumentError } from '@plexus/tensor';

/** How RBF widths are set from the centres. */
export type WidthRule = 'global' | 'nearest';

/**
 * Widths σ for k centres (row-major [k, d]):
 * - 'global': one σ = d_max/√(2k) for all (Haykin's rule: φ = exp(−k·r²/d_max²) with d_max the
 *   largest distance between centres), so the basis functions neither overlap nor leave gaps;
 * - 'nearest' (default): σ_j = the root mean square distance from centre j to its `neighbours`
 *   nearest centres (Moody & Darken), narrower where centres crowd; well conditioned for least
 *   squares (the global rule's wide functions need a tiny ridge penalty to fit well).
 * Both are multiplied by `scale`. A single centre gets σ = scale.
 */
export function widthsFromCenters(centres: Float64Array, k: number, d: number, rule: WidthRule = 'nearest', options: { neighbours?: number; scale?: number } = {}): Float64Array {
  const { neighbours = 2, scale = 1 } = options;
  if (!(scale > 0 && Number.isFinite(scale))) throw new ArgumentError(`widthsFromCenters: scale must be a positive number, got ${scale}`);
  if (!Number.isInteger(neighbours) || neighbours < 1) throw new ArgumentError(`widthsFromCenters: neighbours must be a positive integer, got ${neighbours}`);
  const out = new Float64Array(k).fill(scale);
  if (k < 2) return out;
  const dist = (i: number, j: number): number => {
    let s = 0;
    for (let c = 0; c < d; c++) s += (centres[i * d + c] - centres[j * d + c]) ** 2;
    return Math.sqrt(s);
  };
  if (rule === 'global') {
    let dmax = 0;
    for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) dmax = Math.max(dmax, dist(i, j));
    const sigma = dmax > 0 ? (scale * dmax) / Math.sqrt(2 * k) : scale;
    return out.fill(sigma);
  }
  if (rule !== 'nearest') throw new ArgumentError(`widthsFromCenters: rule must be 'global' or 'nearest', got '${String(rule)}'`);
  const p = Math.min(neighbours, k - 1);
  for (let i = 0; i < k; i++) {
    const ds: number[] = [];
    for (let j = 0; j < k; j++) if (j !== i) ds.push(dist(i, j));
    ds.sort((a, b) => a - b);
    const rms = Math.sqrt(ds.slice(0, p).reduce((s, v) => s + v * v, 0) / p);
    out[i] = rms > 0 ? scale * rms : scale;
  }
  return out;
}
