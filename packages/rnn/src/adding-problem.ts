import type { Tensor } from '@plexus/tensor';
import { ArgumentError, Generator, fromData } from '@plexus/tensor';

export interface AddingProblemOptions {
  /** Seed of a private generator (default 0). */
  seed?: number;
  /** Draw from this generator instead (e.g. a fresh batch per step from one stream). */
  generator?: Generator;
}

export interface SequenceSet {
  /** float32 inputs [n, T, features]. */
  x: Tensor;
  /** float32 targets. */
  y: Tensor;
}

/**
 * The adding problem (Hochreiter & Schmidhuber 1997; Le et al. 2015): each step is a pair
 * [value, marker] with value ~ U(0, 1); exactly two markers are 1, one in each half of the
 * sequence; the target [n, 1] is the sum of the two marked values. Remembering the first marked
 * value for up to `length` steps is the point: always answering 1 (the mean) gives MSE 1/6.
 */
export function addingProblem(n: number, length: number, options: AddingProblemOptions = {}): SequenceSet {
  if (!Number.isInteger(n) || n < 1) throw new ArgumentError(`addingProblem: n must be a positive integer, got ${String(n)}`);
  if (!Number.isInteger(length) || length < 2) throw new ArgumentError(`addingProblem: length must be an integer >= 2, got ${String(length)}`);
  const g = options.generator ?? new Generator(options.seed ?? 0);
  const values = g.nextUniform(n * length);
  const picks = g.nextUniform(2 * n);
  const half = Math.floor(length / 2);
  const x = new Float32Array(n * length * 2);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const a = Math.floor(picks[2 * i] * half);
    const b = half + Math.floor(picks[2 * i + 1] * (length - half));
    for (let t = 0; t < length; t++) {
      const k = (i * length + t) * 2;
      x[k] = values[i * length + t];
      x[k + 1] = t === a || t === b ? 1 : 0;
    }
    y[i] = x[(i * length + a) * 2] + x[(i * length + b) * 2];
  }
  return { x: fromData('addingProblem', x, [n, length, 2]), y: fromData('addingProblem', y, [n, 1]) };
}
