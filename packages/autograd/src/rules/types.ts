import type { OpAttrs, OpName, Tensor } from '@plexus/tensor';
import type { ProductGrad } from '../product-grad.js';
import type { SliceGrad } from '../slice-grad.js';

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
 * An input's gradient as a rule gives it: a tensor of the input's shape, or one the engine joins
 * with the input's other contributions once they have all arrived: a `SliceGrad` (zero outside
 * one band of an axis) or a `ProductGrad` (aᵀ·g for a weight matrix).
 */
export type RuleGrad = Tensor | SliceGrad | ProductGrad;

/**
 * A vector–Jacobian product: given the gradient of the output, the gradient of each input
 * (null: none). Written in tensor ops on graph-connected tensors, so it is differentiable itself.
 */
export type GradRule<K extends OpName> = (g: Tensor, ctx: GradContext<K>) => (RuleGrad | null)[];

export type GradRuleTable<Names extends OpName> = { readonly [K in Names]: GradRule<K> };
