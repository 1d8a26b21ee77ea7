import type { Tensor } from '@plexus/tensor';
import { ArgumentError, fullLike, isTensor } from '@plexus/tensor';
import { bceWithLogits } from '@plexus/nn';
import { bool, numberIn } from './options.js';

export interface DiscriminatorLossOptions {
  /**
   * One-sided label smoothing (Salimans et al., 2016): real samples get the target 1 − s instead
   * of 1, fakes keep 0 (default 0). Smoothing the fake side too would reward the generator for
   * staying away from the data, so only the real side is smoothed.
   */
  labelSmoothing?: number;
}

export interface GeneratorLossOptions {
  /**
   * true (default): the non-saturating loss −log D(G(z)), strong gradients while D rejects the
   * fakes; false: the original minimax loss log(1 − D(G(z))), which saturates early in training.
   */
  nonSaturating?: boolean;
}

function checkLogits(where: string, name: string, t: unknown): Tensor {
  if (!isTensor(t)) throw new ArgumentError(`${where}: expected ${name} to be a Tensor of logits, got ${t === null ? 'null' : typeof t}`);
  return t;
}

/**
 * The discriminator's loss on logits: BCE(D(x), 1 − s) + BCE(D(G(z)), 0), each averaged over its
 * batch: −log σ(real) − log(1 − σ(fake)) when s = 0.
 */
export function discriminatorLoss(realLogits: Tensor, fakeLogits: Tensor, options: DiscriminatorLossOptions = {}): Tensor {
  const real = checkLogits('discriminatorLoss', 'realLogits', realLogits);
  const fake = checkLogits('discriminatorLoss', 'fakeLogits', fakeLogits);
  const s = numberIn('discriminatorLoss', 'labelSmoothing', options.labelSmoothing ?? 0, 0, 1, true);
  return bceWithLogits(real, fullLike(real, 1 - s)).add(bceWithLogits(fake, fullLike(fake, 0)));
}

/** The generator's loss on the discriminator's logits for fakes, averaged over the batch. */
export function generatorLoss(fakeLogits: Tensor, options: GeneratorLossOptions = {}): Tensor {
  const fake = checkLogits('generatorLoss', 'fakeLogits', fakeLogits);
  const nonSaturating = bool('generatorLoss', 'nonSaturating', options.nonSaturating ?? true);
  // −log σ(l) = BCE(l, 1); log(1 − σ(l)) = −BCE(l, 0).
  return nonSaturating ? bceWithLogits(fake, fullLike(fake, 1)) : bceWithLogits(fake, fullLike(fake, 0)).neg();
}
