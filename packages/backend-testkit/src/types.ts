import type { GradCheckOptions } from '@plexus/autograd';
import type { AcceleratedName, DType, PrimitiveName, Tensor } from '@plexus/tensor';
import type { CaseContext } from './context.js';

/** What a case computes: one tensor or several, each compared with the reference. */
export type CaseOutput = Tensor | readonly Tensor[];

/** One case of an op: built from seeded inputs, run once per dtype in `dtypes`. */
export interface OpCase {
  name: string;
  /** The dtypes this case runs in (`ctx.dtype`); float64 runs only where the backend lists it. */
  dtypes: readonly DType[];
  run(ctx: CaseContext): CaseOutput;
  /** Multiplies the float tolerance (long sums, chained decompositions). Default 1. */
  toleranceScale?: number;
  /** Other dtypes the case needs the backend to store (a cast to float64, say). */
  requires?: readonly DType[];
}

export type PrimitiveCase = OpCase;
export type AcceleratedCase = OpCase;

/** A case of an op that `@plexus/tensor` decomposes into primitives (softmax over dims, conv1d, split, …). */
export interface DerivedCase extends OpCase {
  op: string;
}

/**
 * Gradients of `fn` with respect to its floating inputs, under a seeded output gradient,
 * compared between the backend under test and the reference.
 */
export interface GradientCase {
  op: string;
  name: string;
  dtypes: readonly DType[];
  inputs(ctx: CaseContext): Tensor[];
  fn(...xs: Tensor[]): Tensor;
  toleranceScale?: number;
}

/** `gradCheck` (and `gradGradCheck` when `secondOrder`) in float64 on the backend under test. */
export interface GradCheckCase {
  op: string;
  name: string;
  inputs(ctx: CaseContext): Tensor[];
  fn(...xs: Tensor[]): Tensor;
  secondOrder: boolean;
  options?: GradCheckOptions;
}

/** Mapped over the primitive union: adding a primitive without a conformance case fails to compile. */
export type PrimitiveCaseTable = { readonly [K in PrimitiveName]: readonly PrimitiveCase[] };
export type AcceleratedCaseTable = { readonly [K in AcceleratedName]: readonly AcceleratedCase[] };

export type CaseKind = 'primitive' | 'accelerated' | 'derived' | 'gradient' | 'gradcheck';

interface CaseBase {
  /** Unique: `${op}: ${name} [${dtype}]`. */
  id: string;
  kind: CaseKind;
  op: string;
  name: string;
  dtype: DType;
  toleranceScale: number;
  /** Other dtypes the case needs besides `dtype`. */
  requires: readonly DType[];
}

/** Computes outputs on a backend; the runner compares them with the reference's. */
export interface CompareCase extends CaseBase {
  kind: 'primitive' | 'accelerated' | 'derived' | 'gradient';
  compute(ctx: CaseContext): CaseOutput;
}

/** Checks something on the backend under test alone (finite-difference gradient checks). */
export interface CheckCase extends CaseBase {
  kind: 'gradcheck';
  check(ctx: CaseContext): { ok: boolean; message: string };
}

/** One runnable case, for one dtype. */
export type ConformanceCase = CompareCase | CheckCase;
