export * from './dtype.js';
export * from './errors.js';
export * from './shape.js';
export * from './primitives.js';
export type * from './backend.js';
export * from './registry.js';
export { Tensor, isTensor, ownedCopy } from './tensor.js';
export type { NestedArray } from './tensor.js';
export {
  runPrimitive, runAccelerated, installAutograd, autogradHooks, isGradEnabled, withGradMode, noGrad,
  isAcceleratedEnabled, withAccelerated, backendOf,
} from './dispatch.js';
export type { AutogradHooks, BackwardOptions } from './dispatch.js';
export * from './ops/index.js';
export * from './random.js';
export { formatTensor } from './format.js';

import { runScope } from './memory.js';
import { isTensor } from './tensor.js';
/**
 * Runs `fn` and disposes the tensors it created, except those it returns or marks with `keep()`.
 * Optional: without it the garbage collector frees tensors.
 */
export function scope<T>(fn: () => T): T {
  return runScope(fn, isTensor);
}
/** Disposes each tensor in a tensor, array or plain object. */
export function dispose(value: unknown): void {
  if (isTensor(value)) value.dispose();
  else if (Array.isArray(value)) value.forEach(dispose);
  else if (value && typeof value === 'object') Object.values(value).forEach(dispose);
}
