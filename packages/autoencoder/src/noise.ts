import type { Generator, Tensor } from '@plexus/tensor';
import { ArgumentError, isFloating, noGrad, rand, randn } from '@plexus/tensor';
import { checkTensor, numberIn } from './options.js';

/**
 * Corruption for denoising autoencoders (Vincent et al., 2008):
 * - gaussian: x + std·ε, clamped to [0, 1] unless `clip` is false;
 * - masking: each value set to 0 with probability p (salt-free "dropout" of pixels).
 */
export type NoiseOptions =
  | { type: 'gaussian'; std: number; clip?: boolean }
  | { type: 'masking'; p: number };

/** Checks a noise description; returns it unchanged. */
export function checkNoise(where: string, noise: unknown): NoiseOptions {
  if (noise === null || typeof noise !== 'object') throw new ArgumentError(`${where}: noise must be { type: 'gaussian', std } or { type: 'masking', p }, got ${String(noise)}`);
  const n = noise as { type?: unknown; std?: unknown; p?: unknown; clip?: unknown };
  if (n.type === 'gaussian') {
    numberIn(where, 'noise.std', n.std, 0, Infinity);
    if (n.clip !== undefined && typeof n.clip !== 'boolean') throw new ArgumentError(`${where}: noise.clip must be a boolean, got ${String(n.clip)}`);
  } else if (n.type === 'masking') {
    numberIn(where, 'noise.p', n.p, 0, 1, { maxOpen: true });
  } else {
    throw new ArgumentError(`${where}: noise.type must be 'gaussian' or 'masking', got ${JSON.stringify(n.type)}`);
  }
  return noise as NoiseOptions;
}

/** A corrupted copy of `x` (no gradient), with the noise drawn from `generator` (default: the seeded default generator). */
export function addNoise(x: Tensor, noise: NoiseOptions, generator?: Generator): Tensor {
  checkTensor('addNoise', 'x', x);
  if (!isFloating(x.dtype)) throw new ArgumentError(`addNoise: x must be float32 or float64, got ${x.dtype}`);
  checkNoise('addNoise', noise);
  const options = { dtype: x.dtype, generator, backend: x.backend };
  return noGrad(() => {
    if (noise.type === 'gaussian') {
      const noisy = x.add(randn(x.shape, options).mul(noise.std));
      return noise.clip === false ? noisy : noisy.clamp(0, 1);
    }
    // Keep where u ≥ p: each value survives with probability 1 − p.
    return x.mul(rand(x.shape, options).ge(noise.p).cast(x.dtype));
  });
}
