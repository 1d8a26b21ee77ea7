import type { Tensor } from '@plexus/tensor';
import { ArgumentError, ShapeError, concat, fmtShape, fromData, narrow } from '@plexus/tensor';
import { edgeIndexFrom, checkEdgeIndex } from './edge-index.js';
import { Graph } from './graph.js';

function concatField(name: string, parts: (Tensor | null)[]): Tensor | null {
  const present = parts.filter((t): t is Tensor => t !== null);
  if (present.length === 0) return null;
  if (present.length !== parts.length) throw new ArgumentError(`GraphBatch.fromGraphs: ${name} is set on ${present.length} of ${parts.length} graphs; it must be on all or none`);
  const tail = fmtShape(present[0].shape.slice(1));
  const bad = present.findIndex((t) => fmtShape(t.shape.slice(1)) !== tail || t.dtype !== present[0].dtype);
  if (bad >= 0) throw new ShapeError(`GraphBatch.fromGraphs: graph ${bad} has ${name} ${fmtShape(present[bad].shape)} ${present[bad].dtype}, graph 0 has ${name} ${fmtShape(present[0].shape)} ${present[0].dtype}`);
  return concat(present, 0);
}

/**
 * Many small graphs as one disjoint graph (PyG's Batch.from_data_list): node features and labels
 * concatenated, edge indices offset by the nodes before them, and a `batch` vector naming each
 * node's graph (for global pooling). `ptr[g]` is graph g's first node.
 */
export class GraphBatch extends Graph {
  /** int32 [N]: the graph of each node. */
  readonly batch: Tensor;
  /** Node offsets, numGraphs + 1 entries. */
  readonly ptr: readonly number[];
  /** Edge offsets, numGraphs + 1 entries. */
  readonly edgePtr: readonly number[];
  readonly numGraphs: number;

  private constructor(graph: Graph, batch: Tensor, ptr: number[], edgePtr: number[]) {
    super({ x: graph.x, edgeIndex: graph.edgeIndex, edgeAttr: graph.edgeAttr, y: graph.y, numNodes: graph.numNodes });
    this.batch = batch;
    this.ptr = ptr;
    this.edgePtr = edgePtr;
    this.numGraphs = ptr.length - 1;
  }

  static fromGraphs(graphs: readonly Graph[]): GraphBatch {
    if (!Array.isArray(graphs) || graphs.length === 0) throw new ArgumentError('GraphBatch.fromGraphs: expected a non-empty array of Graphs');
    graphs.forEach((g, i) => {
      if (!(g instanceof Graph)) throw new ArgumentError(`GraphBatch.fromGraphs: item ${i} is not a Graph`);
    });
    const ptr = [0];
    const edgePtr = [0];
    const src: number[] = [];
    const dst: number[] = [];
    const batch: number[] = [];
    graphs.forEach((g, i) => {
      const offset = ptr[ptr.length - 1];
      const edges = checkEdgeIndex('GraphBatch.fromGraphs', g.edgeIndex, g.numNodes);
      for (let e = 0; e < edges.src.length; e++) {
        src.push(edges.src[e] + offset);
        dst.push(edges.dst[e] + offset);
      }
      for (let v = 0; v < g.numNodes; v++) batch.push(i);
      ptr.push(offset + g.numNodes);
      edgePtr.push(edgePtr[edgePtr.length - 1] + edges.src.length);
    });
    const like = graphs[0].edgeIndex;
    const merged = new Graph({
      x: concatField('x', graphs.map((g) => g.x)),
      edgeIndex: edgeIndexFrom(src, dst, like),
      edgeAttr: concatField('edgeAttr', graphs.map((g) => g.edgeAttr)),
      y: concatField('y', graphs.map((g) => g.y)),
      numNodes: ptr[ptr.length - 1],
    });
    return new GraphBatch(merged, fromData('GraphBatch', Int32Array.from(batch), [batch.length], { backend: like.backend }), ptr, edgePtr);
  }

  /**
   * The graphs back (PyG's to_data_list). Labels are split per node when y has one row per node,
   * else one row per graph.
   */
  toGraphs(): Graph[] {
    const { src, dst } = checkEdgeIndex('GraphBatch.toGraphs', this.edgeIndex, this.numNodes);
    const yPerNode = this.y !== null && this.y.shape[0] === this.numNodes && this.numNodes !== this.numGraphs;
    if (this.y !== null && !yPerNode && this.y.shape[0] !== this.numGraphs) {
      throw new ShapeError(`GraphBatch.toGraphs: y ${fmtShape(this.y.shape)} has neither one row per node (${this.numNodes}) nor one per graph (${this.numGraphs})`);
    }
    return Array.from({ length: this.numGraphs }, (_, g) => {
      const [n0, n1] = [this.ptr[g], this.ptr[g + 1]];
      const [e0, e1] = [this.edgePtr[g], this.edgePtr[g + 1]];
      return new Graph({
        x: this.x === null ? null : narrow(this.x, 0, n0, n1 - n0),
        edgeIndex: edgeIndexFrom(src.subarray(e0, e1).map((v) => v - n0), dst.subarray(e0, e1).map((v) => v - n0), this.edgeIndex),
        edgeAttr: this.edgeAttr === null ? null : narrow(this.edgeAttr, 0, e0, e1 - e0),
        y: this.y === null ? null : yPerNode ? narrow(this.y, 0, n0, n1 - n0) : narrow(this.y, 0, g, 1),
        numNodes: n1 - n0,
      });
    });
  }
}
