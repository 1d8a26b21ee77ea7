import type { Tensor } from '@plexus/tensor';
import { ArgumentError, isGradEnabled, isTensor, zerosLike } from '@plexus/tensor';
import type { GradNode } from './engine.js';
import { runBackward, seedFor } from './engine.js';

export interface GradOptions {
  /** Gradients of the outputs (needed for outputs that are not single values). */
  gradOutputs?: Tensor | readonly Tensor[];
  /** Record the gradient computation so it can be differentiated again. */
  createGraph?: boolean;
  /** Keep the graph for another pass (defaults to createGraph). */
  retainGraph?: boolean;
}

type Fn = (...args: Tensor[]) => Tensor;

/**
 * Two forms:
 * - `grad(outputs, inputs, options)`: the gradients of outputs with respect to inputs, without
 *   touching `.grad` (torch.autograd.grad). An input the outputs do not depend on gets zeros.
 * - `grad(f, argnums = 0)`: a function returning the gradient of scalar-valued f with respect to
 *   its argument(s) (JAX style); nest it for higher derivatives.
 */
export function grad(outputs: Tensor | readonly Tensor[], inputs: Tensor | readonly Tensor[], options?: GradOptions): Tensor[];
export function grad(f: Fn, argnums?: number): (...args: Tensor[]) => Tensor;
export function grad(f: Fn, argnums: readonly number[]): (...args: Tensor[]) => Tensor[];
export function grad(
  a: Fn | Tensor | readonly Tensor[],
  b?: number | readonly number[] | Tensor | readonly Tensor[],
  options: GradOptions = {},
): Tensor[] | ((...args: Tensor[]) => Tensor | Tensor[]) {
  if (typeof a === 'function') {
    const argnums = b === undefined ? 0 : (b as number | readonly number[]);
    return (...args: Tensor[]) => valueAndGradImpl('grad', a, argnums, args)[1];
  }
  return gradients(a, b as Tensor | readonly Tensor[], options);
}

export function gradients(
  outputs: Tensor | readonly Tensor[],
  inputs: Tensor | readonly Tensor[],
  options: GradOptions = {},
): Tensor[] {
  const outs = isTensor(outputs) ? [outputs] : [...outputs];
  const ins = isTensor(inputs) ? [inputs] : [...(inputs ?? [])];
  if (outs.length === 0 || ins.length === 0) throw new ArgumentError('grad: expected at least one output and one input');
  ins.forEach((x, i) => {
    if (!isTensor(x)) throw new ArgumentError(`grad: inputs[${i}] is not a Tensor`);
    if (!x.requiresGrad) {
      throw new ArgumentError(`grad: inputs[${i}] (${x.describe()}) does not require grad; create it with { requiresGrad: true }`);
    }
  });
  const gradOutputs = options.gradOutputs === undefined ? [] : isTensor(options.gradOutputs) ? [options.gradOutputs] : [...options.gradOutputs];
  if (gradOutputs.length !== 0 && gradOutputs.length !== outs.length) {
    throw new ArgumentError(`grad: got ${gradOutputs.length} gradOutputs for ${outs.length} outputs`);
  }
  const seeds = outs.map((y, i) => seedFor('grad', y, gradOutputs[i]));
  const createGraph = options.createGraph ?? false;
  const live = outs.map((y, i) => [y, seeds[i]] as const).filter(([y]) => y.requiresGrad);
  const grads = live.length
    ? runBackward(live.map(([y]) => y), live.map(([, s]) => s), { createGraph, retainGraph: options.retainGraph ?? createGraph, targets: ins })
    : new Map<Tensor, Tensor>();
  return ins.map((x) => grads.get(x) ?? zerosLike(x));
}

function valueAndGradImpl(op: string, f: Fn, argnums: number | readonly number[], args: Tensor[]): [Tensor, Tensor | Tensor[]] {
  if (typeof f !== 'function') throw new ArgumentError(`${op}: expected a function`);
  const nums = typeof argnums === 'number' ? [argnums] : [...argnums];
  nums.forEach((n) => {
    if (!Number.isInteger(n) || n < 0 || n >= args.length || !isTensor(args[n])) {
      throw new ArgumentError(`${op}: argnum ${n} does not name a Tensor argument (got ${args.length} arguments)`);
    }
  });
  // Differentiate a fresh leaf for each argnum that does not already require grad.
  const inputs = args.map((x, i) => (nums.includes(i) && !x.requiresGrad ? x.detach().requiresGrad_() : x));
  const fresh = new Set(inputs.filter((x, i) => x !== args[i]));
  const value = f(...inputs);
  if (!isTensor(value) || value.size !== 1) {
    throw new ArgumentError(
      `${op}: the function must return a tensor with a single value, got ${isTensor(value) ? value.describe() : typeof value}; ` +
        'use grad(outputs, inputs, { gradOutputs }) for other outputs',
    );
  }
  // The value may depend on tensors that require grad other than our fresh leaves (an argument,
  // differentiated or not, or a tensor f closes over, such as a weight): they may be part of an
  // outer differentiation, so record the inner gradient then (grad(grad(f)), argnums, PINNs).
  const outer = isGradEnabled() && dependsOnOthers(value, fresh);
  const gs = gradients([value], nums.map((n) => inputs[n]), { createGraph: outer });
  return [outer ? value : value.detach(), typeof argnums === 'number' ? gs[0] : gs];
}

/** Whether `value`'s graph reaches a tensor that requires grad and is not one of `fresh`. */
function dependsOnOthers(value: Tensor, fresh: ReadonlySet<Tensor>): boolean {
  const seen = new Set<Tensor>();
  const stack = [value];
  while (stack.length) {
    const t = stack.pop() as Tensor;
    if (seen.has(t) || !t.requiresGrad) continue;
    seen.add(t);
    if (t.isLeaf) {
      if (!fresh.has(t)) return true;
      continue;
    }
    const node = t.gradNode as GradNode;
    if (node.released || node.inputs.length === 0) return true;
    stack.push(...node.inputs);
  }
  return false;
}

/** Like grad(f), but the function returns [value, gradient]. */
export function valueAndGrad(f: Fn, argnums?: number): (...args: Tensor[]) => [Tensor, Tensor];
export function valueAndGrad(f: Fn, argnums: readonly number[]): (...args: Tensor[]) => [Tensor, Tensor[]];
export function valueAndGrad(f: Fn, argnums: number | readonly number[] = 0) {
  return (...args: Tensor[]) => valueAndGradImpl('valueAndGrad', f, argnums, args);
}
