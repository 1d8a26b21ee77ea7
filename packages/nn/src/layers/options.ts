import type { DType } from '@plexus/tensor';
import { ArgumentError, DTypeError, isDType, isFloating } from '@plexus/tensor';

/** Options every layer with parameters accepts. */
export interface FactoryOptions {
  /** dtype of the parameters and buffers (default float32; float64 for gradient checks). */
  dtype?: DType;
}

export function floatDType(layer: string, dtype: DType | undefined): DType {
  const d = dtype ?? 'float32';
  if (!isDType(d) || !isFloating(d)) throw new DTypeError(`${layer}: dtype must be float32 or float64, got ${String(d)}`);
  return d;
}

export function checkPositiveInt(layer: string, name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new ArgumentError(`${layer}: ${name} must be a positive integer, got ${String(value)}`);
}

export function checkBool(layer: string, name: string, value: unknown): void {
  if (typeof value !== 'boolean') throw new ArgumentError(`${layer}: ${name} must be a boolean, got ${String(value)}`);
}

/** A number or a pair of numbers as a pair, for kernel sizes, strides and paddings. */
export function pairOf(layer: string, name: string, value: number | readonly number[], min: number): [number, number] {
  const p: number[] = typeof value === 'number' ? [value, value] : [...value];
  if (p.length !== 2 || p.some((v) => !Number.isInteger(v) || v < min)) {
    throw new ArgumentError(`${layer}: ${name} must be an integer >= ${min} or a pair of them, got ${Array.isArray(value) ? `[${value.join(',')}]` : String(value)}`);
  }
  return [p[0], p[1]];
}
