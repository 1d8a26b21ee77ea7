/**
 * The primitive set: the only ops a backend must implement. Everything else in Plexus is a
 * decomposition into these (see ops/). Each key of `PrimitiveAttrs` is a primitive; its value is
 * the attribute object the backend receives. Mapped types over `PrimitiveName` make the compiler
 * reject a backend, gradient table or conformance table that misses one.
 *
 * Contract for every primitive: the frontend has already validated inputs, so shapes fit, axes are
 * normalised (non-negative, sorted), and `out` carries the output shape and dtype. Inputs of
 * elementwise primitives may have different shapes that broadcast to `out.shape`.
 */
import type { DType } from './dtype.js';

export type NoAttrs = Record<string, never>;

export interface PrimitiveAttrs {
  // Elementwise unary, output dtype = input dtype. Float-only except neg, abs, sign.
  neg: NoAttrs;
  abs: NoAttrs;
  sign: NoAttrs;
  exp: NoAttrs;
  log: NoAttrs;
  log1p: NoAttrs;
  expm1: NoAttrs;
  sqrt: NoAttrs;
  rsqrt: NoAttrs;
  sin: NoAttrs;
  cos: NoAttrs;
  tanh: NoAttrs;
  sigmoid: NoAttrs;
  erf: NoAttrs;
  floor: NoAttrs;
  ceil: NoAttrs;
  round: NoAttrs;
  // Elementwise binary with broadcasting; both inputs already have the output dtype, which is
  // never bool (the frontend promotes bool arithmetic to int32). `div` on int32 truncates toward
  // zero; `pow` on int32 is integer power.
  add: NoAttrs;
  sub: NoAttrs;
  mul: NoAttrs;
  div: NoAttrs;
  pow: NoAttrs;
  maximum: NoAttrs;
  minimum: NoAttrs;
  // Comparisons with broadcasting; inputs share a dtype, output is bool.
  equal: NoAttrs;
  notEqual: NoAttrs;
  less: NoAttrs;
  lessEqual: NoAttrs;
  greater: NoAttrs;
  greaterEqual: NoAttrs;
  // where(cond: bool, a, b) with broadcasting of all three; a and b share the output dtype.
  where: NoAttrs;
  // Converts dtype. Float to int truncates toward zero; anything to bool is `x != 0`.
  cast: { dtype: DType };
  // Reductions over `axes` (non-empty, sorted); reduced axes are removed from the output.
  // sum/prod of bool or int32 give int32; max/min keep the dtype. Empty max/min never reach a backend.
  sum: { axes: number[] };
  prod: { axes: number[] };
  max: { axes: number[] };
  min: { axes: number[] };
  // Index (int32) of the first maximum/minimum along `axis`, which is removed.
  argmax: { axis: number };
  argmin: { axis: number };
  // Movement.
  reshape: { shape: number[] };
  permute: { perm: number[] };
  /** Broadcast to `shape` (same rank; size-1 dims repeat). */
  expand: { shape: number[] };
  /** out[i] = x[begin + i*step] per axis; step > 0, end exclusive, all in range. */
  slice: { begin: number[]; end: number[]; step: number[] };
  /** Constant padding; pads[i] = [before, after] for axis i, both >= 0. */
  pad: { pads: [number, number][]; value: number };
  /** Joins inputs (same dtype, same shape except `axis`) along `axis`. */
  concat: { axis: number };
  /**
   * gather(x, index): out has index's shape, out[..i..] = x[.. index[..i..] ..] along `axis`
   * (torch.gather). index is int32 with values already checked to be in [0, x.shape[axis]);
   * on other axes index.shape[d] <= x.shape[d].
   */
  gather: { axis: number };
  /**
   * scatterAdd(x, index, src): a copy of x where x[.. index[..i..] ..] += src[..i..] along
   * `axis` (torch.scatter_add). index and src share a shape; indices already checked.
   */
  scatterAdd: { axis: number };
  /** Batched matmul: a [...batch, m, k] @ b [...batch, k, n]; batch dims broadcast to out's. */
  matmul: NoAttrs;
}

export type PrimitiveName = keyof PrimitiveAttrs;

const UNARY = {
  neg: true, abs: true, sign: true, exp: true, log: true, log1p: true, expm1: true, sqrt: true,
  rsqrt: true, sin: true, cos: true, tanh: true, sigmoid: true, erf: true, floor: true, ceil: true,
  round: true,
} as const;
const BINARY = { add: true, sub: true, mul: true, div: true, pow: true, maximum: true, minimum: true } as const;
const COMPARE = { equal: true, notEqual: true, less: true, lessEqual: true, greater: true, greaterEqual: true } as const;

export type UnaryOp = keyof typeof UNARY;
export type BinaryOp = keyof typeof BINARY;
export type CompareOp = keyof typeof COMPARE;
export type ReduceOp = 'sum' | 'prod' | 'max' | 'min';

export const UNARY_OPS = Object.keys(UNARY) as UnaryOp[];
export const BINARY_OPS = Object.keys(BINARY) as BinaryOp[];
export const COMPARE_OPS = Object.keys(COMPARE) as CompareOp[];
export const REDUCE_OPS: readonly ReduceOp[] = ['sum', 'prod', 'max', 'min'];

/** Every primitive name, at run time. The `satisfies` makes the compiler keep it complete. */
const ALL: { [K in PrimitiveName]: true } = {
  ...UNARY, ...BINARY, ...COMPARE,
  where: true, cast: true, sum: true, prod: true, max: true, min: true, argmax: true, argmin: true,
  reshape: true, permute: true, expand: true, slice: true, pad: true, concat: true, gather: true,
  scatterAdd: true, matmul: true,
};
export const PRIMITIVE_NAMES = Object.keys(ALL) as PrimitiveName[];

/**
 * Optional accelerated ops. A backend may implement any of them; `tensor` calls it when present
 * and otherwise runs the decomposition into primitives. Attribute objects are normalised.
 */
export interface AcceleratedAttrs {
  /** softmax / logSoftmax / logsumexp over one axis (logsumexp removes it). */
  softmax: { axis: number };
  logSoftmax: { axis: number };
  logsumexp: { axis: number };
  /** GELU, exact (erf) or with the tanh approximation; float input. */
  gelu: { approximate: 'none' | 'tanh' };
  /** x [N, C, H, W], w [O, C/groups, kH, kW] (, bias [O]) -> [N, O, oH, oW]. */
  conv2d: Conv2dAttrs;
  /** x [N, C, H, W], w [C, O/groups, kH, kW] -> [N, O, oH, oW] (PyTorch's weight layout). */
  convTranspose2d: Conv2dAttrs & { outputPadding: [number, number] };
  /**
   * conv2d's gradient with respect to its weight: x [N, C, H, W] and the output gradient
   * g [N, O, oH, oW] -> [O, C/groups, kH, kW], summed over the batch. oH, oW may be smaller than
   * the convolution's output size (convTranspose2d's outputPadding): only those windows count.
   */
  conv2dWeightGrad: Conv2dAttrs & { kernel: [number, number] };
  /** x [N, C, H, W] -> [N, C, oH, oW]; padding with -inf. */
  maxPool2d: Pool2dAttrs;
  /** Average pooling; padding counts as zeros in the mean (PyTorch's count_include_pad=true). */
  avgPool2d: Pool2dAttrs;
  /**
   * maxPool2d's input gradient: x [N, C, H, W] and the output gradient g [N, C, oH, oW] -> x's
   * shape. Each window's gradient is shared evenly among the elements equal to its max (the max
   * reduction's rule); overlapping windows add up.
   */
  maxPool2dBackward: Pool2dAttrs;
  /** avgPool2d's input gradient: g [N, C, oH, oW] -> [N, C, H, W] (H, W from the output info). */
  avgPool2dBackward: Pool2dAttrs;
}
export interface Conv2dAttrs {
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
  groups: number;
}
export interface Pool2dAttrs {
  kernel: [number, number];
  stride: [number, number];
  padding: [number, number];
}
export type AcceleratedName = keyof AcceleratedAttrs;
const ALL_ACCEL: { [K in AcceleratedName]: true } = {
  softmax: true, logSoftmax: true, logsumexp: true, gelu: true, conv2d: true, convTranspose2d: true,
  maxPool2d: true, avgPool2d: true, conv2dWeightGrad: true, maxPool2dBackward: true, avgPool2dBackward: true,
};
export const ACCELERATED_NAMES = Object.keys(ALL_ACCEL) as AcceleratedName[];

/** Any node the autograd graph can hold. */
export type OpName = PrimitiveName | AcceleratedName;
export type OpAttrs<K extends OpName> = K extends PrimitiveName
  ? PrimitiveAttrs[K]
  : K extends AcceleratedName
    ? AcceleratedAttrs[K]
    : never;
