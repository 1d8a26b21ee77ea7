import { ArgumentError, Generator, fromData } from '@plexus/tensor';
import { edgeIndexFrom } from '../edge-index.js';
import { Graph } from '../graph.js';

export interface CyclesVsTreesOptions {
  /** Graphs in all, half cycles and half trees (default 400). */
  numGraphs?: number;
  /** Node counts drawn uniformly from [minNodes, maxNodes] (default 6 and 20). */
  minNodes?: number;
  maxNodes?: number;
  seed?: number;
}

/** Degree features: one-hot of min(degree, 4), five columns (PyG's OneHotDegree with max 4). */
export const DEGREE_FEATURES = 5;

/**
 * A random labelled tree on n nodes, uniform over all nᵐ⁻² trees: decoded from a random Prüfer
 * sequence. Returns undirected edges [a, b].
 */
export function randomTree(n: number, gen: Generator): [number, number][] {
  if (n === 1) return [];
  if (n === 2) return [[0, 1]];
  const u = gen.nextUniform(n - 2);
  const seq = Array.from(u, (v) => Math.floor(v * n));
  const degree = new Array<number>(n).fill(1);
  for (const v of seq) degree[v]++;
  const edges: [number, number][] = [];
  for (const v of seq) {
    const leaf = degree.findIndex((d) => d === 1);
    edges.push([leaf, v]);
    degree[leaf]--;
    degree[v]--;
  }
  const last = degree.flatMap((d, i) => (d === 1 ? [i] : []));
  edges.push([last[0], last[1]]);
  return edges;
}

function toGraph(n: number, edges: [number, number][], label: number, gen: Generator): Graph {
  // Shuffle node ids so a graph's class is not visible in its numbering.
  const u = gen.nextUniform(n);
  const perm = Array.from({ length: n }, (_, i) => i).sort((a, b) => u[a] - u[b]);
  const src = edges.flatMap(([a, b]) => [perm[a], perm[b]]);
  const dst = edges.flatMap(([a, b]) => [perm[b], perm[a]]);
  const deg = new Array<number>(n).fill(0);
  for (const s of src) deg[s]++;
  const x = new Float32Array(n * DEGREE_FEATURES);
  deg.forEach((d, i) => {
    x[i * DEGREE_FEATURES + Math.min(d, DEGREE_FEATURES - 1)] = 1;
  });
  return new Graph({ x: fromData('cyclesVsTrees', x, [n, DEGREE_FEATURES]), edgeIndex: edgeIndexFrom(src, dst), y: fromData('cyclesVsTrees', Int32Array.of(label), [1]), numNodes: n });
}

/**
 * A graph-classification set: cycles C_n (label 0) and uniform random trees (label 1) with the
 * same node counts, in random order, with one-hot degree features. Every tree has leaves and no
 * cycle node has one, so a GNN that sees degrees separates them; it checks batching and pooling
 * end to end rather than being a hard benchmark.
 */
export function cyclesVsTrees(options: CyclesVsTreesOptions = {}): Graph[] {
  const num = options.numGraphs ?? 400;
  const lo = options.minNodes ?? 6;
  const hi = options.maxNodes ?? 20;
  if (!Number.isInteger(num) || num < 2) throw new ArgumentError(`cyclesVsTrees: numGraphs must be an integer >= 2, got ${String(num)}`);
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 3 || hi < lo) throw new ArgumentError(`cyclesVsTrees: need integers 3 <= minNodes <= maxNodes, got ${lo} and ${hi}`);
  const gen = new Generator(options.seed ?? 0);
  const graphs: Graph[] = [];
  for (let i = 0; i < num; i++) {
    const n = lo + Math.floor(gen.nextUniform(1)[0] * (hi - lo + 1));
    const label = i % 2;
    const edges: [number, number][] = label === 0 ? Array.from({ length: n }, (_, v) => [v, (v + 1) % n]) : randomTree(n, gen);
    graphs.push(toGraph(n, edges, label, gen));
  }
  // Interleaved classes, then a seeded shuffle.
  const u = gen.nextUniform(num);
  return Array.from(graphs.keys()).sort((a, b) => u[a] - u[b]).map((i) => graphs[i]);
}
