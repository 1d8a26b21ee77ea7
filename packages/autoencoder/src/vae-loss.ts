import type { Tensor } from '@plexus/tensor';
import { ArgumentError, ShapeError, fmtShape } from '@plexus/tensor';
import { bceWithLogits } from '@plexus/nn';
import { checkTensor, numberIn, oneOf } from './options.js';
import { gaussianKL } from './reparameterize.js';

/** How a reconstruction is scored: Bernoulli likelihood (binary cross entropy) or squared error. */
export type ReconstructionLoss = 'bce' | 'mse';

export interface VAELossOptions {
  /** 'bce' (default, for pixels in [0, 1]) or 'mse'. */
  reconstruction?: ReconstructionLoss;
  /** Weight of the KL term (β-VAE, Higgins et al. 2017; default 1, the ELBO). */
  beta?: number;
}

export interface VAELoss {
  /** reconstruction + β·kl: the negative ELBO (for β = 1) per sample, averaged over the batch. */
  loss: Tensor;
  /** Reconstruction error summed over each sample's values, averaged over the batch. */
  reconstruction: Tensor;
  /** KL(q(z|x) ‖ N(0, I)) per sample, averaged over the batch. */
  kl: Tensor;
}

/** The parts of a VAE's output the loss needs. */
export interface VAELossInput {
  logits: Tensor;
  reconstruction: Tensor;
  mu: Tensor;
  logVar: Tensor;
}

/** Sums each sample's values: [N, ...] → [N]. */
function perSample(t: Tensor): Tensor {
  return t.rank > 1 ? t.flatten(1).sum(1) : t;
}

/**
 * The VAE objective: for each sample, the reconstruction error summed over its values (BCE from
 * the logits, which is stable where sigmoid saturates, or squared error of the reconstruction)
 * plus β·KL, where KL = −0.5·Σ(1 + logVar − mu² − exp(logVar)); then the mean over the batch.
 */
export function vaeLoss(output: VAELossInput, target: Tensor, options: VAELossOptions = {}): VAELoss {
  if (output === null || typeof output !== 'object') throw new ArgumentError('vaeLoss: expected the output of VAE.forward ({ logits, reconstruction, mu, logVar })');
  checkTensor('vaeLoss', 'output.logits', output.logits);
  checkTensor('vaeLoss', 'target', target);
  const kind = oneOf('vaeLoss', 'reconstruction', options.reconstruction ?? 'bce', ['bce', 'mse'] as const);
  const beta = numberIn('vaeLoss', 'beta', options.beta ?? 1, 0, Infinity);
  const { logits } = output;
  if (logits.rank !== target.rank || logits.shape.some((d, i) => d !== target.shape[i])) {
    throw new ShapeError(`vaeLoss: target ${fmtShape(target.shape)} must have the reconstruction's shape ${fmtShape(logits.shape)}`);
  }
  const y = target.dtype === logits.dtype ? target : target.cast(logits.dtype);
  const elementwise = kind === 'bce'
    ? bceWithLogits(logits, y, { reduction: 'none' })
    : output.reconstruction.sub(y).square();
  const reconstruction = perSample(elementwise).mean();
  const kl = gaussianKL(output.mu, output.logVar, 'mean');
  return { loss: reconstruction.add(kl.mul(beta)), reconstruction, kl };
}
