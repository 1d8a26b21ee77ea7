import { describe, expect, it } from 'vitest';
import { ArgumentError, Generator } from '@plexus/tensor';
import { box, sampleBoundary, sampleCollocation, sampleGrid, sampleInitial, sampleLatinHypercube, sampleUniform } from '../src/index.js';
import { rows } from './helpers.js';

const domain = box([0, -1], [1, 1]);

describe('collocation sampling', () => {
  it('uniform points lie in the box, are reproducible by seed and differ between seeds', () => {
    const a = sampleUniform(domain, 500, { seed: 7, dtype: 'float64' });
    expect(a.shape).toEqual([500, 2]);
    expect(a.dtype).toBe('float64');
    for (const [t, x] of rows(a)) {
      expect(t >= 0 && t < 1 && x >= -1 && x < 1).toBe(true);
    }
    expect(rows(sampleUniform(domain, 500, { seed: 7, dtype: 'float64' }))).toEqual(rows(a));
    expect(rows(sampleUniform(domain, 500, { seed: 8, dtype: 'float64' }))).not.toEqual(rows(a));
    // Both halves of each axis get points (mean near the centre).
    const mean = rows(a).reduce((s, [t, x]) => [s[0] + t / 500, s[1] + x / 500], [0, 0]);
    expect(Math.abs(mean[0] - 0.5)).toBeLessThan(0.06);
    expect(Math.abs(mean[1])).toBeLessThan(0.12);
  });

  it('a Latin hypercube puts exactly one point in each of the n strata of every axis', () => {
    const n = 40;
    const pts = rows(sampleLatinHypercube(domain, n, { seed: 3, dtype: 'float64' }));
    for (let dim = 0; dim < 2; dim++) {
      const lo = domain.lower[dim];
      const width = domain.upper[dim] - lo;
      const strata = pts.map((p) => Math.floor(((p[dim] - lo) / width) * n)).sort((a, b) => a - b);
      expect(strata).toEqual(Array.from({ length: n }, (_, i) => i));
    }
  });

  it('a grid enumerates the corners with the last dimension fastest', () => {
    const g = sampleGrid(domain, [2, 3], { dtype: 'float64' });
    expect(rows(g)).toEqual([[0, -1], [0, 0], [0, 1], [1, -1], [1, 0], [1, 1]]);
    expect(rows(sampleGrid(box([2], [4]), 5))).toEqual([[2], [2.5], [3], [3.5], [4]]);
    expect(sampleCollocation(domain, 100, { method: 'grid' }).shape).toEqual([100, 2]);
    expect(sampleCollocation(domain, 10, { method: 'uniform', seed: 1 }).shape).toEqual([10, 2]);
  });

  it('boundary points lie on the chosen faces, shared evenly', () => {
    const b = rows(sampleBoundary(domain, 10, { dims: [1], seed: 2, dtype: 'float64' }));
    expect(b.filter(([, x]) => x === -1)).toHaveLength(5);
    expect(b.filter(([, x]) => x === 1)).toHaveLength(5);
    for (const [t] of b) expect(t >= 0 && t < 1).toBe(true);
    // All four faces of a square, 3 + 3 + 2 + 2 points.
    const all = rows(sampleBoundary(box([0, 0], [1, 2]), 10, { seed: 1, dtype: 'float64' }));
    const counts = [all.filter((p) => p[0] === 0).length, all.filter((p) => p[0] === 1).length, all.filter((p) => p[1] === 0).length, all.filter((p) => p[1] === 2).length];
    expect(counts).toEqual([3, 3, 2, 2]);
    // The two ends of an interval, evenly spaced along a face with 'grid'.
    expect(rows(sampleBoundary(box([0], [1]), 2))).toEqual([[0], [1]]);
    expect(rows(sampleBoundary(domain, 6, { dims: [1], method: 'grid' }))).toEqual([[0, -1], [0.5, -1], [1, -1], [0, 1], [0.5, 1], [1, 1]]);
  });

  it('initial points lie on t = t0', () => {
    const g = new Generator(5);
    const p = rows(sampleInitial(domain, 8, { generator: g, dtype: 'float64' }));
    for (const [t, x] of p) {
      expect(t).toBe(0);
      expect(x >= -1 && x < 1).toBe(true);
    }
    expect(rows(sampleInitial(domain, 3, { method: 'grid', dim: 1 }))).toEqual([[0, -1], [0.5, -1], [1, -1]]);
  });

  it('rejects bad domains, counts, dims and options', () => {
    expect(() => box([0, 1], [1, 1])).toThrow(/needs finite lower\[1\] < upper\[1\], got 1 and 1/);
    expect(() => box([0], [1, 2])).toThrow(ArgumentError);
    expect(() => sampleUniform(domain, 0)).toThrow(/number of points must be an integer >= 1, got 0/);
    expect(() => sampleLatinHypercube(domain, 2.5)).toThrow(ArgumentError);
    expect(() => sampleGrid(domain, [2])).toThrow(/expected 2 counts/);
    expect(() => sampleBoundary(domain, 4, { dims: [2] })).toThrow(/dimension 2 is out of range/);
    expect(() => sampleBoundary(domain, 4, { dims: [1, 1] })).toThrow(/twice/);
    expect(() => sampleInitial(domain, 4, { dim: -1 })).toThrow(ArgumentError);
    expect(() => sampleUniform(domain, 4, { seed: 1, generator: new Generator(1) })).toThrow(/seed or a generator, not both/);
    expect(() => sampleUniform(domain, 4, { dtype: 'int32' })).toThrow(/dtype must be float32 or float64/);
    expect(() => sampleCollocation(domain, 4, { method: 'sobol' as 'lhs' })).toThrow(/method must be/);
  });
});
