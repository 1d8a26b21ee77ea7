import type { Tensor } from '@plexus/tensor';
import { ArgumentError, DTypeError, ShapeError, fmtShape, fromData, isTensor } from '@plexus/tensor';
import { hostData } from './host.js';

/** An edge index read back to the host: edge e goes from src[e] to dst[e]. */
export interface HostEdges {
  src: Int32Array;
  dst: Int32Array;
}

interface Checked extends HostEdges {
  dataId: object;
  numNodes: number;
}

// Tensors are immutable (assign() swaps the storage, which the dataId check catches), so a
// validated edge index is remembered: layers re-check the same graph every forward pass.
const checked = new WeakMap<Tensor, Checked>();

/**
 * Checks that `edgeIndex` is an int32 tensor of shape [2, E] with every entry in [0, numNodes),
 * and returns its rows on the host. Errors name the op, what it got and what it expected.
 */
export function checkEdgeIndex(op: string, edgeIndex: Tensor, numNodes: number): HostEdges {
  if (!isTensor(edgeIndex)) throw new ArgumentError(`${op}: edgeIndex must be a Tensor of shape [2, E], got ${String(edgeIndex)}`);
  const hit = checked.get(edgeIndex);
  if (hit && hit.dataId === edgeIndex.dataId && hit.numNodes === numNodes) return hit;
  if (edgeIndex.dtype !== 'int32') throw new DTypeError(`${op}: edgeIndex must be int32, got ${edgeIndex.dtype}`);
  if (edgeIndex.rank !== 2 || edgeIndex.shape[0] !== 2) throw new ShapeError(`${op}: edgeIndex must have shape [2, E], got ${fmtShape(edgeIndex.shape)}`);
  if (!Number.isInteger(numNodes) || numNodes < 0) throw new ArgumentError(`${op}: numNodes must be an integer >= 0, got ${String(numNodes)}`);
  const data = hostData(op, 'edgeIndex', edgeIndex);
  const e = edgeIndex.shape[1];
  for (let i = 0; i < 2 * e; i++) {
    const v = data[i];
    if (v < 0 || v >= numNodes) {
      const row = i < e ? 'source (row 0)' : 'target (row 1)';
      throw new ArgumentError(`${op}: edgeIndex has node ${v} as the ${row} of edge ${i % e}, but the graph has ${numNodes} nodes (expected indices in [0, ${numNodes}))`);
    }
  }
  const result: Checked = { src: Int32Array.from({ length: e }, (_, i) => data[i]), dst: Int32Array.from({ length: e }, (_, i) => data[e + i]), dataId: edgeIndex.dataId, numNodes };
  checked.set(edgeIndex, result);
  return result;
}

/** A [2, E] int32 edge index from host rows. */
export function edgeIndexFrom(src: ArrayLike<number>, dst: ArrayLike<number>, like?: Tensor): Tensor {
  if (src.length !== dst.length) throw new ShapeError(`edgeIndexFrom: ${src.length} sources but ${dst.length} targets`);
  const data = new Int32Array(2 * src.length);
  data.set(Array.from(src), 0);
  data.set(Array.from(dst), src.length);
  return fromData('edgeIndexFrom', data, [2, src.length], like ? { backend: like.backend } : {});
}

/** An edge index from [source, target] pairs, e.g. edgeIndexFromPairs([[0, 1], [1, 2]]). */
export function edgeIndexFromPairs(pairs: readonly (readonly [number, number])[] | readonly (readonly number[])[]): Tensor {
  pairs.forEach((p, i) => {
    if (!Array.isArray(p) || p.length !== 2 || !p.every((v) => Number.isInteger(v))) {
      throw new ArgumentError(`edgeIndexFromPairs: pair ${i} must be two integers [source, target], got ${JSON.stringify(p)}`);
    }
  });
  return edgeIndexFrom(pairs.map((p) => p[0]), pairs.map((p) => p[1]));
}

/** Largest node index + 1 (0 for no edges): the node count when none is given. */
export function inferNumNodes(edgeIndex: Tensor): number {
  const data = hostData('inferNumNodes', 'edgeIndex', edgeIndex);
  let max = -1;
  for (let i = 0; i < data.length; i++) if (data[i] > max) max = data[i];
  return max + 1;
}

function resolveNodes(op: string, edgeIndex: Tensor, numNodes: number | undefined): number {
  if (numNodes !== undefined) return numNodes;
  if (!isTensor(edgeIndex)) throw new ArgumentError(`${op}: edgeIndex must be a Tensor of shape [2, E], got ${String(edgeIndex)}`);
  if (edgeIndex.dtype !== 'int32') throw new DTypeError(`${op}: edgeIndex must be int32, got ${edgeIndex.dtype}`);
  return inferNumNodes(edgeIndex);
}

/** Edges sorted by (source, target) with duplicates removed (torch_geometric.utils.coalesce). */
export function coalesce(edgeIndex: Tensor, numNodes?: number): Tensor {
  const n = resolveNodes('coalesce', edgeIndex, numNodes);
  const { src, dst } = checkEdgeIndex('coalesce', edgeIndex, n);
  const keys = new Float64Array(src.length);
  for (let e = 0; e < src.length; e++) keys[e] = src[e] * n + dst[e];
  const sorted = Array.from(new Set(keys.sort()));
  return edgeIndexFrom(sorted.map((k) => Math.floor(k / n)), sorted.map((k) => k % n), edgeIndex);
}

/** Every edge in both directions, coalesced (torch_geometric.utils.to_undirected). */
export function toUndirected(edgeIndex: Tensor, numNodes?: number): Tensor {
  const n = resolveNodes('toUndirected', edgeIndex, numNodes);
  const { src, dst } = checkEdgeIndex('toUndirected', edgeIndex, n);
  return coalesce(edgeIndexFrom([...src, ...dst], [...dst, ...src], edgeIndex), n);
}

/** The edge index without edges i → i. */
export function removeSelfLoops(edgeIndex: Tensor, numNodes?: number): Tensor {
  const n = resolveNodes('removeSelfLoops', edgeIndex, numNodes);
  const { src, dst } = checkEdgeIndex('removeSelfLoops', edgeIndex, n);
  const keep = Array.from(src.keys()).filter((e) => src[e] !== dst[e]);
  return edgeIndexFrom(keep.map((e) => src[e]), keep.map((e) => dst[e]), edgeIndex);
}

/**
 * Appends an edge i → i for every node (torch_geometric.utils.add_self_loops); existing self
 * loops are kept, so call removeSelfLoops first to have exactly one per node.
 */
export function addSelfLoops(edgeIndex: Tensor, numNodes?: number): Tensor {
  const n = resolveNodes('addSelfLoops', edgeIndex, numNodes);
  const { src, dst } = checkEdgeIndex('addSelfLoops', edgeIndex, n);
  const loops = Array.from({ length: n }, (_, i) => i);
  return edgeIndexFrom([...src, ...loops], [...dst, ...loops], edgeIndex);
}

/** In-degree (`row` 1, the default: edges arriving at each node) or out-degree (`row` 0), as float32. */
export function degree(edgeIndex: Tensor, numNodes?: number, options: { row?: 0 | 1 } = {}): Tensor {
  const n = resolveNodes('degree', edgeIndex, numNodes);
  const { src, dst } = checkEdgeIndex('degree', edgeIndex, n);
  const row = options.row ?? 1;
  if (row !== 0 && row !== 1) throw new ArgumentError(`degree: row must be 0 (sources) or 1 (targets), got ${String(row)}`);
  const deg = new Float32Array(n);
  for (const v of row === 1 ? dst : src) deg[v]++;
  return fromData('degree', deg, [n], { backend: edgeIndex.backend });
}

interface Rows {
  dataId: object;
  numNodes: number;
  src: Tensor;
  dst: Tensor;
}
const rowCache = new WeakMap<Tensor, Rows>();

/**
 * The two rows of a validated edge index as 1-D int32 tensors (sources, targets), cached per
 * edge index so that repeated forward passes over one graph reuse them (and the segment layouts
 * keyed on them).
 */
export function edgeRows(op: string, edgeIndex: Tensor, numNodes: number): { src: Tensor; dst: Tensor } {
  const hit = rowCache.get(edgeIndex);
  if (hit && hit.dataId === edgeIndex.dataId && hit.numNodes === numNodes) return hit;
  const { src, dst } = checkEdgeIndex(op, edgeIndex, numNodes);
  // keep(): cached across calls, so a scope() around one forward pass must not dispose them.
  const mk = (a: Int32Array): Tensor => fromData(op, Int32Array.from(a), [a.length], { backend: edgeIndex.backend }).keep();
  const rows: Rows = { dataId: edgeIndex.dataId, numNodes, src: mk(src), dst: mk(dst) };
  rowCache.set(edgeIndex, rows);
  return rows;
}
