import { ArgumentError } from '@plexus/tensor';
import type { Labels } from './labels.js';
import { labelArray } from './labels.js';
import type { SeedOptions } from './random.js';
import { permutation, seededGenerator, shuffleInPlace } from './random.js';

export interface KFoldOptions extends SeedOptions {
  /** Shuffle before assigning folds (default false: contiguous folds, as sklearn's KFold). */
  shuffle?: boolean;
  /** Class labels: every fold gets each class within ±1 of an equal share. */
  stratify?: Labels;
}

export interface Fold {
  /** Sorted indices of the other k-1 folds. */
  train: number[];
  /** Sorted indices of this fold. */
  test: number[];
}

/**
 * k-fold cross-validation indices: every index is in exactly one test fold, and fold sizes differ
 * by at most one (the first n mod k folds are one larger).
 */
export function kFold(n: number, k: number, options: KFoldOptions = {}): Fold[] {
  if (!Number.isInteger(n) || n < 0) throw new ArgumentError(`kFold: n must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(k) || k < 2 || k > n) throw new ArgumentError(`kFold: k must be an integer in [2, n=${n}], got ${k}`);
  const fold = new Int32Array(n);
  if (options.stratify !== undefined) {
    const labels = labelArray('kFold', options.stratify, n);
    const generator = options.shuffle ? seededGenerator('kFold', options) : undefined;
    const classes = [...new Set(labels)].sort((a, b) => a - b);
    // Deal each class's samples round-robin, continuing the count across classes, so both every
    // class and the folds' totals are balanced to within one.
    let dealt = 0;
    for (const c of classes) {
      const members: number[] = [];
      labels.forEach((l, i) => {
        if (l === c) members.push(i);
      });
      if (generator) shuffleInPlace(members, generator);
      for (const i of members) fold[i] = dealt++ % k;
    }
  } else {
    const order = options.shuffle ? permutation(n, seededGenerator('kFold', options)) : Int32Array.from({ length: n }, (_, i) => i);
    const base = Math.floor(n / k);
    const extra = n % k;
    let offset = 0;
    for (let f = 0; f < k; f++) {
      const size = base + (f < extra ? 1 : 0);
      for (let j = 0; j < size; j++) fold[order[offset + j]] = f;
      offset += size;
    }
  }
  return Array.from({ length: k }, (_, f) => {
    const train: number[] = [];
    const test: number[] = [];
    fold.forEach((g, i) => (g === f ? test : train).push(i));
    return { train, test };
  });
}
