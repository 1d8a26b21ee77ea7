import { PlexusError } from '@plexus/tensor';

/**
 * A loss term of a PINN became NaN or ±Infinity. Names the term (a PDE residual or a condition)
 * and the step, so a diverging run stops with the place it broke instead of training on NaN.
 */
export class NonFiniteLossError extends PlexusError {
  constructor(
    readonly term: string,
    readonly step: string,
    readonly value: number,
  ) {
    super(
      `PINN: non-finite loss term '${term}' (${value}) at ${step}; the ${term} values contain NaN or Infinity. ` +
        'Lower the learning rate, check the residual for a division by zero or a log of a negative number, or train in float64.',
    );
  }
}
