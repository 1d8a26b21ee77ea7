import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError, tensor } from '@plexus/tensor';
import { kMeans } from '../src/index.js';
import { rows } from './helpers.js';

/** Three tight square clusters of 4 points around (0, 0), (10, 0) and (0, 10). */
function blobs(): number[][] {
  const out: number[][] = [];
  for (const [cx, cy] of [[0, 0], [10, 0], [0, 10]]) {
    for (const [dx, dy] of [[-1, -1], [1, -1], [-1, 1], [1, 1]]) out.push([cx + dx * 0.5, cy + dy * 0.5]);
  }
  return out;
}

describe('kMeans', () => {
  it('finds the centres of well-separated clusters, with labels and inertia', () => {
    const r = kMeans(tensor(blobs(), { dtype: 'float64' }), 3, { seed: 0 });
    const centres = rows(r.centroids).map(([x, y]) => `${x},${y}`).sort();
    expect(centres).toEqual(['0,0', '0,10', '10,0']);
    // Each cluster's points share a label, and the three labels differ.
    const labels = Array.from(r.labels);
    expect(new Set([labels[0], labels[4], labels[8]]).size).toBe(3);
    for (let c = 0; c < 3; c++) expect(new Set(labels.slice(4 * c, 4 * c + 4)).size).toBe(1);
    // Every point is 0.5·√2 from its centre: inertia 12·0.5.
    expect(r.inertia).toBeCloseTo(6, 12);
    expect(r.iterations).toBeLessThanOrEqual(3);
  });

  it('solves a 1-D example by hand and accepts plain arrays', () => {
    const r = kMeans([[0], [1], [10], [11]], 2, { seed: 3 });
    expect(rows(r.centroids).map(([v]) => v).sort((a, b) => a - b)).toEqual([0.5, 10.5]);
    expect(r.inertia).toBeCloseTo(1, 12);
    expect(r.centroids.dtype).toBe('float64');
    expect(kMeans(tensor([[0], [1], [10], [11]]), 2, { seed: 3 }).centroids.dtype).toBe('float32');
  });

  it('is deterministic for a seed, and k = N puts a centre on every point', () => {
    const pts = Array.from({ length: 30 }, (_, i) => [Math.sin(i * 1.7) * 3, Math.cos(i * 2.3) * 2]);
    const a = kMeans(pts, 5, { seed: 11 });
    expect(rows(kMeans(pts, 5, { seed: 11 }).centroids)).toEqual(rows(a.centroids));
    const all = kMeans(pts, 30, { seed: 1 });
    expect(all.inertia).toBe(0);
    expect(new Set(Array.from(all.labels)).size).toBe(30);
  });

  it('keeps every cluster non-empty when points repeat', () => {
    const r = kMeans([[0], [0], [0], [0], [5]], 3, { seed: 2 });
    expect(new Set(Array.from(r.labels)).size).toBeGreaterThanOrEqual(2);
    expect(rows(r.centroids).every(([v]) => Number.isFinite(v))).toBe(true);
  });

  it('rejects k larger than the data and other bad input', () => {
    expect(() => kMeans([[0], [1]], 3)).toThrow(ArgumentError);
    expect(() => kMeans([[0], [1]], 3)).toThrow('kMeans: k = 3 is larger than the number of points (2); use at most 2 clusters');
    expect(() => kMeans([[0], [1]], 0)).toThrow(/k must be a positive integer/);
    expect(() => kMeans([[0], [1]], 1, { maxIter: 0 })).toThrow(/maxIter/);
    expect(() => kMeans([[0], [1]], 1, { tol: -1 })).toThrow(/tol/);
    expect(() => kMeans([[0, 1], [1]], 1)).toThrow(ShapeError);
    expect(() => kMeans(tensor([1, 2, 3]), 1)).toThrow(/expected points of shape \[N, d\], got \[3\]/);
    expect(() => kMeans([[0], [NaN]], 1)).toThrow(/point 1 has a non-finite coordinate/);
  });
});
