import type { Generator } from '@plexus/tensor';
import { ArgumentError, getDefaultGenerator } from '@plexus/tensor';
import type { Dataset } from './dataset.js';
import { Subset } from './dataset.js';
import type { Labels } from './labels.js';
import { labelArray } from './labels.js';
import type { SeedOptions } from './random.js';
import { permutation, seededGenerator, shuffleInPlace } from './random.js';
import { roundMatrix } from './rounding.js';

export interface PartitionOptions {
  /** Class labels: each class is split in the same proportions as the whole. */
  stratify?: Int32Array;
  generator: Generator;
}

/**
 * Splits 0..n-1 into groups of the given sizes (summing to at most n; the rest is left out).
 * Each group comes back in random order. With `stratify`, every class contributes to every group
 * within ±1 of its exact share (class size × group size / n).
 */
export function partition(n: number, sizes: readonly number[], options: PartitionOptions): number[][] {
  const total = sizes.reduce((a, b) => a + b, 0);
  const { generator, stratify } = options;
  if (!stratify) {
    const perm = permutation(n, generator);
    let offset = 0;
    return sizes.map((s) => Array.from(perm.subarray(offset, (offset += s))));
  }
  const byClass = new Map<number, number[]>();
  stratify.forEach((label, i) => {
    let members = byClass.get(label);
    if (!members) byClass.set(label, (members = []));
    members.push(i);
  });
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  // A last column for the samples left out keeps every row's sum equal to its class size.
  const cols = total < n ? [...sizes, n - total] : [...sizes];
  const counts = roundMatrix(
    classes.map((c) => cols.map((s) => (byClass.get(c)!.length * s) / n)),
    classes.map((c) => byClass.get(c)!.length),
    cols,
  );
  const groups: number[][] = sizes.map(() => []);
  classes.forEach((c, ci) => {
    const members = shuffleInPlace(byClass.get(c)!, generator);
    let offset = 0;
    sizes.forEach((_, s) => {
      for (let k = 0; k < counts[ci][s]; k++) groups[s].push(members[offset++]);
    });
  });
  // Interleave the classes, so a loader without shuffling does not see one class at a time.
  return groups.map((g) => shuffleInPlace(g, generator));
}

/** Sizes from fractions (summing to at most 1) or counts; the first takes the rounding rest when fractions sum to 1. */
export function resolveSizes(op: string, n: number, parts: readonly number[]): number[] {
  if (parts.length === 0 || parts.some((p) => !Number.isFinite(p) || p < 0)) {
    throw new ArgumentError(`${op}: expected non-negative sizes or fractions, got [${parts.join(', ')}]`);
  }
  const sum = parts.reduce((a, b) => a + b, 0);
  if (sum <= 1 + 1e-9) {
    const sizes = parts.map((p) => Math.round(p * n));
    if (Math.abs(sum - 1) <= 1e-9) sizes[0] = n - sizes.slice(1).reduce((a, b) => a + b, 0);
    if (sizes[0] < 0) throw new ArgumentError(`${op}: fractions [${parts.join(', ')}] do not fit ${n} samples`);
    return sizes;
  }
  if (parts.some((p) => !Number.isInteger(p))) {
    throw new ArgumentError(`${op}: sizes must be fractions summing to at most 1 or integer counts, got [${parts.join(', ')}]`);
  }
  if (sum > n) throw new ArgumentError(`${op}: sizes [${parts.join(', ')}] add up to ${sum}, more than the ${n} samples`);
  return [...parts];
}

export interface RandomSplitOptions {
  /** Default: @plexus/tensor's default generator, as in torch.utils.data.random_split. */
  generator?: Generator;
}

/**
 * Splits a dataset into non-overlapping random Subsets (torch.utils.data.random_split). Lengths
 * are counts summing to the dataset's length, or fractions summing to 1: then each gets
 * floor(fraction × n) and the remainder goes one by one to the first subsets.
 */
export function randomSplit<T>(dataset: Dataset<T>, lengths: readonly number[], options: RandomSplitOptions = {}): Subset<T>[] {
  const n = dataset.length;
  if (lengths.length === 0 || lengths.some((l) => !Number.isFinite(l) || l < 0)) {
    throw new ArgumentError(`randomSplit: expected non-negative lengths, got [${lengths.join(', ')}]`);
  }
  let sizes: number[];
  const sum = lengths.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) < 1e-9 && lengths.every((l) => l <= 1)) {
    sizes = lengths.map((f) => Math.floor(n * f));
    const rest = n - sizes.reduce((a, b) => a + b, 0);
    for (let i = 0; i < rest; i++) sizes[i % sizes.length]++;
  } else {
    if (lengths.some((l) => !Number.isInteger(l)) || sum !== n) {
      throw new ArgumentError(`randomSplit: lengths [${lengths.join(', ')}] must be counts summing to the dataset length ${n}, or fractions summing to 1`);
    }
    sizes = [...lengths];
  }
  const perm = permutation(n, options.generator ?? getDefaultGenerator());
  let offset = 0;
  return sizes.map((s) => new Subset(dataset, perm.subarray(offset, (offset += s))));
}

export interface TrainValTestOptions extends SeedOptions {
  /** Validation share: a fraction in [0, 1) or an integer count ≥ 1 (default 0.1). */
  val?: number;
  /** Test share: a fraction in [0, 1) or an integer count ≥ 1 (default 0.1). */
  test?: number;
  /** Class labels (int array or int32 tensor): keeps each class's proportion in every split. */
  stratify?: Labels;
}

export interface Splits<S> {
  train: S;
  val: S;
  test: S;
}

function shareOf(op: string, name: string, v: number, n: number): number {
  if (!Number.isFinite(v) || v < 0 || (v >= 1 && !Number.isInteger(v))) {
    throw new ArgumentError(`${op}: ${name} must be a fraction in [0, 1) or an integer count, got ${v}`);
  }
  return v < 1 ? Math.round(v * n) : v;
}

/**
 * Random train/validation/test split of n samples (or of a dataset's samples), seeded (default
 * seed 0) so it is the same every run. Returns index arrays for a number and Subsets for a
 * dataset. With `stratify`, every class appears in each split within ±1 of its exact share.
 */
export function trainValTestSplit(n: number, options?: TrainValTestOptions): Splits<number[]>;
export function trainValTestSplit<T>(dataset: Dataset<T>, options?: TrainValTestOptions): Splits<Subset<T>>;
export function trainValTestSplit<T>(source: number | Dataset<T>, options: TrainValTestOptions = {}): Splits<number[]> | Splits<Subset<T>> {
  const op = 'trainValTestSplit';
  const n = typeof source === 'number' ? source : source.length;
  if (!Number.isInteger(n) || n < 0) throw new ArgumentError(`${op}: expected a sample count or a dataset, got ${String(source)}`);
  const nVal = shareOf(op, 'val', options.val ?? 0.1, n);
  const nTest = shareOf(op, 'test', options.test ?? 0.1, n);
  if (nVal + nTest > n) throw new ArgumentError(`${op}: val (${nVal}) and test (${nTest}) need more than the ${n} samples`);
  const stratify = options.stratify === undefined ? undefined : labelArray(op, options.stratify, n);
  const [train, val, test] = partition(n, [n - nVal - nTest, nVal, nTest], { stratify, generator: seededGenerator(op, options) });
  if (typeof source === 'number') return { train, val, test };
  return { train: new Subset(source, train), val: new Subset(source, val), test: new Subset(source, test) };
}
