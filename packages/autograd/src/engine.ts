import type { OpName, Tensor } from '@plexus/tensor';
import { ArgumentError, PlexusError, fmtShape, isGradEnabled, onesLike, withGradMode } from '@plexus/tensor';
import { gradRules } from './rules/index.js';
import type { GradContext, GradRule, RuleGrad } from './rules/types.js';
import { MAX_PENDING_ROWS, ProductGrad, joinProductGrads } from './product-grad.js';
import { SliceGrad, joinSliceGrads } from './slice-grad.js';

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

  // Dense contributions are summed as they arrive. Slice rules' bands and matmul rules' aᵀ·g terms
  // wait in `pending` until the tensor's gradient is complete (it is visited, or the pass ends),
  // and are joined then: bands by one concat, terms by one product over all their rows.
  const grads = new Map<Tensor, Tensor>();
  const pending = new Map<Tensor, { bands: SliceGrad[]; terms: ProductGrad[]; rows: number }>();
  const addDense = (t: Tensor, g: Tensor): void => {
    const prev = grads.get(t);
    grads.set(t, prev ? prev.add(g) : g);
  };
  const accumulate = (t: Tensor, g: RuleGrad): void => {
    if (!(g instanceof SliceGrad || g instanceof ProductGrad)) return addDense(t, g);
    let p = pending.get(t);
    if (!p) pending.set(t, (p = { bands: [], terms: [], rows: 0 }));
    if (g instanceof SliceGrad) {
      p.bands.push(g);
    } else {
      p.terms.push(g);
      p.rows += g.rows;
      if (p.rows >= MAX_PENDING_ROWS) {
        addDense(t, joinProductGrads(p.terms));
        p.terms = [];
        p.rows = 0;
      }
    }
  };
  const settle = (t: Tensor): Tensor | undefined => {
    const p = pending.get(t);
    if (p) {
      pending.delete(t);
      if (p.bands.length) addDense(t, joinSliceGrads(p.bands, t.shape));
      if (p.terms.length) addDense(t, joinProductGrads(p.terms));
    }
    return grads.get(t);
  };
  withGradMode(options.createGraph, () => {
    roots.forEach((r, i) => {
      if (relevant.has(r)) accumulate(r, seeds[i]);
    });
    for (let k = ordered.length - 1; k >= 0; k--) {
      const t = ordered[k];
      const g = settle(t);
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
        checkGradShape(node.op, gi, input);
        accumulate(input, toDType(gi, input));
      });
      // Intermediate gradients are no longer needed once passed on (targets keep theirs).
      if (!isTarget(t)) grads.delete(t);
    }
    // Targets that were not visited (leaves, or where the pass stops) still hold bands.
    for (const t of [...pending.keys()]) if (isTarget(t)) settle(t);
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

/** A rule's gradient must have its input's shape (a band: fit inside it; a term: aᵀ·g of it). */
function checkGradShape(op: OpName, gi: RuleGrad, input: Tensor): void {
  // The description is built only on failure: this runs for every gradient of every pass.
  let fits: boolean;
  let what: () => string;
  if (gi instanceof ProductGrad) {
    const [[r, k], [r2, n]] = [gi.a.shape, gi.g.shape];
    fits = gi.a.rank === 2 && gi.g.rank === 2 && r === r2 && input.rank === 2 && k === input.shape[0] && n === input.shape[1];
    what = () => `a product term aᵀ·g with a ${fmtShape(gi.a.shape)} and g ${fmtShape(gi.g.shape)}`;
  } else if (gi instanceof SliceGrad) {
    fits = gi.value.rank === input.rank && gi.value.shape.every((d, j) => (j === gi.axis ? gi.begin >= 0 && gi.end <= input.shape[j] : d === input.shape[j]));
    what = () => `a band of shape ${fmtShape(gi.value.shape)} at ${gi.begin} along axis ${gi.axis}`;
  } else {
    fits = gi.rank === input.rank && gi.shape.every((d, j) => d === input.shape[j]);
    what = () => `a gradient of shape ${fmtShape(gi.shape)}`;
  }
  if (!fits) throw new PlexusError(`autograd: the ${op} rule gave ${what()} for an input of shape ${fmtShape(input.shape)}`);
}

function toDType(gi: RuleGrad, input: Tensor): RuleGrad {
  const cast = (x: Tensor): Tensor => (x.dtype === input.dtype ? x : x.cast(input.dtype));
  if (gi instanceof ProductGrad) return gi.a.dtype === input.dtype && gi.g.dtype === input.dtype ? gi : new ProductGrad(cast(gi.a), cast(gi.g));
  if (gi instanceof SliceGrad) return gi.value.dtype === input.dtype ? gi : new SliceGrad(cast(gi.value), gi.axis, gi.begin);
  return cast(gi);
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
