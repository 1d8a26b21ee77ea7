import type { OpName, Tensor } from '@plexus/tensor';
import { ArgumentError, PlexusError, fmtShape, isGradEnabled, onesLike, withGradMode } from '@plexus/tensor';
import { gradRules } from './rules/index.js';
import type { GradContext, GradRule } from './rules/types.js';

/** What autograd keeps for each recorded op, in `output.gradNode`. */
export interface GradNode {
  op: OpName;
  inputs: readonly Tensor[];
  attrs: object;
  decompose?: () => Tensor;
  released: boolean;
}

export function record(op: OpName, inputs: readonly Tensor[], attrs: object, output: Tensor, decompose?: () => Tensor): void {
  const node: GradNode = { op, inputs: [...inputs], attrs, decompose, released: false };
  output.gradNode = node;
}

function nodeOf(t: Tensor): GradNode | undefined {
  return t.gradNode as GradNode | undefined;
}

export interface RunOptions {
  createGraph: boolean;
  retainGraph: boolean;
  /** Tensors whose gradient is wanted. */
  targets: readonly Tensor[] | 'leaves';
  /** Treat targets as independent variables: do not differentiate through their own history. */
  stopAtTargets?: boolean;
}

const SECOND_PASS =
  'trying to backward through the graph a second time (its buffers were freed after the first pass); ' +
  'pass { retainGraph: true } to the first backward() or grad() call';

/**
 * The reverse pass: gradients of `roots` (seeded with `seeds`) with respect to the targets. Only
 * ops on a path from a target to a root are differentiated. Tensors are visited in decreasing id
 * order, which is a reverse topological order because an op's output is created after its inputs.
 */
export function runBackward(roots: readonly Tensor[], seeds: readonly Tensor[], options: RunOptions): Map<Tensor, Tensor> {
  const targetSet = options.targets === 'leaves' ? undefined : new Set(options.targets);
  const isTarget = (t: Tensor): boolean => (targetSet ? targetSet.has(t) : t.isLeaf && t.requiresGrad);

  // Collect the graph reachable from the roots.
  const seen = new Set<Tensor>();
  const stack = roots.filter((r) => r.requiresGrad);
  while (stack.length) {
    const t = stack.pop() as Tensor;
    if (seen.has(t)) continue;
    seen.add(t);
    if (options.stopAtTargets && targetSet?.has(t)) continue;
    const node = nodeOf(t);
    if (!node) continue;
    if (node.released) throw new PlexusError(`backward: ${SECOND_PASS}`);
    for (const input of node.inputs) if (input.requiresGrad && !seen.has(input)) stack.push(input);
  }
  const ordered = [...seen].sort((a, b) => a.id - b.id);

  // A tensor is relevant when a target lies at or below it.
  const relevant = new Set<Tensor>();
  for (const t of ordered) {
    const node = options.stopAtTargets && targetSet?.has(t) ? undefined : nodeOf(t);
    if (isTarget(t) || node?.inputs.some((i) => relevant.has(i))) relevant.add(t);
  }

  const grads = new Map<Tensor, Tensor>();
  const accumulate = (t: Tensor, g: Tensor): void => {
    const prev = grads.get(t);
    grads.set(t, prev ? prev.add(g) : g);
  };
  withGradMode(options.createGraph, () => {
    roots.forEach((r, i) => {
      if (relevant.has(r)) accumulate(r, seeds[i]);
    });
    for (let k = ordered.length - 1; k >= 0; k--) {
      const t = ordered[k];
      const g = grads.get(t);
      const node = nodeOf(t);
      if (!g || !node || (options.stopAtTargets && targetSet?.has(t))) continue;
      const needsGrad = node.inputs.map((i) => i.requiresGrad && relevant.has(i));
      if (!needsGrad.some(Boolean)) continue;
      const ctx: GradContext<OpName> = { inputs: node.inputs, output: t, attrs: node.attrs as never, needsGrad, decompose: node.decompose };
      const rule = gradRules[node.op] as GradRule<OpName>;
      const inputGrads = rule(g, ctx);
      node.inputs.forEach((input, i) => {
        const gi = inputGrads[i];
        if (!needsGrad[i] || !gi) return;
        if (gi.shape.length !== input.shape.length || gi.shape.some((d, j) => d !== input.shape[j])) {
          throw new PlexusError(`autograd: the ${node.op} rule gave a gradient of shape ${fmtShape(gi.shape)} for an input of shape ${fmtShape(input.shape)}`);
        }
        accumulate(input, gi.dtype === input.dtype ? gi : gi.cast(input.dtype));
      });
      // Intermediate gradients are no longer needed once passed on (targets keep theirs).
      if (!isTarget(t)) grads.delete(t);
    }
  });
  if (!options.retainGraph) {
    for (const t of ordered) {
      const node = nodeOf(t);
      if (node && !(options.stopAtTargets && targetSet?.has(t))) {
        node.released = true;
        node.inputs = [];
        node.decompose = undefined;
      }
    }
  }
  for (const t of [...grads.keys()]) if (!isTarget(t)) grads.delete(t);
  return grads;
}

/**
 * Partial derivatives of `fn()` (recomputed on `inputs`) with respect to each input, seeded with
 * `g`. Used for accelerated ops that are differentiated through their decomposition; recorded
 * when the surrounding pass records (createGraph), so higher orders work.
 */
export function vjp(fn: () => Tensor, inputs: readonly Tensor[], g: Tensor, needsGrad: readonly boolean[]): (Tensor | null)[] {
  const createGraph = isGradEnabled();
  const y = fn();
  const targets = inputs.filter((t, i) => needsGrad[i] && t.requiresGrad);
  const grads = runBackward([y], [g], { createGraph, retainGraph: createGraph, targets, stopAtTargets: true });
  return inputs.map((t, i) => (needsGrad[i] ? grads.get(t) ?? null : null));
}

export interface BackwardCallOptions {
  gradient?: Tensor;
  retainGraph?: boolean;
  createGraph?: boolean;
}

/** `tensor.backward()`: accumulates d(output)/d(leaf) into every leaf's `.grad`. */
export function backward(output: Tensor, options: BackwardCallOptions = {}): void {
  if (!output.requiresGrad) {
    throw new ArgumentError(
      'backward: this tensor does not require grad: none of its inputs had requiresGrad: true, or it was computed under noGrad(); ' +
        'create the tensors to differentiate with { requiresGrad: true } (or call .requiresGrad_())',
    );
  }
  const seed = seedFor('backward', output, options.gradient);
  const createGraph = options.createGraph ?? false;
  const grads = runBackward([output], [seed], { createGraph, retainGraph: options.retainGraph ?? createGraph, targets: 'leaves' });
  for (const [leaf, g] of grads) {
    leaf.grad = withGradMode(createGraph, () => (leaf.grad ? leaf.grad.add(g) : g));
  }
}

export function seedFor(op: string, output: Tensor, gradient: Tensor | undefined): Tensor {
  if (gradient === undefined) {
    if (output.size !== 1) {
      throw new ArgumentError(
        `${op}: the output has shape ${fmtShape(output.shape)}, and a gradient can be implied only for a single value; ` +
          `reduce it first (e.g. y.sum().backward()) or pass the output's gradient: y.backward(onesLike(y))`,
      );
    }
    return onesLike(output);
  }
  if (gradient.shape.length !== output.shape.length || gradient.shape.some((d, i) => d !== output.shape[i])) {
    throw new ArgumentError(`${op}: gradient shape ${fmtShape(gradient.shape)} does not match output shape ${fmtShape(output.shape)}`);
  }
  return gradient.dtype === output.dtype ? gradient : gradient.cast(output.dtype);
}
