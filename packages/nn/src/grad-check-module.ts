import type { GradCheckOptions, GradCheckResult } from '@plexus/autograd';
import { gradCheck } from '@plexus/autograd';
import type { Tensor } from '@plexus/tensor';
import type { Module } from './module.js';
import { functionalCall } from './module.js';

/**
 * gradCheck of `fn(...inputs)` with respect to the inputs AND every parameter of `module`: the
 * parameters are swapped for gradCheck's leaves with functionalCall, so the finite differences
 * perturb them like the inputs. Build the module and inputs in float64. How a new layer proves its
 * gradients: `expect(gradCheckModule(layer, [x], (x) => layer.forward(x)).message).toBe('ok')`.
 */
export function gradCheckModule(module: Module, inputs: readonly Tensor[], fn: (...inputs: Tensor[]) => Tensor, options?: GradCheckOptions): GradCheckResult {
  const named = module.namedParameters();
  const n = inputs.length;
  return gradCheck(
    (...xs) => functionalCall(module, Object.fromEntries(named.map(([name], i) => [name, xs[n + i]])), () => fn(...xs.slice(0, n))),
    [...inputs, ...named.map(([, p]) => p.detach())],
    options,
  );
}
