import { ArgumentError } from '@plexus/tensor';
import { gaussHermite } from './gauss-hermite.js';

export interface BurgersReferenceOptions {
  /** Viscosity ν (default 0.01/π, the benchmark of Raissi et al.). */
  nu?: number;
  /** Gauss–Hermite nodes (default 256). */
  nodes?: number;
}

/**
 * The exact solution of viscous Burgers u_t + u·u_x = ν·u_xx on the real line with
 * u(0, x) = −sin(πx) (which is 2-periodic and odd, so u(t, ±1) = 0 holds for all t), by the
 * Hopf–Cole transformation (Basdevant et al., 1986):
 *
 *   u(t, x) = −∫ sin(π(x−η)) f(x−η) e^(−η²/4νt) dη / ∫ f(x−η) e^(−η²/4νt) dη,
 *   f(y) = exp(−cos(πy)/(2πν)),
 *
 * with η = 2√(νt)·s, both integrals by Gauss–Hermite quadrature in s. The exponents reach
 * ±1/(2πν) = ±50: the sums are taken relative to their largest term (log-sum-exp).
 */
export function burgersExact(t: number, x: number, options: BurgersReferenceOptions = {}): number {
  const nu = options.nu ?? 0.01 / Math.PI;
  if (!(nu > 0 && Number.isFinite(nu))) throw new ArgumentError(`burgersExact: nu must be a positive number, got ${nu}`);
  if (!(t >= 0 && Number.isFinite(t)) || !Number.isFinite(x)) throw new ArgumentError(`burgersExact: need t >= 0 and finite x, got t=${t}, x=${x}`);
  if (t === 0) return -Math.sin(Math.PI * x);
  const { nodes, logWeights } = gaussHermite(options.nodes ?? 256);
  const scale = 2 * Math.sqrt(nu * t);
  const k = 1 / (2 * Math.PI * nu);
  const n = nodes.length;
  const a = new Float64Array(n);
  let amax = -Infinity;
  for (let i = 0; i < n; i++) {
    a[i] = logWeights[i] - k * Math.cos(Math.PI * (x - scale * nodes[i]));
    if (a[i] > amax) amax = a[i];
  }
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.exp(a[i] - amax);
    num += Math.sin(Math.PI * (x - scale * nodes[i])) * e;
    den += e;
  }
  return -num / den;
}

/** burgersExact on every (t, x) pair of a grid: values[i·nx + j] = u(ts[i], xs[j]). */
export function burgersExactGrid(ts: readonly number[], xs: readonly number[], options: BurgersReferenceOptions = {}): Float64Array {
  const out = new Float64Array(ts.length * xs.length);
  ts.forEach((t, i) => xs.forEach((x, j) => (out[i * xs.length + j] = burgersExact(t, x, options))));
  return out;
}
