import type { Generator, Tensor } from '@plexus/tensor';
import { ShapeError, fmtShape, randn } from '@plexus/tensor';
import { checkTensor, oneOf } from './options.js';

export interface ReparameterizeOptions {
  /** The noise ε ~ N(0, I) to use (same shape as mu); drawn from `generator` when absent. */
  eps?: Tensor;
  /** Where ε comes from (default: the generator seeded by manualSeed). */
  generator?: Generator;
}

function checkPair(where: string, mu: Tensor, logVar: Tensor): void {
  checkTensor(where, 'mu', mu);
  checkTensor(where, 'logVar', logVar);
  if (mu.rank !== logVar.rank || mu.shape.some((d, i) => d !== logVar.shape[i])) {
    throw new ShapeError(`${where}: mu ${fmtShape(mu.shape)} and logVar ${fmtShape(logVar.shape)} must have the same shape`);
  }
}

/**
 * The reparameterisation trick (Kingma & Welling, 2014): z = mu + exp(0.5·logVar)·ε with
 * ε ~ N(0, I). The randomness sits in ε, outside the graph, so z is differentiable in mu and
 * logVar: ∂z/∂mu = 1 and ∂z/∂logVar = 0.5·exp(0.5·logVar)·ε.
 */
export function reparameterize(mu: Tensor, logVar: Tensor, options: ReparameterizeOptions = {}): Tensor {
  checkPair('reparameterize', mu, logVar);
  let eps = options.eps;
  if (eps !== undefined) {
    checkTensor('reparameterize', 'eps', eps);
    if (eps.rank !== mu.rank || eps.shape.some((d, i) => d !== mu.shape[i])) {
      throw new ShapeError(`reparameterize: eps ${fmtShape(eps.shape)} must have mu's shape ${fmtShape(mu.shape)}`);
    }
  } else {
    eps = randn(mu.shape, { dtype: mu.dtype, generator: options.generator, backend: mu.backend });
  }
  return mu.add(logVar.mul(0.5).exp().mul(eps));
}

export type KLReduction = 'mean' | 'sum' | 'none';

/**
 * KL(N(mu, diag(exp(logVar))) ‖ N(0, I)) = −0.5·Σⱼ(1 + logVarⱼ − muⱼ² − exp(logVarⱼ)), summed
 * over the latent dims of each sample: 'none' gives one value per sample [N], 'mean' (default)
 * their mean over the batch, 'sum' their total.
 */
export function gaussianKL(mu: Tensor, logVar: Tensor, reduction: KLReduction = 'mean'): Tensor {
  checkPair('gaussianKL', mu, logVar);
  oneOf('gaussianKL', 'reduction', reduction, ['mean', 'sum', 'none'] as const);
  if (mu.rank < 2) throw new ShapeError(`gaussianKL: expected mu and logVar [N, latentDim], got ${fmtShape(mu.shape)}`);
  const terms = logVar.add(1).sub(mu.square()).sub(logVar.exp());
  const perSample = terms.flatten(1).sum(1).mul(-0.5);
  if (reduction === 'none') return perSample;
  if (reduction === 'sum') return perSample.sum();
  return perSample.mean();
}
