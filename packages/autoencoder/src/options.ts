import type { DType, Tensor } from '@plexus/tensor';
import { ArgumentError, ShapeError, fmtShape, isTensor } from '@plexus/tensor';

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

export function positiveIntList(where: string, name: string, value: unknown): number[] {
  if (!Array.isArray(value)) throw new ArgumentError(`${where}: ${name} must be an array of positive integers, got ${String(value)}`);
  return value.map((v, i) => positiveInt(where, `${name}[${i}]`, v));
}

export function numberIn(where: string, name: string, value: unknown, min: number, max: number, options: { minOpen?: boolean; maxOpen?: boolean } = {}): number {
  const ok = typeof value === 'number' && Number.isFinite(value)
    && (options.minOpen ? value > min : value >= min) && (options.maxOpen ? value < max : value <= max);
  if (!ok) {
    const range = `${options.minOpen ? '(' : '['}${min}, ${max === Infinity ? '∞' : max}${options.maxOpen || max === Infinity ? ')' : ']'}`;
    throw new ArgumentError(`${where}: ${name} must be a number in ${range}, got ${String(value)}`);
  }
  return value;
}

export function oneOf<T extends string>(where: string, name: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    throw new ArgumentError(`${where}: ${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

export function checkTensor(where: string, name: string, x: unknown): asserts x is Tensor {
  if (!isTensor(x)) throw new ArgumentError(`${where}: expected ${name} to be a Tensor, got ${x === null ? 'null' : typeof x}`);
}

/**
 * Checks a batch whose trailing dims hold `features` values in all: [N, features] or
 * [N, ...dims] with prod(dims) = features (e.g. [N, 1, 28, 28] for 784).
 */
export function checkFlatBatch(where: string, x: unknown, features: number): Tensor {
  checkTensor(where, 'input', x);
  const perSample = x.shape.slice(1).reduce((a, b) => a * b, 1);
  if (x.rank < 2 || perSample !== features) {
    throw new ShapeError(`${where}: expected input [N, ${features}] (or [N, ...] with ${features} values per sample), got ${fmtShape(x.shape)}`);
  }
  return x;
}
