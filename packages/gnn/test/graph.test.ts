import './helpers.js';
import { describe, expect, it } from 'vitest';
import { ArgumentError, DTypeError, ShapeError, eye, tensor } from '@plexus/tensor';
import {
  Graph, GraphBatch, addSelfLoops, coalesce, degree, edgeIndexFromPairs, removeSelfLoops, toUndirected,
} from '../src/index.js';
import { i32, path3, values } from './helpers.js';

const rows = (t: ReturnType<typeof i32>): number[][] => t.toArraySync() as number[][];

describe('Graph', () => {
  it('holds x, a validated edge index, edge features and labels', () => {
    const g = new Graph({ x: eye(3), edgeIndex: path3(), edgeAttr: tensor([[1], [2], [3], [4]]), y: i32([0, 1, 0]) });
    expect(g.numNodes).toBe(3);
    expect(g.numEdges).toBe(4);
    expect(g.numNodeFeatures).toBe(3);
    expect(String(g)).toBe('Graph(numNodes=3, edgeIndex=[2,4], x=[3,3], edgeAttr=[4,1], y=[3])');
    expect(new Graph({ edgeIndex: path3() }).numNodes).toBe(3); // largest index + 1
    expect(new Graph({ edgeIndex: path3(), numNodes: 5 }).numNodes).toBe(5); // isolated nodes 3, 4
  });

  it('rejects bad edge indices and mismatched fields with typed errors', () => {
    expect(() => new Graph({ x: eye(2), edgeIndex: path3() })).toThrow(ArgumentError);
    expect(() => new Graph({ x: eye(2), edgeIndex: path3() })).toThrow('Graph: edgeIndex has node 2 as the source (row 0) of edge 3, but the graph has 2 nodes (expected indices in [0, 2))');
    expect(() => new Graph({ edgeIndex: i32([[0, -1], [1, 0]]) })).toThrow('Graph: edgeIndex has node -1 as the source (row 0) of edge 1');
    expect(() => new Graph({ edgeIndex: tensor([[0, 1], [1, 0]]) })).toThrow(DTypeError);
    expect(() => new Graph({ edgeIndex: tensor([[0, 1], [1, 0]]) })).toThrow('Graph: edgeIndex must be int32, got float32');
    expect(() => new Graph({ edgeIndex: i32([0, 1, 1, 2]) })).toThrow(ShapeError);
    expect(() => new Graph({ edgeIndex: i32([0, 1, 1, 2]) })).toThrow('Graph: edgeIndex must have shape [2, E], got [4]');
    expect(() => new Graph({ edgeIndex: i32([[0, 1], [1, 0], [0, 0]]) })).toThrow('got [3,2]');
    expect(() => new Graph({ x: eye(3), edgeIndex: path3(), numNodes: 4 })).toThrow('Graph: x [3,3] has 3 rows but numNodes is 4');
    expect(() => new Graph({ x: eye(3), edgeIndex: path3(), edgeAttr: tensor([1, 2]) })).toThrow('Graph: edgeAttr must have one row per edge ([4, D] or [4]), got [2]');
    expect(() => new Graph({ edgeIndex: [[0, 1], [1, 0]] as never })).toThrow('Graph: edgeIndex must be a Tensor, got 0,1,1,0');
  });
});

describe('edge-index helpers', () => {
  it('addSelfLoops, removeSelfLoops, coalesce and toUndirected', () => {
    const e = edgeIndexFromPairs([[0, 1], [2, 2], [1, 2], [0, 1]]);
    expect(rows(addSelfLoops(e, 3))).toEqual([[0, 2, 1, 0, 0, 1, 2], [1, 2, 2, 1, 0, 1, 2]]);
    expect(rows(removeSelfLoops(e))).toEqual([[0, 1, 0], [1, 2, 1]]);
    expect(rows(coalesce(e))).toEqual([[0, 1, 2], [1, 2, 2]]);
    expect(rows(toUndirected(e))).toEqual([[0, 1, 1, 2, 2], [1, 0, 2, 1, 2]]);
    expect(() => edgeIndexFromPairs([[0, 1.5]])).toThrow('edgeIndexFromPairs: pair 0 must be two integers [source, target], got [0,1.5]');
    expect(() => addSelfLoops(e, 2)).toThrow('addSelfLoops: edgeIndex has node 2');
  });

  it('degree counts incoming (default) or outgoing edges, isolated nodes included', () => {
    const e = edgeIndexFromPairs([[0, 1], [0, 2], [1, 2]]);
    expect(values(degree(e, 4))).toEqual([0, 1, 2, 0]);
    expect(values(degree(e, 4, { row: 0 }))).toEqual([2, 1, 0, 0]);
    expect(degree(e).dtype).toBe('float32');
  });
});

describe('GraphBatch', () => {
  const g1 = new Graph({ x: tensor([[1], [2]]), edgeIndex: i32([[0], [1]]), edgeAttr: tensor([[5]]), y: i32([1]) });
  const g2 = new Graph({ x: tensor([[3], [4], [5]]), edgeIndex: path3(), edgeAttr: tensor([[6], [7], [8], [9]]), y: i32([0]) });

  it('merges graphs into one disjoint graph with a batch vector (Batch.from_data_list)', () => {
    const b = GraphBatch.fromGraphs([g1, g2, g1]);
    expect(b.numGraphs).toBe(3);
    expect(b.numNodes).toBe(7);
    expect(values(b.batch)).toEqual([0, 0, 1, 1, 1, 2, 2]);
    expect(b.ptr).toEqual([0, 2, 5, 7]);
    expect(rows(b.edgeIndex)).toEqual([[0, 2, 3, 3, 4, 5], [1, 3, 2, 4, 3, 6]]);
    expect(values(b.x!)).toEqual([1, 2, 3, 4, 5, 1, 2]);
    expect(values(b.edgeAttr!)).toEqual([5, 6, 7, 8, 9, 5]);
    expect(values(b.y!)).toEqual([1, 0, 1]);
  });

  it('splits back into the original graphs (to_data_list)', () => {
    const back = GraphBatch.fromGraphs([g1, g2]).toGraphs();
    expect(back).toHaveLength(2);
    expect(rows(back[1].edgeIndex)).toEqual(rows(g2.edgeIndex));
    expect(values(back[1].x!)).toEqual([3, 4, 5]);
    expect(values(back[1].edgeAttr!)).toEqual([6, 7, 8, 9]);
    expect(values(back[0].y!)).toEqual([1]);
    // Per-node labels split per node.
    const nodeLabels = GraphBatch.fromGraphs([g1.with({ y: i32([0, 1]) }), g2.with({ y: i32([2, 2, 1]) })]).toGraphs();
    expect(values(nodeLabels[1].y!)).toEqual([2, 2, 1]);
  });

  it('rejects empty lists and fields present on only some graphs', () => {
    expect(() => GraphBatch.fromGraphs([])).toThrow('GraphBatch.fromGraphs: expected a non-empty array of Graphs');
    expect(() => GraphBatch.fromGraphs([g1, g2.with({ edgeAttr: null })])).toThrow('GraphBatch.fromGraphs: edgeAttr is set on 1 of 2 graphs; it must be on all or none');
    expect(() => GraphBatch.fromGraphs([g1, g2.with({ x: tensor([[1, 2], [3, 4], [5, 6]]) })])).toThrow(/graph 1 has x \[3,2\] float32, graph 0 has x \[2,1\] float32/);
  });
});
