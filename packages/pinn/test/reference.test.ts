import { describe, expect, it } from 'vitest';
import { ArgumentError } from '@plexus/tensor';
import { burgers, burgersExact, burgersExactGrid, gaussHermite } from '../src/index.js';

const NU = 0.01 / Math.PI;

/** The Hopf–Cole integrals by the trapezoid rule on a fine η grid: an independent check. */
function trapezoid(t: number, x: number): number {
  const half = 12 * Math.sqrt(4 * NU * t);
  const m = 40000;
  const a: number[] = [];
  let amax = -Infinity;
  for (let i = 0; i <= m; i++) {
    const eta = -half + (2 * half * i) / m;
    a.push(-Math.cos(Math.PI * (x - eta)) / (2 * Math.PI * NU) - (eta * eta) / (4 * NU * t));
    amax = Math.max(amax, a[i]);
  }
  let num = 0;
  let den = 0;
  for (let i = 0; i <= m; i++) {
    const eta = -half + (2 * half * i) / m;
    const e = Math.exp(a[i] - amax);
    num += Math.sin(Math.PI * (x - eta)) * e;
    den += e;
  }
  return -num / den;
}

describe('Gauss–Hermite quadrature', () => {
  it('has the known two-point rule', () => {
    const r = gaussHermite(2);
    expect(r.nodes[0]).toBeCloseTo(-Math.SQRT1_2, 15);
    expect(r.nodes[1]).toBeCloseTo(Math.SQRT1_2, 15);
    expect(r.weights[0]).toBeCloseTo(Math.sqrt(Math.PI) / 2, 15);
  });

  it('integrates polynomials of degree ≤ 2n − 1 against e^(−s²) exactly', () => {
    // ∫ s^(2k) e^(−s²) ds = Γ(k + 1/2) = √π·(2k − 1)!!/2^k.
    const moment = (k: number): number => {
      let v = Math.sqrt(Math.PI);
      for (let j = 1; j <= k; j++) v *= (2 * j - 1) / 2;
      return v;
    };
    const r = gaussHermite(6);
    for (let k = 0; k <= 5; k++) {
      const q = r.nodes.reduce((s, x, i) => s + r.weights[i] * x ** (2 * k), 0);
      expect(q / moment(k)).toBeCloseTo(1, 12);
      const odd = r.nodes.reduce((s, x, i) => s + r.weights[i] * x ** (2 * k + 1), 0);
      expect(Math.abs(odd)).toBeLessThan(1e-12);
    }
  });

  it('stays accurate for many nodes (weights sum to √π, nodes distinct and sorted)', () => {
    for (const n of [100, 256, 500]) {
      const r = gaussHermite(n);
      expect(r.weights.reduce((a, b) => a + b, 0) / Math.sqrt(Math.PI)).toBeCloseTo(1, 12);
      for (let i = 1; i < n; i++) expect(r.nodes[i]).toBeGreaterThan(r.nodes[i - 1]);
      // The outermost weight is about e^(−s²): log w stays finite where w itself underflows.
      expect(Math.abs(r.logWeights[0] + r.nodes[0] ** 2)).toBeLessThan(Math.log(n) + 5);
    }
    expect(gaussHermite(500).weights[0]).toBe(0);
    expect(Number.isFinite(gaussHermite(500).logWeights[0])).toBe(true);
    expect(() => gaussHermite(0)).toThrow(ArgumentError);
  });
});

describe('Burgers reference (Hopf–Cole)', () => {
  it('starts at −sin(πx), is odd in x, and vanishes at x = 0 and x = ±1', () => {
    expect(burgersExact(0, 0.3)).toBe(-Math.sin(0.3 * Math.PI));
    expect(Math.abs(burgersExact(1e-6, 0.3) + Math.sin(0.3 * Math.PI))).toBeLessThan(1e-4);
    for (const t of [0.1, 0.25, 0.5, 1]) {
      expect(Math.abs(burgersExact(t, 0))).toBeLessThan(1e-15);
      expect(Math.abs(burgersExact(t, 1))).toBeLessThan(1e-12);
      expect(Math.abs(burgersExact(t, -1))).toBeLessThan(1e-12);
      expect(burgersExact(t, -0.37)).toBeCloseTo(-burgersExact(t, 0.37), 14);
    }
  });

  it('agrees with a fine trapezoid rule and does not change with more nodes', () => {
    for (const [t, x] of [[0.05, 0.4], [0.3, -0.02], [0.5, 0.01], [0.75, -0.3], [1, 0.5], [1, 0.004]]) {
      const u = burgersExact(t, x);
      expect(Math.abs(u - trapezoid(t, x))).toBeLessThan(1e-10);
      expect(Math.abs(u - burgersExact(t, x, { nodes: 500 }))).toBeLessThan(1e-12);
    }
  });

  it("reproduces Basdevant et al.'s steepest slope: max |u_x(t, 0)| = 152.00516 at t = 1.6037/π", () => {
    const slope = (t: number): number => (burgersExact(t, 1e-6) - burgersExact(t, -1e-6)) / 2e-6;
    let best = 0;
    let at = 0;
    for (let t = 0.5; t <= 0.52; t += 0.0001) {
      const s = Math.abs(slope(t));
      if (s > best) [best, at] = [s, t];
    }
    expect(best).toBeCloseTo(152.00516, 3);
    expect(at * Math.PI).toBeCloseTo(1.6037, 3);
    // The front: u jumps from about +0.87 to −0.87 within |x| < 0.02 at t = 0.5.
    expect(burgersExact(0.5, -0.02)).toBeGreaterThan(0.8);
    expect(burgersExact(0.5, 0.02)).toBeLessThan(-0.8);
  });

  it('the problem definition carries the same reference, and the grid helper is row-major in t', () => {
    const p = burgers();
    expect(p.nu).toBeCloseTo(NU, 15);
    expect(p.exact(0.4, 0.2)).toBe(burgersExact(0.4, 0.2));
    const g = burgersExactGrid([0, 0.5], [-0.5, 0, 0.5]);
    const xs = [-0.5, 0, 0.5];
    expect(Array.from(g)).toEqual([...xs.map((x) => burgersExact(0, x)), ...xs.map((x) => burgersExact(0.5, x))]);
    expect(() => burgersExact(-1, 0)).toThrow(ArgumentError);
    expect(() => burgers({ nu: 0 })).toThrow(/nu must be a positive number/);
  });
});
