import { ArgumentError, Generator, fromData } from '@plexus/tensor';
import type { Tensor } from '@plexus/tensor';
import { edgeIndexFrom } from '../edge-index.js';
import { Graph } from '../graph.js';

export interface SBMOptions {
  /** Seed of the edge draws (default 0). */
  seed?: number;
  /** Draw i → j and j → i independently (default false: undirected, both directions stored). */
  directed?: boolean;
}

/**
 * A stochastic block model graph (PyG's stochastic_blockmodel_graph): node i is in block b(i)
 * (blocks laid out consecutively by `blockSizes`) and each pair i ≠ j is joined with probability
 * edgeProbs[b(i)][b(j)], drawn from a seeded generator. Returns the edge index, coalesced.
 */
export function stochasticBlockModel(blockSizes: readonly number[], edgeProbs: readonly (readonly number[])[], options: SBMOptions = {}): Tensor {
  const op = 'stochasticBlockModel';
  const k = blockSizes.length;
  if (k === 0 || blockSizes.some((s) => !Number.isInteger(s) || s < 1)) throw new ArgumentError(`${op}: blockSizes must be positive integers, got [${blockSizes.join(', ')}]`);
  if (edgeProbs.length !== k || edgeProbs.some((row) => row.length !== k || row.some((p) => !(p >= 0 && p <= 1)))) {
    throw new ArgumentError(`${op}: edgeProbs must be a ${k}×${k} matrix of probabilities in [0, 1]`);
  }
  const directed = options.directed ?? false;
  if (!directed && edgeProbs.some((row, a) => row.some((p, b) => p !== edgeProbs[b][a]))) throw new ArgumentError(`${op}: an undirected model needs a symmetric edgeProbs`);
  const block = blockSizes.flatMap((s, b) => Array<number>(s).fill(b));
  const n = block.length;
  const gen = new Generator(options.seed ?? 0);
  const src: number[] = [];
  const dst: number[] = [];
  for (let i = 0; i < n; i++) {
    // One row of draws at a time keeps memory at O(n) for large graphs.
    const u = gen.nextUniform(n);
    for (let j = directed ? 0 : i + 1; j < n; j++) {
      if (i === j || u[j] >= edgeProbs[block[i]][block[j]]) continue;
      src.push(i);
      dst.push(j);
      if (!directed) {
        src.push(j);
        dst.push(i);
      }
    }
  }
  // Sort by (source, target) for a canonical layout.
  const order = Array.from(src.keys()).sort((a, b) => src[a] - src[b] || dst[a] - dst[b]);
  return edgeIndexFrom(order.map((e) => src[e]), order.map((e) => dst[e]));
}

export interface SBMDatasetOptions {
  /** Nodes (default 1000), split evenly among the blocks (the first blocks get the remainder). */
  numNodes?: number;
  /** Communities (default 4). */
  numBlocks?: number;
  /** Edge probability within a community (default 0.04) and across (default 0.005). */
  pIn?: number;
  pOut?: number;
  /** Node feature dimension (default 8). */
  featureDim?: number;
  /**
   * Class signal in the features: x_i = signal · e_{block(i) mod featureDim} + N(0, I). The
   * default 1 leaves the features alone weak (a features-only GCN gets about 40% on the default
   * 4-community graph with 5 labels per community), so a model has to use the graph.
   */
  featureSignal?: number;
  seed?: number;
}

/**
 * A community-detection task: an undirected SBM with `numBlocks` equal communities, labels y =
 * community, and noisy low-dimensional features carrying only a weak class signal.
 */
export function sbmDataset(options: SBMDatasetOptions = {}): Graph {
  const n = options.numNodes ?? 1000;
  const k = options.numBlocks ?? 4;
  const pIn = options.pIn ?? 0.04;
  const pOut = options.pOut ?? 0.005;
  const d = options.featureDim ?? 8;
  const signal = options.featureSignal ?? 1;
  const seed = options.seed ?? 0;
  if (!Number.isInteger(n) || !Number.isInteger(k) || k < 1 || n < k) throw new ArgumentError(`sbmDataset: need integers numNodes >= numBlocks >= 1, got ${n} and ${k}`);
  if (!Number.isInteger(d) || d < 1) throw new ArgumentError(`sbmDataset: featureDim must be a positive integer, got ${String(d)}`);
  const sizes = Array.from({ length: k }, (_, b) => Math.floor(n / k) + (b < n % k ? 1 : 0));
  const probs = Array.from({ length: k }, (_, a) => Array.from({ length: k }, (_, b) => (a === b ? pIn : pOut)));
  const edgeIndex = stochasticBlockModel(sizes, probs, { seed });
  const y = sizes.flatMap((s, b) => Array<number>(s).fill(b));
  const noise = new Generator(seed + 1).nextNormal(n * d);
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) x[i * d + j] = noise[i * d + j] + (j === y[i] % d ? signal : 0);
  }
  return new Graph({ x: fromData('sbmDataset', x, [n, d]), edgeIndex, y: fromData('sbmDataset', Int32Array.from(y), [n]) });
}
