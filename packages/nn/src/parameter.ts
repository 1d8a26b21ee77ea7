import type { Tensor } from '@plexus/tensor';
import { Tensor as TensorClass, ownedCopy } from '@plexus/tensor';

/**
 * A tensor that a Module owns and an optimizer updates (torch.nn.Parameter): a leaf with
 * `requiresGrad` true. It holds its own copy of `data`, so later changes to `data` do not reach
 * it; optimizers and initializers change it in place with `assign`.
 */
export class Parameter extends TensorClass {
  constructor(data: Tensor, requiresGrad = true) {
    super(...ownedCopy(data));
    this.requiresGrad = requiresGrad;
    // Model state outlives computations: a model built inside scope() keeps its parameters
    // (as tf.tidy keeps variables). The garbage collector still frees them with the model.
    this.keep();
  }

  override toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }
}

export function isParameter(value: unknown): value is Parameter {
  return value instanceof Parameter;
}
