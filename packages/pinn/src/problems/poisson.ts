import type { Tensor } from '@plexus/tensor';
import type { Box } from '../domain.js';
import { box } from '../domain.js';
import { derivative } from '../derivatives.js';
import type { ResidualFn } from '../trainer.js';

/** A 1-D Poisson problem −u″ = f on an interval with Dirichlet ends, and its exact solution. */
export interface Poisson1dProblem {
  domain: Box;
  /** u″ + f: zero where u solves the equation. */
  residual: ResidualFn;
  source: (x: Tensor) => Tensor;
  /** u at the two ends (lower, upper). */
  boundaryValues: readonly [number, number];
  exact: (x: number) => number;
  /** The second derivatives the residual uses (u″), for PINNOptions.forwardDerivatives. */
  secondDerivatives: readonly (readonly [number, number])[];
}

/**
 * −u″ = π²·sin(πx) on [0, 1] with u(0) = u(1) = 0, whose solution is u = sin(πx): the smallest
 * PINN that needs a second derivative.
 */
export function poisson1d(): Poisson1dProblem {
  const source = (x: Tensor): Tensor => x.mul(Math.PI).sin().mul(Math.PI ** 2);
  return {
    domain: box([0], [1]),
    residual: (u, x) => derivative(u, x, 2).add(source(x)),
    source,
    boundaryValues: [0, 0],
    exact: (x) => Math.sin(Math.PI * x),
    secondDerivatives: [[0, 0]],
  };
}
