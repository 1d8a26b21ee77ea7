import type { DType, Tensor } from '@plexus/tensor';
import { ArgumentError, DTypeError, ShapeError, fmtShape, isTensor } from '@plexus/tensor';

/** Options every layer with parameters accepts. */
export interface FactoryOptions {
  /** dtype of the parameters (default float32; float64 for gradient checks). */
  dtype?: DType;
}

export function floatDType(layer: string, dtype: DType | undefined): 'float32' | 'float64' {
  const d = dtype ?? 'float32';
  if (d !== 'float32' && d !== 'float64') throw new DTypeError(`${layer}: dtype must be float32 or float64, got ${String(d)}`);
  return d;
}

export function checkPositiveInt(layer: string, name: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new ArgumentError(`${layer}: ${name} must be a positive integer, got ${String(value)}`);
}

export function checkProbability(layer: string, name: string, value: unknown): void {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) throw new ArgumentError(`${layer}: ${name} must be in [0, 1), got ${String(value)}`);
}

/** x must be [N, inChannels]. */
export function checkNodeFeatures(layer: string, x: Tensor, inChannels: number): void {
  if (!isTensor(x)) throw new ArgumentError(`${layer}: x must be a Tensor [N, ${inChannels}], got ${String(x)}`);
  if (x.rank !== 2 || x.shape[1] !== inChannels) throw new ShapeError(`${layer}: expected node features [N, ${inChannels}], got ${fmtShape(x.shape)}`);
  if (x.dtype !== 'float32' && x.dtype !== 'float64') throw new DTypeError(`${layer}: node features must be float32 or float64, got ${x.dtype}`);
}
