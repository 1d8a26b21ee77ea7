import { stridesOf } from '@plexus/tensor';
import type { BinaryOp, CompareOp, DataArray, DType, Shape } from '@plexus/tensor';
import { broadcastStrides, coalesce, forEachRow, rowLength, rowStride } from './strided.js';

/**
 * Broadcasting binary ops, comparisons and `where`. Each op is a row kernel
 * `o[oo+i] = f(a[ia + i·sa], b[ib + i·sb])`, chosen once per call; `runBinary` walks the
 * broadcast with one kernel call per row. Same-shape operands coalesce to a single row and a
 * scalar operand to stride 0, so the common cases are one tight loop without per-element calls.
 */
type RowKernel = (
  o: DataArray, oo: number,
  a: DataArray, ia: number, sa: number,
  b: DataArray, ib: number, sb: number,
  n: number,
) => void;

// --- arithmetic. Stores into Int32Array wrap modulo 2^32, so int32 add/sub only need exact
// doubles (always true for int32 operands); mul uses Math.imul, whose product would not be exact.
const add: RowKernel = (o, oo, a, ia, sa, b, ib, sb, n) => {
  for (let i = 0; i < n; i++, ia += sa, ib += sb) o[oo + i] = a[ia] + b[ib];
};
const sub: RowKernel = (o, oo, a, ia, sa, b, ib, sb, n) => {
  for (let i = 0; i < n; i++, ia += sa, ib += sb) o[oo + i] = a[ia] - b[ib];
};
const mul: RowKernel = (o, oo, a, ia, sa, b, ib, sb, n) => {
  for (let i = 0; i < n; i++, ia += sa, ib += sb) o[oo + i] = a[ia] * b[ib];
};
const mulInt: RowKernel = (o, oo, a, ia, sa, b, ib, sb, n) => {
  for (let i = 0; i < n; i++, ia += sa, ib += sb) o[oo + i] = Math.imul(a[ia], b[ib]);
};
const div: RowKernel = (o, oo, a, ia, sa, b, ib, sb, n) => {
  for (let i = 0; i < n; i++, ia += sa, ib += sb) o[oo + i] = a[ia] / b[ib];
};
/** Truncating division; x/0 = 0. The double quotient of two int32 is never off by enough to
 * cross an integer, and the Int32Array store truncates (and wraps −2³¹/−1 to −2³¹). */
const divInt: RowKernel = (o, oo, a, ia, sa, b, ib, sb, n) => {
  for (let i = 0; i < n; i++, ia += sa, ib += sb) {
    const d = b[ib];
    o[oo + i] = d === 0 ? 0 : a[ia] / d;
  }
};
const maximum: RowKernel = (o, oo, a, ia, sa, b, ib, sb, n) => {
  for (let i = 0; i < n; i++, ia += sa, ib += sb) {
    const x = a[ia];
    const y = b[ib];
    o[oo + i] = x > y || x !== x ? x : y; // NaN in either propagates
  }
};
const minimum: RowKernel = (o, oo, a, ia, sa, b, ib, sb, n) => {
  for (let i = 0; i < n; i++, ia += sa, ib += sb) {
    const x = a[ia];
    const y = b[ib];
    o[oo + i] = x < y || x !== x ? x : y;
  }
};
const pow: RowKernel = (o, oo, a, ia, sa, b, ib, sb, n) => {
  for (let i = 0; i < n; i++, ia += sa, ib += sb) o[oo + i] = powFloat(a[ia], b[ib]);
};
const powI: RowKernel = (o, oo, a, ia, sa, b, ib, sb, n) => {
  for (let i = 0; i < n; i++, ia += sa, ib += sb) o[oo + i] = powInt(a[ia], b[ib]);
};

/** C99/IEEE pow: unlike Math.pow, pow(1, y) = 1 and pow(−1, ±∞) = 1 even for NaN/∞ y. */
export function powFloat(x: number, y: number): number {
  if (x === 1) return 1;
  if (x === -1 && (y === Infinity || y === -Infinity)) return 1;
  return Math.pow(x, y);
}

/**
 * Integer power with int32 wrap-around (square-and-multiply on Math.imul). A negative exponent
 * gives the truncated result of the real power: 1 for base 1, ±1 for base −1, and 0 otherwise
 * (0 for base 0 too, where PyTorch raises).
 */
export function powInt(x: number, y: number): number {
  if (y < 0) {
    if (x === 1) return 1;
    if (x === -1) return (y & 1) === 0 ? 1 : -1;
    return 0;
  }
  let result = 1;
  let base = x | 0;
  let e = y;
  while (e > 0) {
    if (e & 1) result = Math.imul(result, base);
    base = Math.imul(base, base);
    e >>>= 1;
  }
  return result;
}

/** Bool arithmetic: computed on 0/1 and stored as (result != 0). Rare, so a closure is fine. */
function boolKernel(f: (x: number, y: number) => number): RowKernel {
  return (o, oo, a, ia, sa, b, ib, sb, n) => {
    for (let i = 0; i < n; i++, ia += sa, ib += sb) o[oo + i] = f(a[ia], b[ib]) !== 0 ? 1 : 0;
  };
}

const FLOAT_KERNELS: { readonly [K in BinaryOp]: RowKernel } = {
  add, sub, mul, div, pow, maximum, minimum,
};
const INT_KERNELS: { readonly [K in BinaryOp]: RowKernel } = {
  add, sub, mul: mulInt, div: divInt, pow: powI, maximum, minimum,
};
const BOOL_KERNELS: { readonly [K in BinaryOp]: RowKernel } = {
  add: boolKernel((x, y) => x | y),
  sub: boolKernel((x, y) => x ^ y),
  mul: boolKernel((x, y) => x & y),
  div: boolKernel((x, y) => (y === 0 ? 0 : x)),
  pow: boolKernel((x, y) => (y === 0 ? 1 : x)),
  maximum: boolKernel((x, y) => x | y),
  minimum: boolKernel((x, y) => x & y),
};

export function binaryKernel(op: BinaryOp, dtype: DType): RowKernel {
  if (dtype === 'int32') return INT_KERNELS[op];
  if (dtype === 'bool') return BOOL_KERNELS[op];
  return FLOAT_KERNELS[op];
}

// --- comparisons (NaN compares false, except notEqual).
const equal: RowKernel = (o, oo, a, ia, sa, b, ib, sb, n) => {
  for (let i = 0; i < n; i++, ia += sa, ib += sb) o[oo + i] = a[ia] === b[ib] ? 1 : 0;
};
const notEqual: RowKernel = (o, oo, a, ia, sa, b, ib, sb, n) => {
  for (let i = 0; i < n; i++, ia += sa, ib += sb) o[oo + i] = a[ia] !== b[ib] ? 1 : 0;
};
const less: RowKernel = (o, oo, a, ia, sa, b, ib, sb, n) => {
  for (let i = 0; i < n; i++, ia += sa, ib += sb) o[oo + i] = a[ia] < b[ib] ? 1 : 0;
};
const lessEqual: RowKernel = (o, oo, a, ia, sa, b, ib, sb, n) => {
  for (let i = 0; i < n; i++, ia += sa, ib += sb) o[oo + i] = a[ia] <= b[ib] ? 1 : 0;
};
const greater: RowKernel = (o, oo, a, ia, sa, b, ib, sb, n) => {
  for (let i = 0; i < n; i++, ia += sa, ib += sb) o[oo + i] = a[ia] > b[ib] ? 1 : 0;
};
const greaterEqual: RowKernel = (o, oo, a, ia, sa, b, ib, sb, n) => {
  for (let i = 0; i < n; i++, ia += sa, ib += sb) o[oo + i] = a[ia] >= b[ib] ? 1 : 0;
};

export const COMPARE_KERNELS: { readonly [K in CompareOp]: RowKernel } = {
  equal, notEqual, less, lessEqual, greater, greaterEqual,
};

/** out = kernel(a, b) with a and b broadcast to `outShape`. */
export function runBinary(
  kernel: RowKernel,
  a: DataArray, aShape: Shape,
  b: DataArray, bShape: Shape,
  out: DataArray, outShape: Shape,
): void {
  if (out.length === 0) return;
  const walk = coalesce(outShape, [
    stridesOf(outShape), broadcastStrides(aShape, outShape), broadcastStrides(bShape, outShape),
  ]);
  const n = rowLength(walk);
  const sa = rowStride(walk, 1);
  const sb = rowStride(walk, 2);
  forEachRow(walk, [0, 0, 0], (o) => kernel(out, o[0], a, o[1], sa, b, o[2], sb, n));
}

/** out = cond ? a : b, all three broadcast to `outShape`. */
export function runWhere(
  cond: DataArray, condShape: Shape,
  a: DataArray, aShape: Shape,
  b: DataArray, bShape: Shape,
  out: DataArray, outShape: Shape,
): void {
  if (out.length === 0) return;
  const walk = coalesce(outShape, [
    stridesOf(outShape),
    broadcastStrides(condShape, outShape),
    broadcastStrides(aShape, outShape),
    broadcastStrides(bShape, outShape),
  ]);
  const n = rowLength(walk);
  const sc = rowStride(walk, 1);
  const sa = rowStride(walk, 2);
  const sb = rowStride(walk, 3);
  forEachRow(walk, [0, 0, 0, 0], (o) => {
    let ic = o[1];
    let ia = o[2];
    let ib = o[3];
    const oo = o[0];
    for (let i = 0; i < n; i++, ic += sc, ia += sa, ib += sb) out[oo + i] = cond[ic] !== 0 ? a[ia] : b[ib];
  });
}
