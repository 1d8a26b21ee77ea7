import type { DType, DataArray, Tensor } from '@plexus/tensor';
import { ArgumentError, BackendError, ShapeError, isTensor } from '@plexus/tensor';

/** Values on the host: what the metric formulas work on (in float64 arithmetic). */
export interface HostValues {
  data: ArrayLike<number>;
  shape: readonly number[];
  /** Integer values: class labels rather than scores. */
  integer: boolean;
}

/** A tensor, or plain numbers (nested arrays) for quick checks: `accuracy([[0.2, 0.8]], [1])`. */
export type MetricInput = Tensor | NestedNumbers;
/** A number or (nested) arrays of numbers. */
export type NestedNumbers = number | readonly NestedNumbers[];

const isIntegerDType = (d: DType): boolean => d === 'int32' || d === 'bool';

function fromTensor(t: Tensor, data: DataArray): HostValues {
  return { data, shape: t.shape, integer: isIntegerDType(t.dtype) };
}

function fromNested(op: string, value: number | readonly unknown[]): HostValues {
  const shape: number[] = [];
  let probe: unknown = value;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0];
  }
  const flat: number[] = [];
  const walk = (v: unknown, depth: number): void => {
    if (depth === shape.length) {
      if (typeof v !== 'number') throw new ArgumentError(`${op}: expected numbers, got ${Array.isArray(v) ? 'a ragged array' : typeof v}`);
      flat.push(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) throw new ShapeError(`${op}: ragged nested array at depth ${depth}`);
    for (const x of v) walk(x, depth + 1);
  };
  walk(value, 0);
  return { data: flat, shape, integer: flat.every(Number.isInteger) };
}

/** Reads an input synchronously (functional metrics). */
export function hostSync(op: string, x: MetricInput): HostValues {
  if (isTensor(x)) {
    if (!x.backend.readSync) throw new BackendError(`${op}: backend '${x.backend.name}' cannot read synchronously; use the streaming metric classes (await metric.update(...))`);
    return fromTensor(x, x.dataSync());
  }
  if (typeof x === 'number' || Array.isArray(x)) return fromNested(op, x as NestedNumbers as number | readonly unknown[]);
  throw new ArgumentError(`${op}: expected a Tensor or an array of numbers, got ${x === null ? 'null' : typeof x}`);
}

/** Reads an input on any backend (streaming metrics). */
export async function hostAsync(op: string, x: MetricInput): Promise<HostValues> {
  return isTensor(x) ? fromTensor(x, await x.data()) : hostSync(op, x);
}

export interface ClassOptions {
  /** Score at or above which a single-output (binary) prediction counts as class 1 (default 0.5; use 0 for logits). */
  threshold?: number;
}

/**
 * Predicted classes: argmax of [N, C] scores (C > 1); for [N] or [N, 1] scores, 1 where the score
 * is ≥ threshold; integer inputs are taken as labels already.
 */
export function predictedClasses(op: string, out: HostValues, options: ClassOptions = {}): Int32Array {
  const { shape, data } = out;
  if (shape.length === 2 && shape[1] > 1) {
    const [n, c] = shape;
    const classes = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let j = 1; j < c; j++) if (data[i * c + j] > data[i * c + best]) best = j;
      classes[i] = best;
    }
    return classes;
  }
  if (shape.length === 1 || (shape.length === 2 && shape[1] === 1)) {
    if (out.integer) return Int32Array.from(data);
    const threshold = options.threshold ?? 0.5;
    return Int32Array.from(data, (v) => (v >= threshold ? 1 : 0));
  }
  throw new ShapeError(`${op}: expected predictions [N, C] (scores), [N] or [N, 1], got [${shape.join(',')}]`);
}

/** True classes: labels [N] (floats are rounded, so 0./1. targets work), or argmax of one-hot [N, C]. */
export function targetClasses(op: string, target: HostValues): Int32Array {
  const { shape, data } = target;
  if (shape.length === 2 && shape[1] > 1) return predictedClasses(op, target);
  if (shape.length === 1 || (shape.length === 2 && shape[1] === 1)) {
    const labels = Int32Array.from(data, (v) => Math.round(v));
    const bad = labels.findIndex((v) => v < 0);
    if (bad >= 0) throw new ArgumentError(`${op}: class labels must be non-negative, got ${data[bad]} at index ${bad}`);
    return labels;
  }
  throw new ShapeError(`${op}: expected targets as labels [N] or one-hot [N, C], got [${shape.join(',')}]`);
}

/** Predicted and true classes of one batch, checked to have the same length. */
export function classPairs(op: string, out: HostValues, target: HostValues, options: ClassOptions = {}): { pred: Int32Array; truth: Int32Array } {
  const pred = predictedClasses(op, out, options);
  const truth = targetClasses(op, target);
  if (pred.length !== truth.length) {
    throw new ShapeError(`${op}: ${pred.length} predictions [${out.shape.join(',')}] but ${truth.length} targets [${target.shape.join(',')}]`);
  }
  return { pred, truth };
}
