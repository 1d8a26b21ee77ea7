import type { DType } from '@plexus/tensor';
import { ArgumentError } from '@plexus/tensor';

/** Options every model of this package accepts. */
export interface ModelOptions {
  /** dtype of the parameters (default float32; float64 for gradient checks). */
  dtype?: DType;
}

export function positiveInt(where: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ArgumentError(`${where}: ${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

export function positiveIntList(where: string, name: string, value: unknown, minLength = 0): number[] {
  if (!Array.isArray(value) || value.length < minLength) {
    throw new ArgumentError(`${where}: ${name} must be an array of ${minLength > 0 ? `at least ${minLength} ` : ''}positive integers, got ${Array.isArray(value) ? `[${value.join(',')}]` : String(value)}`);
  }
  return value.map((v, i) => positiveInt(where, `${name}[${i}]`, v));
}

export function numberIn(where: string, name: string, value: unknown, min: number, max: number, maxOpen = false): number {
  const ok = typeof value === 'number' && Number.isFinite(value) && value >= min && (maxOpen ? value < max : value <= max);
  if (!ok) throw new ArgumentError(`${where}: ${name} must be a number in [${min}, ${max}${maxOpen ? ')' : ']'}, got ${String(value)}`);
  return value;
}

export function bool(where: string, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new ArgumentError(`${where}: ${name} must be a boolean, got ${String(value)}`);
  return value;
}
