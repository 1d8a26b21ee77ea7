import type { Tensor } from '@plexus/tensor';
import { ArgumentError, fromData } from '@plexus/tensor';
import type { SeedOptions } from './random.js';
import { seededGenerator, shuffleInPlace } from './random.js';

/** A synthetic data set: float32 inputs and int32 class labels (float32 targets for regression). */
export interface SyntheticSet {
  x: Tensor;
  y: Tensor;
}

function checkCount(op: string, n: number, min = 1): void {
  if (!Number.isInteger(n) || n < min) throw new ArgumentError(`${op}: n must be an integer ≥ ${min}, got ${n}`);
}

function checkNoise(op: string, name: string, v: number): void {
  if (!Number.isFinite(v) || v < 0) throw new ArgumentError(`${op}: ${name} must be a non-negative number, got ${v}`);
}

/** Builds the set from per-sample points, shuffled so classes are interleaved. */
function finish(op: string, points: number[][], labels: number[], options: SeedOptions, shuffle: boolean, generator = seededGenerator(op, options)): SyntheticSet {
  const n = labels.length;
  const dims = points[0]?.length ?? 0;
  const order = Array.from({ length: n }, (_, i) => i);
  if (shuffle) shuffleInPlace(order, generator);
  const x = new Float32Array(n * dims);
  const y = new Int32Array(n);
  order.forEach((src, k) => {
    x.set(points[src], k * dims);
    y[k] = labels[src];
  });
  return { x: fromData(op, x, [n, dims]), y: fromData(op, y, [n]) };
}

/** Sizes of `k` groups sharing n as evenly as possible, the first ones larger. */
function groupSizes(n: number, k: number): number[] {
  return Array.from({ length: k }, (_, i) => Math.floor(n / k) + (i < n % k ? 1 : 0));
}

export interface MoonsOptions extends SeedOptions {
  /** Std of Gaussian noise added to each coordinate (default 0). */
  noise?: number;
  /** Shuffle the samples (default true). */
  shuffle?: boolean;
}

/**
 * Two interleaving half circles (sklearn's make_moons): the outer moon (label 0) is
 * (cos t, sin t) and the inner one (label 1) is (1 − cos t, 0.5 − sin t), t evenly in [0, π].
 */
export function makeMoons(n: number, options: MoonsOptions = {}): SyntheticSet {
  checkCount('makeMoons', n, 2);
  const { noise = 0, shuffle = true } = options;
  checkNoise('makeMoons', 'noise', noise);
  const g = seededGenerator('makeMoons', options);
  const outer = Math.floor(n / 2);
  const inner = n - outer;
  const points: number[][] = [];
  const labels: number[] = [];
  const t = (i: number, m: number): number => (m > 1 ? (Math.PI * i) / (m - 1) : 0);
  for (let i = 0; i < outer; i++) {
    points.push([Math.cos(t(i, outer)), Math.sin(t(i, outer))]);
    labels.push(0);
  }
  for (let i = 0; i < inner; i++) {
    points.push([1 - Math.cos(t(i, inner)), 0.5 - Math.sin(t(i, inner))]);
    labels.push(1);
  }
  if (noise > 0) {
    const z = g.nextNormal(2 * n);
    points.forEach((p, i) => {
      p[0] += noise * z[2 * i];
      p[1] += noise * z[2 * i + 1];
    });
  }
  return finish('makeMoons', points, labels, options, shuffle, g);
}

export interface SpiralsOptions extends SeedOptions {
  /** Number of arms, one class each (default 3). */
  classes?: number;
  /** Std of Gaussian noise added to the angle, in radians (default 0.2). */
  noise?: number;
  /** How far each arm winds, in radians (default 4). */
  turns?: number;
}

/**
 * Interleaved spiral arms (the CS231n spiral set): arm k has radius r evenly in [0, 1] and angle
 * 2πk/classes + turns·r + noise, point (r sin θ, r cos θ), label k.
 */
export function makeSpirals(n: number, options: SpiralsOptions = {}): SyntheticSet {
  const { classes = 3, noise = 0.2, turns = 4 } = options;
  if (!Number.isInteger(classes) || classes < 1) throw new ArgumentError(`makeSpirals: classes must be a positive integer, got ${classes}`);
  checkCount('makeSpirals', n, classes);
  checkNoise('makeSpirals', 'noise', noise);
  const g = seededGenerator('makeSpirals', options);
  const z = g.nextNormal(n);
  const points: number[][] = [];
  const labels: number[] = [];
  groupSizes(n, classes).forEach((m, k) => {
    for (let i = 0; i < m; i++) {
      const r = m > 1 ? i / (m - 1) : 0;
      const theta = (2 * Math.PI * k) / classes + turns * r + noise * z[points.length];
      points.push([r * Math.sin(theta), r * Math.cos(theta)]);
      labels.push(k);
    }
  });
  return finish('makeSpirals', points, labels, options, true, g);
}

export interface BlobsOptions extends SeedOptions {
  /** The number of centers (drawn uniformly in `box`) or their coordinates (default 3). */
  centers?: number | readonly (readonly number[])[];
  /** Std of each blob (default 1). */
  std?: number;
  /** Dimensions when centers is a number (default 2). */
  dims?: number;
  /** Range the random centers are drawn from (default [-10, 10]). */
  box?: readonly [number, number];
}

/** Isotropic Gaussian blobs (sklearn's make_blobs): label k for points around center k. */
export function makeBlobs(n: number, options: BlobsOptions = {}): SyntheticSet & { centers: number[][] } {
  const { centers: given = 3, std = 1, dims = 2, box = [-10, 10] } = options;
  checkNoise('makeBlobs', 'std', std);
  const g = seededGenerator('makeBlobs', options);
  let centers: number[][];
  if (typeof given === 'number') {
    if (!Number.isInteger(given) || given < 1) throw new ArgumentError(`makeBlobs: centers must be a positive integer or a list of points, got ${given}`);
    if (!Number.isInteger(dims) || dims < 1) throw new ArgumentError(`makeBlobs: dims must be a positive integer, got ${dims}`);
    const u = g.nextUniform(given * dims);
    centers = Array.from({ length: given }, (_, k) => Array.from({ length: dims }, (_, d) => box[0] + (box[1] - box[0]) * u[k * dims + d]));
  } else {
    if (!Array.isArray(given) || given.length === 0 || given.some((c) => !Array.isArray(c) || c.length !== given[0].length || c.length === 0)) {
      throw new ArgumentError('makeBlobs: centers must be a non-empty list of points of one dimension');
    }
    centers = given.map((c) => [...c]);
  }
  checkCount('makeBlobs', n, centers.length);
  const d = centers[0].length;
  const z = g.nextNormal(n * d);
  const points: number[][] = [];
  const labels: number[] = [];
  groupSizes(n, centers.length).forEach((m, k) => {
    for (let i = 0; i < m; i++) {
      const base = points.length * d;
      points.push(centers[k].map((c, j) => c + std * z[base + j]));
      labels.push(k);
    }
  });
  return { ...finish('makeBlobs', points, labels, options, true, g), centers };
}

export interface NoisySineOptions extends SeedOptions {
  /** Std of Gaussian noise on y (default 0.1). */
  noise?: number;
  /** The interval x is drawn from uniformly (default [-π, π]). */
  range?: readonly [number, number];
}

/** A regression set: x uniform in `range` ([n, 1] float32), y = sin(x) + noise ([n, 1] float32). */
export function makeNoisySine(n: number, options: NoisySineOptions = {}): SyntheticSet {
  checkCount('makeNoisySine', n);
  const { noise = 0.1, range = [-Math.PI, Math.PI] } = options;
  checkNoise('makeNoisySine', 'noise', noise);
  if (!(range[0] < range[1])) throw new ArgumentError(`makeNoisySine: range must be [low, high] with low < high, got [${range.join(', ')}]`);
  const g = seededGenerator('makeNoisySine', options);
  const u = g.nextUniform(n);
  const z = g.nextNormal(n);
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = range[0] + (range[1] - range[0]) * u[i];
    y[i] = Math.sin(x[i]) + noise * z[i];
  }
  return { x: fromData('makeNoisySine', x, [n, 1]), y: fromData('makeNoisySine', y, [n, 1]) };
}
