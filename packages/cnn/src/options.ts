import type { DType } from '@plexus/tensor';
import { ArgumentError } from '@plexus/tensor';

/** Options every model of this package accepts. */
export interface ModelOptions {
  /** Number of output logits (default 10). */
  numClasses?: number;
  /** Channels of the input images (default 1, grey digits). */
  inChannels?: number;
  /** dtype of the parameters (default float32; float64 for gradient checks). */
  dtype?: DType;
}

export function positiveInt(model: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ArgumentError(`${model}: ${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

export function bool(model: string, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new ArgumentError(`${model}: ${name} must be a boolean, got ${String(value)}`);
  return value;
}

export function oneOf<T extends string>(model: string, name: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    throw new ArgumentError(`${model}: ${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}
