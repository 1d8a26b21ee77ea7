import type { Tensor } from '@plexus/tensor';
import { ArgumentError, isTensor, noGrad } from '@plexus/tensor';

export interface ClipGradNormOptions {
  /** Throw when the total norm is NaN or infinite (default false: scale anyway, like PyTorch). */
  errorIfNonfinite?: boolean;
}

function collectGrads(op: string, params: Iterable<Tensor> | Tensor): Tensor[] {
  if (isTensor(params)) params = [params];
  if (params === null || typeof params !== 'object' || !(Symbol.iterator in params)) {
    throw new ArgumentError(`${op}: expected a tensor or an iterable of tensors, got ${params === null ? 'null' : typeof params}`);
  }
  const grads: Tensor[] = [];
  let i = 0;
  for (const p of params) {
    if (!isTensor(p)) throw new ArgumentError(`${op}: params[${i}] is not a Tensor (got ${p === null ? 'null' : typeof p})`);
    if (p.grad !== null) grads.push(p.grad);
    i++;
  }
  return grads;
}

/** One scalar of a reduction, read back as a JS number (float64 from here on). */
const read = (t: Tensor): number => Number(t.item());

/**
 * Scales the gradients in place so that their joint `normType`-norm is at most `maxNorm`, as
 * torch.nn.utils.clip_grad_norm_: coefficient maxNorm / (total + 1e-6), applied when below 1.
 * Returns the total norm before clipping. Each gradient is reduced on its backend and the
 * per-gradient sums are combined on the host in float64. normType may be Infinity (max |g|).
 */
export function clipGradNorm(
  params: Iterable<Tensor> | Tensor, maxNorm: number, normType = 2, options: ClipGradNormOptions = {},
): number {
  const op = 'clipGradNorm';
  if (typeof maxNorm !== 'number' || Number.isNaN(maxNorm) || maxNorm < 0) {
    throw new ArgumentError(`${op}: maxNorm must be a number >= 0, got ${String(maxNorm)}`);
  }
  if (typeof normType !== 'number' || Number.isNaN(normType) || normType <= 0) {
    throw new ArgumentError(`${op}: normType must be a positive number or Infinity, got ${String(normType)}`);
  }
  const grads = collectGrads(op, params);
  if (grads.length === 0) return 0;
  const total = noGrad(() => {
    if (normType === Infinity) return Math.max(...grads.map((g) => (g.size === 0 ? 0 : read(g.abs().max()))));
    // Σ|g|^p over every gradient, then the p-th root (PyTorch's norm of per-gradient norms).
    let acc = 0;
    for (const g of grads) {
      if (g.size === 0) continue;
      const a = g.abs();
      acc += read((normType === 1 ? a : normType === 2 ? a.square() : a.pow(normType)).sum());
    }
    return normType === 1 ? acc : acc ** (1 / normType);
  });
  if (options.errorIfNonfinite && !Number.isFinite(total)) {
    throw new ArgumentError(`${op}: the total norm of order ${normType} of the gradients is ${total}; pass { errorIfNonfinite: false } to clip anyway`);
  }
  const coef = maxNorm / (total + 1e-6);
  // PyTorch multiplies by min(coef, 1); multiplying by 1 changes nothing, so skip it. A NaN total
  // gives NaN here too, which propagates into the gradients as in PyTorch.
  if (coef < 1 || Number.isNaN(coef)) {
    noGrad(() => {
      for (const g of grads) g.assign(g.mul(coef));
    });
  }
  return total;
}

/** Clamps every gradient into [−clipValue, clipValue] in place (torch.nn.utils.clip_grad_value_). */
export function clipGradValue(params: Iterable<Tensor> | Tensor, clipValue: number): void {
  const op = 'clipGradValue';
  if (typeof clipValue !== 'number' || Number.isNaN(clipValue) || clipValue < 0) {
    throw new ArgumentError(`${op}: clipValue must be a number >= 0, got ${String(clipValue)}`);
  }
  const grads = collectGrads(op, params);
  noGrad(() => {
    for (const g of grads) g.assign(g.clamp(-clipValue, clipValue));
  });
}
