import type { Tensor } from '@plexus/tensor';
import { ArgumentError, ShapeError, fmtShape, isTensor } from '@plexus/tensor';
import { checkEdgeIndex, inferNumNodes } from './edge-index.js';

export interface GraphInit {
  /** Node features [N, F]. */
  x?: Tensor | null;
  /** int32 [2, E]: edge e goes from edgeIndex[0][e] (source) to edgeIndex[1][e] (target). */
  edgeIndex: Tensor;
  /** Edge features [E, D] (or edge weights [E]). */
  edgeAttr?: Tensor | null;
  /** Node labels [N] or a graph label [1]. */
  y?: Tensor | null;
  /** Node count (default: x's rows, else the largest index + 1). */
  numNodes?: number;
}

function checkTensor(op: string, name: string, t: unknown): asserts t is Tensor {
  if (!isTensor(t)) throw new ArgumentError(`${op}: ${name} must be a Tensor, got ${String(t)}`);
}

/**
 * One graph (PyG's Data): node features, a validated edge index, optional edge features and
 * labels. Immutable; helpers such as addSelfLoops return new edge indices.
 */
export class Graph {
  readonly x: Tensor | null;
  readonly edgeIndex: Tensor;
  readonly edgeAttr: Tensor | null;
  readonly y: Tensor | null;
  readonly numNodes: number;

  constructor(init: GraphInit) {
    const op = 'Graph';
    if (init === null || typeof init !== 'object') throw new ArgumentError(`${op}: expected { x, edgeIndex, ... }, got ${String(init)}`);
    const { x = null, edgeAttr = null, y = null } = init;
    checkTensor(op, 'edgeIndex', init.edgeIndex);
    if (x !== null) {
      checkTensor(op, 'x', x);
      if (x.rank < 1) throw new ShapeError(`${op}: x must have a node dimension first ([N, F]), got ${fmtShape(x.shape)}`);
    }
    let numNodes = init.numNodes;
    if (numNodes !== undefined && (!Number.isInteger(numNodes) || numNodes < 0)) throw new ArgumentError(`${op}: numNodes must be an integer >= 0, got ${String(numNodes)}`);
    if (x !== null && numNodes !== undefined && x.shape[0] !== numNodes) throw new ShapeError(`${op}: x ${fmtShape(x.shape)} has ${x.shape[0]} rows but numNodes is ${numNodes}`);
    // checkEdgeIndex validates dtype and shape before inferNumNodes reads the values.
    if (numNodes === undefined && x === null) checkEdgeIndex(op, init.edgeIndex, Number.MAX_SAFE_INTEGER);
    numNodes ??= x !== null ? x.shape[0] : inferNumNodes(init.edgeIndex);
    checkEdgeIndex(op, init.edgeIndex, numNodes);
    const e = init.edgeIndex.shape[1];
    if (edgeAttr !== null) {
      checkTensor(op, 'edgeAttr', edgeAttr);
      if (edgeAttr.rank < 1 || edgeAttr.shape[0] !== e) throw new ShapeError(`${op}: edgeAttr must have one row per edge ([${e}, D] or [${e}]), got ${fmtShape(edgeAttr.shape)}`);
    }
    if (y !== null) checkTensor(op, 'y', y);
    this.x = x;
    this.edgeIndex = init.edgeIndex;
    this.edgeAttr = edgeAttr;
    this.y = y;
    this.numNodes = numNodes;
  }

  get numEdges(): number {
    return this.edgeIndex.shape[1];
  }

  /** F of x [N, F] (0 without features). */
  get numNodeFeatures(): number {
    return this.x === null ? 0 : this.x.rank === 1 ? 1 : this.x.shape[1];
  }

  /** A copy with some fields replaced (validated again). */
  with(changes: Partial<GraphInit>): Graph {
    return new Graph({ x: this.x, edgeIndex: this.edgeIndex, edgeAttr: this.edgeAttr, y: this.y, numNodes: this.numNodes, ...changes });
  }

  toString(): string {
    const part = (name: string, t: Tensor | null): string => (t === null ? '' : `, ${name}=${fmtShape(t.shape)}`);
    return `Graph(numNodes=${this.numNodes}, edgeIndex=${fmtShape(this.edgeIndex.shape)}${part('x', this.x)}${part('edgeAttr', this.edgeAttr)}${part('y', this.y)})`;
  }
}
