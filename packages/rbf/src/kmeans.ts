import type { DType, Tensor } from '@plexus/tensor';
import { ArgumentError, Generator, ShapeError, allocArray, fmtShape, fromData, getDefaultGenerator, isTensor } from '@plexus/tensor';

export interface KMeansOptions {
  /** Seed of the k-means++ initialisation (default: draws from the global generator). */
  seed?: number;
  /** Lloyd iterations at most (default 100). */
  maxIter?: number;
  /**
   * Stop when the squared movement of the centres, summed, falls to tol × the data's mean
   * per-feature variance (scikit-learn's rule; default 1e-4).
   */
  tol?: number;
}

export interface KMeansResult {
  /** [k, d] on the input's backend, float32 for float32 input and float64 otherwise (the math runs in float64). */
  centroids: Tensor;
  /** The centroid index of each point. */
  labels: Int32Array;
  /** Sum of squared distances of the points to their centroids. */
  inertia: number;
  /** Lloyd iterations run. */
  iterations: number;
}

/** Points as one float64 row-major array. */
function hostRows(op: string, x: Tensor | readonly (readonly number[])[]): { data: Float64Array; n: number; d: number; backend?: Tensor['backend']; dtype: DType } {
  if (isTensor(x)) {
    if (x.rank !== 2) throw new ShapeError(`${op}: expected points of shape [N, d], got ${fmtShape(x.shape)}`);
    return { data: Float64Array.from(x.dataSync()), n: x.shape[0], d: x.shape[1], backend: x.backend, dtype: x.dtype === 'float32' ? 'float32' : 'float64' };
  }
  if (!Array.isArray(x) || x.length === 0) throw new ArgumentError(`${op}: expected a non-empty [N, d] tensor or array of points`);
  const d = x[0].length;
  const data = new Float64Array(x.length * d);
  x.forEach((row, i) => {
    if (row.length !== d) throw new ShapeError(`${op}: point ${i} has ${row.length} coordinates, point 0 has ${d}`);
    data.set(row, i * d);
  });
  return { data, n: x.length, d, dtype: 'float64' };
}

function sqDist(a: Float64Array, i: number, b: Float64Array, j: number, d: number): number {
  let s = 0;
  for (let c = 0; c < d; c++) {
    const t = a[i * d + c] - b[j * d + c];
    s += t * t;
  }
  return s;
}

/**
 * k-means++ seeding (Arthur & Vassilvitskii, 2007): the first centre uniformly at random, each next
 * one with probability proportional to the squared distance to the nearest centre chosen so far.
 */
function kMeansPlusPlus(x: Float64Array, n: number, d: number, k: number, g: Generator): Float64Array {
  const centres = new Float64Array(k * d);
  const u = g.nextUniform(k);
  const first = Math.min(n - 1, Math.floor(u[0] * n));
  centres.set(x.subarray(first * d, first * d + d), 0);
  const closest = new Float64Array(n);
  for (let i = 0; i < n; i++) closest[i] = sqDist(x, i, centres, 0, d);
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let i = 0; i < n; i++) total += closest[i];
    let pick = n - 1;
    if (total > 0) {
      let target = u[c] * total;
      for (let i = 0; i < n; i++) {
        target -= closest[i];
        if (target < 0) {
          pick = i;
          break;
        }
      }
    } else {
      // Every point coincides with a centre already (duplicates): any point will do.
      pick = Math.min(n - 1, Math.floor(u[c] * n));
    }
    centres.set(x.subarray(pick * d, pick * d + d), c * d);
    for (let i = 0; i < n; i++) closest[i] = Math.min(closest[i], sqDist(x, i, centres, c, d));
  }
  return centres;
}

/**
 * k-means clustering (Lloyd's algorithm with k-means++ seeding), on the host in float64: the
 * centres of an RBF network. Deterministic for a given seed. An empty cluster takes the point
 * farthest from its centroid.
 */
export function kMeans(x: Tensor | readonly (readonly number[])[], k: number, options: KMeansOptions = {}): KMeansResult {
  const { data, n, d, backend, dtype } = hostRows('kMeans', x);
  if (!Number.isInteger(k) || k < 1) throw new ArgumentError(`kMeans: k must be a positive integer, got ${k}`);
  if (k > n) throw new ArgumentError(`kMeans: k = ${k} is larger than the number of points (${n}); use at most ${n} clusters`);
  const { maxIter = 100, tol = 1e-4 } = options;
  if (!Number.isInteger(maxIter) || maxIter < 1) throw new ArgumentError(`kMeans: maxIter must be a positive integer, got ${maxIter}`);
  if (!(tol >= 0 && Number.isFinite(tol))) throw new ArgumentError(`kMeans: tol must be a finite number >= 0, got ${tol}`);
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) throw new ArgumentError(`kMeans: point ${Math.floor(i / d)} has a non-finite coordinate (${data[i]})`);
  }
  const g = options.seed !== undefined ? new Generator(options.seed) : getDefaultGenerator();
  // scikit-learn's tolerance is relative to the data's scale: mean per-feature variance.
  let meanVar = 0;
  for (let c = 0; c < d; c++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += data[i * d + c] / n;
    for (let i = 0; i < n; i++) meanVar += (data[i * d + c] - m) ** 2 / (n * d);
  }
  const threshold = tol * meanVar;

  let centres = kMeansPlusPlus(data, n, d, k, g);
  const labels = new Int32Array(n);
  const dist = new Float64Array(n);
  const assign = (): void => {
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestD = Infinity;
      for (let c = 0; c < k; c++) {
        const s = sqDist(data, i, centres, c, d);
        if (s < bestD) [best, bestD] = [c, s];
      }
      labels[i] = best;
      dist[i] = bestD;
    }
  };
  let iterations = 0;
  for (let it = 0; it < maxIter; it++) {
    assign();
    iterations = it + 1;
    const next = new Float64Array(k * d);
    const counts = new Int32Array(k);
    for (let i = 0; i < n; i++) {
      counts[labels[i]]++;
      for (let c = 0; c < d; c++) next[labels[i] * d + c] += data[i * d + c];
    }
    const taken = new Set<number>();
    for (let c = 0; c < k; c++) {
      if (counts[c] > 0) {
        for (let j = 0; j < d; j++) next[c * d + j] /= counts[c];
        continue;
      }
      // Empty cluster: move it to the point worst served by its centroid.
      let far = -1;
      for (let i = 0; i < n; i++) if (!taken.has(i) && (far < 0 || dist[i] > dist[far])) far = i;
      taken.add(far);
      next.set(data.subarray(far * d, far * d + d), c * d);
      dist[far] = 0;
    }
    let shift = 0;
    for (let j = 0; j < next.length; j++) shift += (next[j] - centres[j]) ** 2;
    centres = next;
    if (shift <= threshold) break;
  }
  assign();
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += dist[i];
  const out = allocArray(dtype, k * d);
  out.set(centres);
  return { centroids: fromData('kMeans', out, [k, d], { backend }), labels, inertia, iterations };
}
