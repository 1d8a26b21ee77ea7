import { ArgumentError } from '@plexus/tensor';

export interface GaussHermiteRule {
  /** Nodes sᵢ in increasing order. */
  nodes: Float64Array;
  /** Weights wᵢ: Σ wᵢ·f(sᵢ) ≈ ∫ e^(−s²) f(s) ds, exact for polynomials of degree ≤ 2n − 1. */
  weights: Float64Array;
  /** log wᵢ, finite where wᵢ underflows to 0 (large n): for sums with large integrands. */
  logWeights: Float64Array;
}

const cache = new Map<number, GaussHermiteRule>();

/**
 * Gauss–Hermite quadrature of n points. The nodes are the eigenvalues of the Jacobi matrix of the
 * Hermite polynomials (zero diagonal, off-diagonal √(k/2)), found one by one by bisection on
 * Sturm counts, which cannot miss or repeat a root; each is then polished by Newton's method on
 * the orthonormal recurrence, whose derivative gives the weight as log wᵢ = log 2 − 2·log|pₙ'|
 * (accurate in relative terms even for weights far below 1e-300). n up to 600.
 */
export function gaussHermite(n: number): GaussHermiteRule {
  if (!Number.isInteger(n) || n < 1 || n > 600) throw new ArgumentError(`gaussHermite: n must be an integer in [1, 600], got ${n}`);
  const hit = cache.get(n);
  if (hit) return hit;
  const b2 = Float64Array.from({ length: n }, (_, k) => k / 2); // squared off-diagonal, b2[k] for k = 1..n−1
  // Eigenvalues below lam, by the signs of the LDLᵀ pivots of J − lam·I.
  const countBelow = (lam: number): number => {
    let count = 0;
    let q = -lam;
    for (let k = 0; k < n; k++) {
      if (k > 0) q = -lam - b2[k] / q;
      if (q === 0) q = -1e-300;
      if (q < 0) count++;
    }
    return count;
  };
  const bound = Math.sqrt(2 * Math.max(n - 1, 1)) + 1;
  const x = new Float64Array(n);
  const logW = new Float64Array(n);
  const PIM4 = Math.PI ** -0.25;
  // The orthonormal pₙ(z) and √(2n)·pₙ₋₁(z) = pₙ'(z).
  const hermite = (z: number): [number, number] => {
    let p1 = PIM4;
    let p2 = 0;
    for (let j = 0; j < n; j++) {
      const p3 = p2;
      p2 = p1;
      p1 = z * Math.sqrt(2 / (j + 1)) * p2 - Math.sqrt(j / (j + 1)) * p3;
    }
    return [p1, Math.sqrt(2 * n) * p2];
  };
  for (let i = 0; i < n; i++) {
    // The i-th smallest eigenvalue: countBelow(lo) <= i < countBelow(hi).
    let lo = -bound;
    let hi = bound;
    for (let it = 0; it < 200 && hi - lo > 1e-15 * Math.max(1, Math.abs(lo) + Math.abs(hi)); it++) {
      const mid = (lo + hi) / 2;
      if (countBelow(mid) > i) hi = mid;
      else lo = mid;
    }
    let z = (lo + hi) / 2;
    let [p, dp] = hermite(z);
    for (let it = 0; it < 3 && dp !== 0; it++) {
      const next = z - p / dp;
      // Newton may only refine inside the bisection bracket.
      if (!(next > lo - 1e-12 && next < hi + 1e-12)) break;
      z = next;
      [p, dp] = hermite(z);
    }
    x[i] = z;
    logW[i] = Math.log(2) - 2 * Math.log(Math.abs(dp));
  }
  // Exact symmetry: the rule is even.
  for (let i = 0; i < Math.floor(n / 2); i++) {
    const z = (x[n - 1 - i] - x[i]) / 2;
    const lw = (logW[i] + logW[n - 1 - i]) / 2;
    x[i] = -z;
    x[n - 1 - i] = z;
    logW[i] = lw;
    logW[n - 1 - i] = lw;
  }
  if (n % 2 === 1) x[(n - 1) / 2] = 0;
  const rule = { nodes: x, weights: logW.map(Math.exp), logWeights: logW };
  cache.set(n, rule);
  return rule;
}
