import type { Tensor } from '@plexus/tensor';
import { ArgumentError, DTypeError, ShapeError, fmtShape, isFloating, isTensor } from '@plexus/tensor';

/** How per-element losses are combined: averaged (default), summed, or returned as they are. */
export type Reduction = 'mean' | 'sum' | 'none';

export interface ReductionOptions {
  reduction?: Reduction;
}

export function checkReduction<R extends string>(op: string, reduction: R, allowed: readonly R[]): R {
  if (!allowed.includes(reduction)) {
    throw new ArgumentError(`${op}: reduction must be ${allowed.map((r) => `'${r}'`).join(', ')}, got '${String(reduction)}'`);
  }
  return reduction;
}

export function reduce(op: string, loss: Tensor, reduction: Reduction = 'mean'): Tensor {
  checkReduction(op, reduction, ['mean', 'sum', 'none']);
  if (reduction === 'none') return loss;
  return reduction === 'sum' ? loss.sum() : loss.mean();
}

/** Checks a floating input and a target of the same shape; returns the target in the input's dtype. */
export function sameShapeTarget(op: string, input: Tensor, target: Tensor): Tensor {
  checkFloatInput(op, input);
  if (!isTensor(target)) throw new ArgumentError(`${op}: expected target to be a Tensor, got ${target === null ? 'null' : typeof target}`);
  if (input.rank !== target.rank || input.shape.some((d, i) => d !== target.shape[i])) {
    throw new ShapeError(`${op}: input ${fmtShape(input.shape)} and target ${fmtShape(target.shape)} must have the same shape`);
  }
  return target.dtype === input.dtype ? target : target.cast(input.dtype);
}

export function checkFloatInput(op: string, input: Tensor): void {
  if (!isTensor(input)) throw new ArgumentError(`${op}: expected input to be a Tensor, got ${input === null ? 'null' : typeof input}`);
  if (!isFloating(input.dtype)) throw new DTypeError(`${op}: input must be float32 or float64, got ${input.dtype} ${fmtShape(input.shape)}`);
}

/** An optional rescaling tensor, checked and cast to the input's dtype. */
export function optionalWeight(op: string, name: string, w: Tensor | null | undefined, input: Tensor, shape?: readonly number[]): Tensor | null {
  if (w === undefined || w === null) return null;
  if (!isTensor(w)) throw new ArgumentError(`${op}: ${name} must be a Tensor, got ${typeof w}`);
  if (shape && (w.rank !== shape.length || w.shape.some((d, i) => d !== shape[i]))) {
    throw new ShapeError(`${op}: ${name} must have shape ${fmtShape(shape)}, got ${fmtShape(w.shape)}`);
  }
  return w.dtype === input.dtype ? w : w.cast(input.dtype);
}

export function checkNumber(op: string, name: string, v: number, min: number, max = Infinity, minExclusive = false): void {
  const ok = typeof v === 'number' && Number.isFinite(v) && (minExclusive ? v > min : v >= min) && v <= max;
  if (!ok) {
    const range = max === Infinity ? `${minExclusive ? '>' : '>='} ${min}` : `in [${min}, ${max}]`;
    throw new ArgumentError(`${op}: ${name} must be a number ${range}, got ${String(v)}`);
  }
}
