import type { OpAttrs, OpName, Tensor } from '@plexus/tensor';

export interface GradContext<K extends OpName> {
  readonly inputs: readonly Tensor[];
  readonly output: Tensor;
  readonly attrs: OpAttrs<K>;
  /** needsGrad[i]: whether input i needs a gradient (skip the work otherwise). */
  readonly needsGrad: readonly boolean[];
  /** For accelerated ops: the decomposition into primitives, recomputed on the same inputs. */
  readonly decompose?: () => Tensor;
}

/**
 * A vector–Jacobian product: given the gradient of the output, the gradient of each input
 * (null: none). Written in tensor ops on graph-connected tensors, so it is differentiable itself.
 */
export type GradRule<K extends OpName> = (g: Tensor, ctx: GradContext<K>) => (Tensor | null)[];

export type GradRuleTable<Names extends OpName> = { readonly [K in Names]: GradRule<K> };
