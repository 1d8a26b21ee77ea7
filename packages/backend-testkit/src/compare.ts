import type { DataArray, DType, Tensor } from '@plexus/tensor';
import { fmtShape, isFloating } from '@plexus/tensor';

/** Float tolerances per dtype: |actual − expected| ≤ tol·(1 + |expected|). Integers and bools are exact. */
export interface Tolerance {
  float32?: number;
  float64?: number;
}

export const DEFAULT_TOLERANCE: Required<Tolerance> = { float32: 1e-5, float64: 1e-12 };

/** The float tolerance for `dtype` (0 for int32 and bool, which must match exactly). */
export function toleranceFor(dtype: DType, tolerance: Tolerance = {}, scale = 1): number {
  if (dtype === 'float32') return (tolerance.float32 ?? DEFAULT_TOLERANCE.float32) * scale;
  if (dtype === 'float64') return (tolerance.float64 ?? DEFAULT_TOLERANCE.float64) * scale;
  return 0;
}

export interface Comparison {
  ok: boolean;
  /** 'ok', or what differs: shape, dtype, or the worst values with their positions. */
  message: string;
  /** Largest |actual − expected| over the elements (0 when shapes differ). */
  maxAbsError: number;
  /** Number of elements outside the tolerance. */
  mismatches: number;
}

function unravel(p: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = shape[d] === 0 ? 0 : p % shape[d];
    p = shape[d] === 0 ? 0 : Math.floor(p / shape[d]);
  }
  return idx;
}

function same(a: number, e: number, tol: number): boolean {
  if (a === e) return true; // also 0 vs −0 and equal infinities
  if (Number.isNaN(a) || Number.isNaN(e)) return Number.isNaN(a) && Number.isNaN(e);
  if (!Number.isFinite(a) || !Number.isFinite(e)) return false;
  return Math.abs(a - e) <= tol * (1 + Math.abs(e));
}

/**
 * Compares host values (already read) of one output. `tol` applies to floats; int32 and bool
 * must be exact (bools compared as "non-zero").
 */
export function compareValues(
  actual: { values: ArrayLike<number>; shape: readonly number[]; dtype: DType },
  expected: { values: ArrayLike<number>; shape: readonly number[]; dtype: DType },
  tol?: number,
): Comparison {
  const fail = (message: string): Comparison => ({ ok: false, message, maxAbsError: 0, mismatches: 1 });
  if (actual.shape.length !== expected.shape.length || actual.shape.some((d, i) => d !== expected.shape[i])) {
    return fail(`shape ${fmtShape(actual.shape)} differs from the expected ${fmtShape(expected.shape)}`);
  }
  if (actual.dtype !== expected.dtype) return fail(`dtype ${actual.dtype} differs from the expected ${expected.dtype}`);
  if (actual.values.length !== expected.values.length) {
    return fail(`${actual.values.length} values read back for shape ${fmtShape(actual.shape)} (expected ${expected.values.length})`);
  }
  const float = isFloating(expected.dtype);
  const t = float ? (tol ?? toleranceFor(expected.dtype)) : 0;
  let maxAbsError = 0;
  let mismatches = 0;
  const worst: string[] = [];
  for (let i = 0; i < expected.values.length; i++) {
    let a = actual.values[i];
    let e = expected.values[i];
    if (expected.dtype === 'bool') {
      a = a !== 0 ? 1 : 0;
      e = e !== 0 ? 1 : 0;
    }
    const ok = float ? same(a, e, t) : a === e;
    const err = Math.abs(a - e);
    if (Number.isFinite(err)) maxAbsError = Math.max(maxAbsError, err);
    if (!ok) {
      mismatches++;
      if (worst.length < 3) worst.push(`at ${fmtShape(unravel(i, expected.shape))} got ${a}, expected ${e}`);
    }
  }
  if (mismatches === 0) return { ok: true, message: 'ok', maxAbsError, mismatches };
  const within = float ? ` (tolerance ${t.toExponential(1)}·(1+|expected|))` : ' (exact match required)';
  return {
    ok: false,
    message: `${mismatches} of ${expected.values.length} values differ${within}: ${worst.join('; ')}`,
    maxAbsError,
    mismatches,
  };
}

/** Through the async `read` every backend has (`readSync` is checked by the storage cases). */
function readTensor(t: Tensor): Promise<DataArray> {
  return t.data();
}

/**
 * Compares two tensors (on any backends) by shape, dtype and values. Floats match within
 * `tol`·(1 + |expected|) (default: 1e-5 for float32, 1e-12 for float64); int32 and bool exactly.
 */
export async function compareTensors(actual: Tensor, expected: Tensor, tol?: number): Promise<Comparison> {
  const [a, e] = await Promise.all([readTensor(actual), readTensor(expected)]);
  return compareValues(
    { values: a, shape: actual.shape, dtype: actual.dtype },
    { values: e, shape: expected.shape, dtype: expected.dtype },
    tol,
  );
}
