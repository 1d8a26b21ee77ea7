import type { BinaryOp, CompareOp, DType, ReduceOp, UnaryOp } from '@plexus/tensor';
import { DTypeError } from '@plexus/tensor';

/**
 * Small integers the native addon uses for dtypes and op kinds. They must stay in step with the
 * enums in native/common.h, elementwise.h, ops_unary.cc, ops_reduce.cc, ops_softmax.cc and
 * ops_pool.cc (test/codes.test.ts checks them against the addon's behaviour).
 */
const DTYPE: Record<DType, number> = { float32: 0, float64: 1, int32: 2, bool: 3 };

/** The addon's code for a dtype; an unknown dtype is a DTypeError naming the op. */
export function dtypeCode(op: string, dtype: DType): number {
  const code = DTYPE[dtype];
  if (code === undefined) throw new DTypeError(`${op}: unknown dtype '${String(dtype)}' (cpu backend)`);
  return code;
}

export const UNARY_CODE: Record<UnaryOp, number> = {
  neg: 0, abs: 1, sign: 2, exp: 3, log: 4, log1p: 5, expm1: 6, sqrt: 7, rsqrt: 8, sin: 9, cos: 10, tanh: 11,
  sigmoid: 12, erf: 13, floor: 14, ceil: 15, round: 16,
};
export const BINARY_CODE: Record<BinaryOp, number> = { add: 0, sub: 1, mul: 2, div: 3, pow: 4, maximum: 5, minimum: 6 };
export const COMPARE_CODE: Record<CompareOp, number> = { equal: 0, notEqual: 1, less: 2, lessEqual: 3, greater: 4, greaterEqual: 5 };
export const REDUCE_CODE: Record<ReduceOp, number> = { sum: 0, prod: 1, max: 2, min: 3 };
export const SOFTMAX_CODE = { softmax: 0, logSoftmax: 1, logsumexp: 2 } as const;
export const POOL_CODE = { maxPool2d: 0, avgPool2d: 1 } as const;
