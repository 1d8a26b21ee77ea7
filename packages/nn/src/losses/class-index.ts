import type { Tensor } from '@plexus/tensor';
import { ArgumentError, DTypeError, ShapeError, fmtShape, isTensor, sub, where } from '@plexus/tensor';
import { optionalWeight } from './reduction.js';

/**
 * Shared by nllLoss and crossEntropy with class-index targets: the input [N, C, d1, …] (or
 * unbatched [C]) against int32 targets [N, d1, …] (or []), per sample as rows of [M, C].
 */
export interface ClassIndexOptions {
  /** A rescaling weight per class, shape [C]. */
  weight?: Tensor | null;
  /** Targets equal to this value add nothing to the loss nor to the mean's denominator (default −100). */
  ignoreIndex?: number;
}

export interface ClassTerms {
  /** −w[y]·x[y] per sample, 0 where ignored: [M]. */
  nll: Tensor;
  /** w[y] per sample, 0 where ignored: [M]. The mean divides by its sum. */
  sampleWeight: Tensor;
  /** True where the target is not ignored: [M] bool. */
  valid: Tensor;
  /** The log-probabilities as rows [M, C]. */
  rows: Tensor;
  /** The per-class weight [C] in the input's dtype, or null. */
  weight: Tensor | null;
  /** Shape of an unreduced loss: the target's shape. */
  outShape: readonly number[];
  numClasses: number;
}

/** The class dim is 1 (0 for unbatched [C] input). */
export const classDim = (input: Tensor): number => (input.rank === 1 ? 0 : 1);

export function checkClassTarget(op: string, input: Tensor, target: Tensor): void {
  if (!isTensor(target)) throw new ArgumentError(`${op}: expected target to be a Tensor, got ${target === null ? 'null' : typeof target}`);
  if (input.rank === 0) throw new ShapeError(`${op}: input must be [N, C, ...] or [C], got a scalar`);
  const expected = input.rank === 1 ? [] : [input.shape[0], ...input.shape.slice(2)];
  if (target.rank !== expected.length || target.shape.some((d, i) => d !== expected[i])) {
    throw new ShapeError(`${op}: class-index target must have shape ${fmtShape(expected)} for input ${fmtShape(input.shape)}, got ${fmtShape(target.shape)}`);
  }
  if (target.dtype !== 'int32') throw new DTypeError(`${op}: class-index target must be int32, got ${target.dtype}`);
}

/** Every target is a class in [0, C) or ignoreIndex; checked when the backend reads synchronously. */
function checkLabels(op: string, target: Tensor, numClasses: number, ignoreIndex: number): void {
  if (!target.backend.readSync || target.size === 0) return;
  const data = target.dataSync();
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v !== ignoreIndex && (v < 0 || v >= numClasses)) {
      throw new ArgumentError(
        `${op}: target label ${v} is out of range for ${numClasses} classes (at flat position ${i}); labels must be in [0, ${numClasses - 1}]` +
          (ignoreIndex < 0 || ignoreIndex >= numClasses ? ` or equal ignoreIndex (${ignoreIndex})` : ''),
      );
    }
  }
}

/** [N, C, d1, …] → [N·d1·…, C] with the class dim last; [C] → [1, C]. */
function asRows(x: Tensor): Tensor {
  if (x.rank === 1) return x.reshape([1, x.shape[0]]);
  if (x.rank === 2) return x;
  const perm = [0, ...x.shape.map((_, i) => i).slice(2), 1];
  return x.permute(perm).reshape([-1, x.shape[1]]);
}

/** The negative log-likelihood terms of log-probabilities `logp` (input's layout) at `target`. */
export function classTerms(op: string, logp: Tensor, target: Tensor, options: ClassIndexOptions): ClassTerms {
  const ignoreIndex = options.ignoreIndex ?? -100;
  if (!Number.isInteger(ignoreIndex)) throw new ArgumentError(`${op}: ignoreIndex must be an integer, got ${String(ignoreIndex)}`);
  const numClasses = logp.shape[classDim(logp)];
  const weight = optionalWeight(op, 'weight', options.weight, logp, [numClasses]);
  checkLabels(op, target, numClasses, ignoreIndex);
  const rows = asRows(logp);
  const M = rows.shape[0];
  const flat = target.reshape([M]);
  const valid = flat.ne(ignoreIndex);
  // Ignored targets look up class 0 (always valid) and are then masked out.
  const safe = where(valid, flat, 0);
  const picked = rows.gather(1, safe.reshape([M, 1])).reshape([M]);
  const sampleWeight = weight ? where(valid, weight.indexSelect(0, safe), 0) : valid.cast(logp.dtype);
  // 0 − p rather than −p, so a perfect prediction gives +0 (not −0), as PyTorch prints it.
  return { nll: sub(0, picked.mul(sampleWeight)), sampleWeight, valid, rows, weight, outShape: target.shape, numClasses };
}
