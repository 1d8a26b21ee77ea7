import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Tensor } from '@plexus/tensor';
import { ArgumentError, fromData } from '@plexus/tensor';
import { download, getCacheDir } from '@plexus/data';
import { edgeIndexFrom, toUndirected } from '../edge-index.js';
import { Graph } from '../graph.js';
import { parsePickle } from '../io/pickle.js';
import type { HostArray } from '../io/numpy-pickle.js';
import { adjacencyFromPickle, matrixFromPickle, ndarrayFromPickle } from '../io/numpy-pickle.js';

export const PLANETOID_NAMES = ['Cora', 'CiteSeer', 'PubMed'] as const;
export type PlanetoidName = (typeof PLANETOID_NAMES)[number];

/** Where Yang et al.'s files live (the planetoid repository's data folder). */
export const PLANETOID_URL = 'https://github.com/kimiyoung/planetoid/raw/master/data';

/** The eight files of a dataset: ind.<name>.<suffix>. */
export const PLANETOID_FILES = ['x', 'tx', 'allx', 'y', 'ty', 'ally', 'graph', 'test.index'] as const;
export type PlanetoidFile = (typeof PLANETOID_FILES)[number];

export interface PlanetoidDataset {
  name: string;
  /** x [N, F] float32, edgeIndex undirected without self loops, y [N] int32 (−1: no label). */
  graph: Graph;
  numClasses: number;
  numFeatures: number;
  /** The public split: the nodes of ind.*.y, the next 500, and the nodes of test.index (sorted). */
  trainIndex: Tensor;
  valIndex: Tensor;
  testIndex: Tensor;
}

export interface PlanetoidParseOptions {
  /** Divide each feature row by its sum (PyG's NormalizeFeatures; default false). */
  normalizeFeatures?: boolean;
}

function parseTestIndex(bytes: Uint8Array, file: string): number[] {
  const text = new TextDecoder('utf-8').decode(bytes);
  const out: number[] = [];
  let offset = 0;
  text.split('\n').forEach((line, i) => {
    const s = line.trim();
    if (s !== '') {
      if (!/^\d+$/.test(s)) throw new ArgumentError(`parsePlanetoid: ${file} at byte offset ${offset} (line ${i + 1}): expected a node index, got '${s.slice(0, 40)}'`);
      out.push(Number(s));
    }
    offset += new TextEncoder().encode(line).length + 1;
  });
  if (out.length === 0) throw new ArgumentError(`parsePlanetoid: ${file} holds no node index`);
  return out;
}

/**
 * Builds the dataset from the eight files' bytes exactly as Kipf & Welling's and PyG's loaders do:
 * x = allx stacked on tx (for CiteSeer, whose test range has isolated nodes missing from tx, tx
 * is padded with zero rows to the whole range), then x[testIndex] = x[sorted(testIndex)]; the same
 * for the one-hot labels, turned into class indices (an all-zero row becomes −1). Edges come from
 * the adjacency dict, self loops and duplicates dropped, made undirected.
 */
export function parsePlanetoid(name: string, files: Record<PlanetoidFile, Uint8Array>, options: PlanetoidParseOptions = {}): PlanetoidDataset {
  const lname = name.toLowerCase();
  const fileName = (s: PlanetoidFile): string => `ind.${lname}.${s}`;
  const read = (s: PlanetoidFile): ReturnType<typeof parsePickle> => {
    const bytes = files[s];
    if (!(bytes instanceof Uint8Array)) throw new ArgumentError(`parsePlanetoid: missing file ${fileName(s)}`);
    return parsePickle(bytes, { source: fileName(s) });
  };
  const mat = (s: PlanetoidFile): HostArray => matrixFromPickle(read(s), `parsePlanetoid: ${fileName(s)}`);
  const labels = (s: PlanetoidFile): HostArray => {
    const a = ndarrayFromPickle(read(s), `parsePlanetoid: ${fileName(s)}`);
    if (a.shape.length !== 2) throw new ArgumentError(`parsePlanetoid: ${fileName(s)}: expected one-hot labels [n, classes], got shape [${a.shape.join(', ')}]`);
    return a;
  };
  const allx = mat('allx');
  const tx = mat('tx');
  const x = mat('x');
  const ally = labels('ally');
  const ty = labels('ty');
  const y = labels('y');
  const adjacency = adjacencyFromPickle(read('graph'), `parsePlanetoid: ${fileName('graph')}`);
  const testIndex = parseTestIndex(files['test.index'], fileName('test.index'));

  const f = allx.shape[1];
  const c = ally.shape[1];
  const shapeErr = (what: string): never => {
    throw new ArgumentError(`parsePlanetoid: ${name}: ${what}`);
  };
  if (tx.shape[1] !== f || x.shape[1] !== f) shapeErr(`feature widths differ: allx ${f}, tx ${tx.shape[1]}, x ${x.shape[1]}`);
  if (ty.shape[1] !== c || y.shape[1] !== c) shapeErr(`label widths differ: ally ${c}, ty ${ty.shape[1]}, y ${y.shape[1]}`);
  if (ty.shape[0] !== tx.shape[0]) shapeErr(`tx has ${tx.shape[0]} rows but ty ${ty.shape[0]}`);
  if (ally.shape[0] !== allx.shape[0]) shapeErr(`allx has ${allx.shape[0]} rows but ally ${ally.shape[0]}`);
  if (testIndex.length !== tx.shape[0]) shapeErr(`test.index lists ${testIndex.length} nodes but tx has ${tx.shape[0]} rows`);
  const nTrain = y.shape[0];
  if (nTrain > allx.shape[0]) shapeErr(`y has ${nTrain} rows, more than allx's ${allx.shape[0]}`);
  // 500 validation nodes after the training ones (fewer only in files smaller than the real ones).
  const nValEnd = Math.min(nTrain + 500, allx.shape[0]);

  const sorted = [...testIndex].sort((a, b) => a - b);
  const lo = sorted[0];
  const range = sorted[sorted.length - 1] - lo + 1;
  // Rows of the test block: tx as is, or (CiteSeer) padded to the full index range.
  const testRows = Math.max(range, tx.shape[0]);
  const padded = range > tx.shape[0];
  const n = allx.shape[0] + testRows;
  const stackedX = new Float64Array(n * f);
  const stackedY = new Float64Array(n * c);
  stackedX.set(allx.values, 0);
  stackedY.set(ally.values, 0);
  for (let k = 0; k < tx.shape[0]; k++) {
    const row = allx.shape[0] + (padded ? sorted[k] - lo : k);
    stackedX.set(tx.values.subarray(k * f, (k + 1) * f), row * f);
    stackedY.set(ty.values.subarray(k * c, (k + 1) * c), row * c);
  }
  for (const v of testIndex) if (v >= n) shapeErr(`test.index names node ${v}, but there are ${n} nodes`);
  // x[test_index] = x[sorted_test_index] (the right side is read before any write).
  const outX = stackedX.slice();
  const outY = stackedY.slice();
  testIndex.forEach((target, i) => {
    outX.set(stackedX.subarray(sorted[i] * f, (sorted[i] + 1) * f), target * f);
    outY.set(stackedY.subarray(sorted[i] * c, (sorted[i] + 1) * c), target * c);
  });
  if (options.normalizeFeatures) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < f; j++) s += outX[i * f + j];
      if (s > 0) for (let j = 0; j < f; j++) outX[i * f + j] /= s;
    }
  }
  const yIdx = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = -1;
    let bestV = 0;
    for (let j = 0; j < c; j++) if (outY[i * c + j] > bestV) [best, bestV] = [j, outY[i * c + j]];
    yIdx[i] = best;
  }
  const src: number[] = [];
  const dst: number[] = [];
  for (const [node, neighbours] of adjacency) {
    for (const m of neighbours) {
      if (node < 0 || node >= n || m < 0 || m >= n) shapeErr(`${fileName('graph')} has an edge ${node} → ${m}, outside the ${n} nodes`);
      if (node !== m) {
        src.push(node);
        dst.push(m);
      }
    }
  }
  const edgeIndex = toUndirected(edgeIndexFrom(src, dst), n);
  const range0 = (a: number, b: number): Tensor => fromData('parsePlanetoid', Int32Array.from({ length: b - a }, (_, i) => a + i), [b - a]);
  return {
    name,
    graph: new Graph({ x: fromData('parsePlanetoid', Float32Array.from(outX), [n, f]), edgeIndex, y: fromData('parsePlanetoid', yIdx, [n]) }),
    numClasses: c,
    numFeatures: f,
    trainIndex: range0(0, nTrain),
    valIndex: range0(nTrain, nValEnd),
    testIndex: fromData('parsePlanetoid', Int32Array.from(sorted), [sorted.length]),
  };
}

export interface LoadPlanetoidOptions extends PlanetoidParseOptions {
  /** Base URL of the files (default PLANETOID_URL); http(s) only, as @plexus/data's download. */
  baseUrl?: string;
  /** Where the files are cached (default <getCacheDir()>/planetoid/<name>). */
  cacheDir?: string;
  /** Download again even when cached. */
  force?: boolean;
}

/**
 * Downloads (once, into the cache) and parses Cora, CiteSeer or PubMed in Yang et al.'s raw
 * format, with the public split. Tested here on a small fixture in the same format served over
 * local HTTP; the real files need network access to PLANETOID_URL.
 */
export async function loadPlanetoid(name: PlanetoidName, options: LoadPlanetoidOptions = {}): Promise<PlanetoidDataset> {
  if (!(PLANETOID_NAMES as readonly string[]).includes(name)) throw new ArgumentError(`loadPlanetoid: name must be one of ${PLANETOID_NAMES.join(', ')}, got '${String(name)}'`);
  return loadPlanetoidFiles(name, options);
}

/** loadPlanetoid for any dataset name in the same format (e.g. a test fixture). */
export async function loadPlanetoidFiles(name: string, options: LoadPlanetoidOptions = {}): Promise<PlanetoidDataset> {
  const lname = name.toLowerCase();
  const base = (options.baseUrl ?? PLANETOID_URL).replace(/\/+$/, '');
  const cacheDir = options.cacheDir ?? join(getCacheDir(), 'planetoid', lname);
  const files = {} as Record<PlanetoidFile, Uint8Array>;
  for (const s of PLANETOID_FILES) {
    const path = await download(`${base}/ind.${lname}.${s}`, { cacheDir, force: options.force });
    files[s] = readFileSync(path);
  }
  return parsePlanetoid(name, files, options);
}
