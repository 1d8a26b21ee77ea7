import type { Backend, DType, Tensor } from '@plexus/tensor';
import { ArgumentError, Generator, allocArray, fromData, getDefaultGenerator } from '@plexus/tensor';
import type { Box } from './domain.js';
import { checkBox } from './domain.js';

/** How points fill a region: independent uniform draws, a Latin hypercube, or a regular grid. */
export type SamplingMethod = 'uniform' | 'lhs' | 'grid';

export interface SampleOptions {
  /** Seed of a private generator (reproducible and independent of manualSeed). */
  seed?: number;
  /** A generator to draw from (default: the global one that manualSeed sets). */
  generator?: Generator;
  /** dtype of the points (default float32; float64 for accurate derivatives). */
  dtype?: DType;
  backend?: Backend;
}

function generatorOf(options: SampleOptions): Generator {
  if (options.generator !== undefined && options.seed !== undefined) throw new ArgumentError('sampling: give a seed or a generator, not both');
  if (options.generator !== undefined) return options.generator;
  return options.seed !== undefined ? new Generator(options.seed) : getDefaultGenerator();
}

function checkCount(op: string, n: number, min = 1): void {
  if (!Number.isInteger(n) || n < min) throw new ArgumentError(`${op}: the number of points must be an integer >= ${min}, got ${n}`);
}

function toTensor(op: string, rows: Float64Array, n: number, d: number, options: SampleOptions): Tensor {
  const dtype = options.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'float64') throw new ArgumentError(`${op}: dtype must be float32 or float64, got ${String(dtype)}`);
  const data = allocArray(dtype, n * d);
  data.set(rows);
  return fromData(op, data, [n, d], { backend: options.backend });
}

/** n values in [0, 1) per free dimension, as rows of a unit hypercube of dimension k. */
function unitPoints(method: 'uniform' | 'lhs', n: number, k: number, g: Generator): Float64Array {
  const out = new Float64Array(n * k);
  if (k === 0) return out;
  if (method === 'uniform') {
    out.set(g.nextUniform(n * k));
  } else {
    // Each dimension is cut into n strata; every stratum gets one point, strata paired at random.
    for (let j = 0; j < k; j++) {
      const u = g.nextUniform(2 * n);
      const perm = Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const r = Math.floor(u[n + i] * (i + 1));
        [perm[i], perm[r]] = [perm[r], perm[i]];
      }
      for (let i = 0; i < n; i++) out[i * k + j] = (perm[i] + u[i]) / n;
    }
  }
  return out;
}

/** Maps unit points onto the free dimensions of `domain`, with `fixed` dimensions set to a value. */
function place(domain: Box, unit: Float64Array, n: number, fixed: ReadonlyMap<number, number>): Float64Array {
  const d = domain.lower.length;
  const k = d - fixed.size;
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    let j = 0;
    for (let c = 0; c < d; c++) {
      const f = fixed.get(c);
      if (f !== undefined) out[i * d + c] = f;
      else out[i * d + c] = domain.lower[c] + (domain.upper[c] - domain.lower[c]) * unit[i * k + j++];
    }
  }
  return out;
}

/** n points drawn uniformly in the box: [n, d]. */
export function sampleUniform(domain: Box, n: number, options: SampleOptions = {}): Tensor {
  const d = checkBox('sampleUniform', domain);
  checkCount('sampleUniform', n);
  return toTensor('sampleUniform', place(domain, unitPoints('uniform', n, d, generatorOf(options)), n, new Map()), n, d, options);
}

/**
 * n points of a Latin hypercube in the box (McKay et al.): along every dimension each of the n
 * equal strata holds exactly one point, so the points cover each axis evenly. [n, d].
 */
export function sampleLatinHypercube(domain: Box, n: number, options: SampleOptions = {}): Tensor {
  const d = checkBox('sampleLatinHypercube', domain);
  checkCount('sampleLatinHypercube', n);
  return toTensor('sampleLatinHypercube', place(domain, unitPoints('lhs', n, d, generatorOf(options)), n, new Map()), n, d, options);
}

/**
 * A regular grid including the corners: `counts[i]` evenly spaced values along dimension i (one
 * number: the same along every dimension). Rows enumerate the grid with the last dimension
 * fastest (meshgrid 'ij' flattened): [∏counts, d].
 */
export function sampleGrid(domain: Box, counts: number | readonly number[], options: Omit<SampleOptions, 'seed' | 'generator'> = {}): Tensor {
  const d = checkBox('sampleGrid', domain);
  const c = typeof counts === 'number' ? new Array<number>(d).fill(counts) : [...counts];
  if (c.length !== d) throw new ArgumentError(`sampleGrid: expected ${d} counts (one per dimension), got ${c.length}`);
  c.forEach((m, i) => {
    if (!Number.isInteger(m) || m < 1) throw new ArgumentError(`sampleGrid: counts[${i}] must be a positive integer, got ${m}`);
  });
  const n = c.reduce((a, b) => a * b, 1);
  const out = new Float64Array(n * d);
  const axis = (i: number, k: number): number =>
    c[i] === 1 ? (domain.lower[i] + domain.upper[i]) / 2 : domain.lower[i] + ((domain.upper[i] - domain.lower[i]) * k) / (c[i] - 1);
  for (let r = 0; r < n; r++) {
    let rest = r;
    for (let i = d - 1; i >= 0; i--) {
      out[r * d + i] = axis(i, rest % c[i]);
      rest = Math.floor(rest / c[i]);
    }
  }
  return toTensor('sampleGrid', out, n, d, options);
}

/** Collocation points in the interior: uniform, Latin hypercube, or a grid of about n points. */
export function sampleCollocation(domain: Box, n: number, options: SampleOptions & { method?: SamplingMethod } = {}): Tensor {
  const { method = 'lhs', ...rest } = options;
  if (method === 'uniform') return sampleUniform(domain, n, rest);
  if (method === 'lhs') return sampleLatinHypercube(domain, n, rest);
  if (method === 'grid') {
    const d = checkBox('sampleCollocation', domain);
    checkCount('sampleCollocation', n);
    return sampleGrid(domain, Math.max(1, Math.round(n ** (1 / d))), rest);
  }
  throw new ArgumentError(`sampleCollocation: method must be 'uniform', 'lhs' or 'grid', got '${String(method)}'`);
}

export interface BoundaryOptions extends SampleOptions {
  /**
   * Dimensions whose two faces are boundaries (default: all). For a time-dependent problem with
   * columns (t, x) the spatial boundary is `dims: [1]`; the face t = t₀ is the initial condition.
   */
  dims?: readonly number[];
  /** How points fill each face (default 'uniform'; 'grid' spaces them evenly). */
  method?: SamplingMethod;
}

function facePoints(op: string, domain: Box, n: number, dim: number, value: number, method: SamplingMethod, g: Generator): Float64Array {
  const d = domain.lower.length;
  const k = d - 1;
  let unit: Float64Array;
  if (method === 'grid') {
    if (k > 1) throw new ArgumentError(`${op}: method 'grid' on faces needs a domain of at most 2 dimensions; use 'uniform' or 'lhs'`);
    unit = new Float64Array(n * k);
    for (let i = 0; i < n && k === 1; i++) unit[i] = n === 1 ? 0.5 : i / (n - 1);
  } else if (method === 'uniform' || method === 'lhs') {
    unit = unitPoints(method, n, k, g);
  } else {
    throw new ArgumentError(`${op}: method must be 'uniform', 'lhs' or 'grid', got '${String(method)}'`);
  }
  return place(domain, unit, n, new Map([[dim, value]]));
}

/**
 * n points on the boundary faces of the chosen dimensions (both faces of each), shared as evenly
 * as possible between the faces in the order lower₀, upper₀, lower₁, … . [n, d].
 */
export function sampleBoundary(domain: Box, n: number, options: BoundaryOptions = {}): Tensor {
  const d = checkBox('sampleBoundary', domain);
  checkCount('sampleBoundary', n);
  const dims = options.dims ?? Array.from({ length: d }, (_, i) => i);
  if (dims.length === 0) throw new ArgumentError('sampleBoundary: dims must name at least one dimension');
  dims.forEach((c) => {
    if (!Number.isInteger(c) || c < 0 || c >= d) throw new ArgumentError(`sampleBoundary: dimension ${c} is out of range for a ${d}-dimensional domain`);
  });
  if (new Set(dims).size !== dims.length) throw new ArgumentError(`sampleBoundary: dims lists a dimension twice: [${dims.join(',')}]`);
  const faces = dims.flatMap((c) => [[c, domain.lower[c]], [c, domain.upper[c]]] as const);
  const g = generatorOf(options);
  const out = new Float64Array(n * d);
  let row = 0;
  faces.forEach(([c, value], f) => {
    const m = Math.floor(n / faces.length) + (f < n % faces.length ? 1 : 0);
    if (m === 0) return;
    out.set(facePoints('sampleBoundary', domain, m, c, value, options.method ?? 'uniform', g), row * d);
    row += m;
  });
  return toTensor('sampleBoundary', out, n, d, options);
}

export interface InitialOptions extends SampleOptions {
  /** The time dimension (default 0: columns (t, x, …)). */
  dim?: number;
  method?: SamplingMethod;
}

/** n points on the initial face t = lower[dim] (dim 0 by default): [n, d]. */
export function sampleInitial(domain: Box, n: number, options: InitialOptions = {}): Tensor {
  const d = checkBox('sampleInitial', domain);
  checkCount('sampleInitial', n);
  const dim = options.dim ?? 0;
  if (!Number.isInteger(dim) || dim < 0 || dim >= d) throw new ArgumentError(`sampleInitial: dim ${dim} is out of range for a ${d}-dimensional domain`);
  const rows = facePoints('sampleInitial', domain, n, dim, domain.lower[dim], options.method ?? 'uniform', generatorOf(options));
  return toTensor('sampleInitial', rows, n, d, options);
}
