import type { Tensor } from '@plexus/tensor';

/** The radial functions φ(r) of an RBF layer, with σ the width of each centre. */
export type KernelName = 'gaussian' | 'multiquadric' | 'inverse_multiquadric';

export const KERNELS: readonly KernelName[] = ['gaussian', 'multiquadric', 'inverse_multiquadric'];

/**
 * φ from the squared distance r² ([N, k]) and the squared widths σ² ([k]):
 * - gaussian: exp(−r² / (2σ²))
 * - multiquadric: √(r² + σ²)
 * - inverse_multiquadric: 1 / √(r² + σ²)
 * Written on r² so no square root of a zero distance is ever differentiated.
 */
export function applyKernel(kernel: KernelName, r2: Tensor, sigma2: Tensor): Tensor {
  switch (kernel) {
    case 'gaussian':
      return r2.div(sigma2.mul(-2)).exp();
    case 'multiquadric':
      return r2.add(sigma2).sqrt();
    case 'inverse_multiquadric':
      return r2.add(sigma2).rsqrt();
  }
}
