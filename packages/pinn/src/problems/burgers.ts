import type { Tensor } from '@plexus/tensor';
import { ArgumentError } from '@plexus/tensor';
import type { Box } from '../domain.js';
import { box } from '../domain.js';
import { partials } from '../derivatives.js';
import type { ResidualFn } from '../trainer.js';
import { burgersExact } from '../reference/burgers.js';

/** Viscous Burgers on (t, x) ∈ [0, T] × [−1, 1] with u(0, x) = −sin(πx) and u(t, ±1) = 0. */
export interface BurgersProblem {
  /** Columns (t, x). */
  domain: Box;
  nu: number;
  /** u_t + u·u_x − ν·u_xx. */
  residual: ResidualFn;
  /** u(0, x) = −sin(πx), from points [M, 2] (the x column is used). */
  initial: (points: Tensor) => Tensor;
  /** u on x = ±1. */
  boundaryValue: number;
  /** The exact solution (Hopf–Cole with Gauss–Hermite quadrature). */
  exact: (t: number, x: number) => number;
  /** The second derivatives the residual uses (u_xx), for PINNOptions.forwardDerivatives. */
  secondDerivatives: readonly (readonly [number, number])[];
}

export interface BurgersOptions {
  /** Viscosity (default 0.01/π, Raissi et al.'s benchmark, which forms a shock-like front at x = 0). */
  nu?: number;
  /** Final time (default 1). */
  tMax?: number;
  /** Gauss–Hermite nodes of the reference solution (default 256). */
  quadratureNodes?: number;
}

/** The Burgers benchmark of PINNs (Raissi, Perdikaris & Karniadakis, 2019, §3.1). */
export function burgers(options: BurgersOptions = {}): BurgersProblem {
  const nu = options.nu ?? 0.01 / Math.PI;
  const tMax = options.tMax ?? 1;
  if (!(nu > 0 && Number.isFinite(nu))) throw new ArgumentError(`burgers: nu must be a positive number, got ${nu}`);
  const nodes = options.quadratureNodes ?? 256;
  return {
    domain: box([0, -1], [tMax, 1]),
    nu,
    residual: (u, x) => {
      const d = partials(u, x, { t: [0], x: [1], xx: [1, 1] });
      return d.t.add(u.mul(d.x)).sub(d.xx.mul(nu));
    },
    initial: (points) => points.narrow(1, 1, 1).mul(Math.PI).sin().neg(),
    boundaryValue: 0,
    exact: (t, x) => burgersExact(t, x, { nu, nodes }),
    secondDerivatives: [[1, 1]],
  };
}
