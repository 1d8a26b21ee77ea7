import { describe, expect, it } from 'vitest';
import { ArgumentError } from '@plexus/tensor';
import { makeBlobs, makeMoons, makeNoisySine, makeSpirals, trainValTestSplit } from '../src/index.js';
import { expectClose, expectError, values } from './helpers.js';

describe('makeMoons', () => {
  it('without noise or shuffle gives the two half circles exactly', () => {
    const { x, y } = makeMoons(6, { shuffle: false });
    expect(x.shape).toEqual([6, 2]);
    expect(x.dtype).toBe('float32');
    expect(y.dtype).toBe('int32');
    expect(values(y)).toEqual([0, 0, 0, 1, 1, 1]);
    // t = 0, π/2, π: outer (cos t, sin t), inner (1 − cos t, 0.5 − sin t).
    expectClose(values(x), [1, 0, 0, 1, -1, 0, 0, 0.5, 1, -0.5, 2, 0.5], 1e-6);
  });

  it('is seeded, shuffled and noisy on request', () => {
    const a = makeMoons(100, { noise: 0.1, seed: 1 });
    const b = makeMoons(100, { noise: 0.1, seed: 1 });
    expect(values(a.x)).toEqual(values(b.x));
    expect(values(a.x)).not.toEqual(values(makeMoons(100, { noise: 0.1, seed: 2 }).x));
    expect(values(a.y).filter((v) => v === 1).length).toBe(50);
    expect(values(a.y).slice(0, 10)).not.toEqual(Array(10).fill(0));
  });

  it('works with trainValTestSplit', () => {
    const { y } = makeMoons(200, { noise: 0.2 });
    const s = trainValTestSplit(200, { stratify: y });
    expect(s.val.filter((i) => values(y)[i] === 1).length).toBe(10);
  });
});

describe('makeSpirals', () => {
  it('puts each class on its own arm at radius i/(m−1)', () => {
    const { x, y } = makeSpirals(300, { classes: 3, noise: 0, seed: 0 });
    expect(x.shape).toEqual([300, 2]);
    const px = values(x);
    const labels = values(y);
    expect([0, 1, 2].map((c) => labels.filter((l) => l === c).length)).toEqual([100, 100, 100]);
    // Without noise, angle = 2πk/3 + 4r with r = |p|; check every point.
    for (let i = 0; i < 300; i++) {
      const [a, b] = [px[2 * i], px[2 * i + 1]];
      const r = Math.hypot(a, b);
      if (r < 1e-6) continue;
      const theta = (2 * Math.PI * labels[i]) / 3 + 4 * r;
      expect(Math.abs(a - r * Math.sin(theta)) + Math.abs(b - r * Math.cos(theta))).toBeLessThan(1e-5);
    }
  });

  it('rejects bad options', () => {
    expectError(() => makeSpirals(10, { classes: 0 }), ArgumentError, 'classes');
    expectError(() => makeSpirals(2, { classes: 3 }), ArgumentError, 'n must be an integer ≥ 3');
  });
});

describe('makeBlobs', () => {
  it('scatters points around the given centers', () => {
    const centers = [[0, 0], [10, 10]];
    const { x, y } = makeBlobs(2000, { centers, std: 0.5, seed: 2 });
    const px = values(x);
    const labels = values(y);
    for (const k of [0, 1]) {
      const idx = labels.map((l, i) => (l === k ? i : -1)).filter((i) => i >= 0);
      expect(idx.length).toBe(1000);
      const mx = idx.reduce((s, i) => s + px[2 * i], 0) / idx.length;
      const sx = Math.sqrt(idx.reduce((s, i) => s + (px[2 * i] - mx) ** 2, 0) / idx.length);
      expect(Math.abs(mx - centers[k][0])).toBeLessThan(0.05);
      expect(Math.abs(sx - 0.5)).toBeLessThan(0.05);
    }
  });

  it('draws random centers in the box, deterministically', () => {
    const a = makeBlobs(30, { centers: 3, dims: 4, seed: 5 });
    expect(a.x.shape).toEqual([30, 4]);
    expect(a.centers.length).toBe(3);
    expect(a.centers.flat().every((v) => v >= -10 && v <= 10)).toBe(true);
    expect(makeBlobs(30, { centers: 3, dims: 4, seed: 5 }).centers).toEqual(a.centers);
    expectError(() => makeBlobs(10, { centers: [[0], [1, 2]] }), ArgumentError, 'one dimension');
  });
});

describe('makeNoisySine', () => {
  it('gives y = sin x without noise, x in the range', () => {
    const { x, y } = makeNoisySine(50, { noise: 0, seed: 1 });
    expect(x.shape).toEqual([50, 1]);
    expect(y.dtype).toBe('float32');
    const xs = values(x);
    expect(xs.every((v) => v >= -Math.PI && v <= Math.PI)).toBe(true);
    expectClose(values(y), xs.map(Math.sin), 1e-6);
  });

  it('adds noise of the given std', () => {
    const { x, y } = makeNoisySine(5000, { noise: 0.3, seed: 2, range: [0, 1] });
    const xs = values(x);
    const r = values(y).map((v, i) => v - Math.sin(xs[i]));
    const std = Math.sqrt(r.reduce((s, v) => s + v * v, 0) / r.length);
    expect(Math.abs(std - 0.3)).toBeLessThan(0.02);
    expectError(() => makeNoisySine(5, { range: [1, 0] }), ArgumentError, 'range');
  });
});
