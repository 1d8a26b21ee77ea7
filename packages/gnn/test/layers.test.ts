import './helpers.js';
import { describe, expect, it } from 'vitest';
import { ArgumentError, DTypeError, ShapeError, manualSeed, tensor } from '@plexus/tensor';
import { GATConv, GCNConv, GraphSAGEConv, scatterSum } from '../src/index.js';
import { expectClose, expectLayerGradOk, f64, i32, path3, randn64, values } from './helpers.js';

// 4 nodes: the path 0–1–2, a directed edge 0 → 2 and node 3 sending to 0 (it receives nothing).
const t3 = (v: number): ReturnType<typeof f64> => tensor([[[v]]], { dtype: 'float64' });
const graph4 = (): ReturnType<typeof i32> => i32([[0, 1, 1, 2, 0, 3], [1, 0, 2, 1, 2, 0]]);

describe('GCNConv', () => {
  it('matches D^-1/2 (A+I) D^-1/2 X W + b computed by hand on the path 0–1–2', () => {
    const conv = new GCNConv(1, 1, { dtype: 'float64' });
    conv.loadStateDict({ 'lin.weight': f64([[1]]), bias: f64([0]) });
    const out = conv.forward(f64([[1], [2], [3]]), path3());
    // Degrees with self loops: 2, 3, 2.
    // out0 = x0/2 + x1/√(2·3); out1 = x0/√6 + x1/3 + x2/√6; out2 = x1/√6 + x2/2.
    const s6 = Math.sqrt(6);
    expectClose(out, [0.5 + 2 / s6, 1 / s6 + 2 / 3 + 3 / s6, 2 / s6 + 1.5]);
  });

  it('uses in-degrees, keeps an existing self loop, applies weights and bias', () => {
    const conv = new GCNConv(2, 1, { dtype: 'float64' });
    conv.loadStateDict({ 'lin.weight': f64([[1, -1]]), bias: f64([0.25]) });
    // Edges 0→1, 1→1 (a loop, not doubled), weight 2 on 0→1. Node 0 gets a loop (weight 1).
    const out = conv.forward(f64([[3, 1], [1, 0]]), i32([[0, 1], [1, 1]]), f64([2, 1]));
    // h = [2, 1]; deg0 = 1 (loop), deg1 = 2 + 1 = 3.
    // out0 = h0/1 + b = 2.25; out1 = 2·h0/√(1·3) + 1·h1/3 + b.
    expectClose(out, [2.25, (2 * 2) / Math.sqrt(3) + 1 / 3 + 0.25]);
  });

  it('without normalisation sums the messages', () => {
    const conv = new GCNConv(1, 1, { dtype: 'float64', normalize: false, addSelfLoops: false, bias: false });
    conv.loadStateDict({ 'lin.weight': f64([[2]]) });
    expectClose(conv.forward(f64([[1], [2], [3]]), path3()), [4, 8, 4]);
  });

  it('passes gradCheck in float64 w.r.t. x, edge weights and parameters', () => {
    manualSeed(0);
    const conv = new GCNConv(3, 2, { dtype: 'float64' });
    conv.loadStateDict({ bias: f64([0.1, -0.2]) }, { strict: false });
    const ei = graph4();
    expectLayerGradOk(conv, [randn64(1, [4, 3]), f64([1, 0.5, 2, 1.5, 0.7, 1.2])], (x, w) => conv.forward(x, ei, w));
  });
});

describe('GraphSAGEConv', () => {
  it('is W_neigh · mean of neighbours + b + W_root · x_i (by hand)', () => {
    const conv = new GraphSAGEConv(1, 1, { dtype: 'float64' });
    conv.loadStateDict({ 'linNeighbor.weight': f64([[2]]), 'linNeighbor.bias': f64([0.5]), 'linRoot.weight': f64([[-1]]) });
    // means: node0 ← {1}: 2; node1 ← {0, 2}: 2; node2 ← {1}: 2.
    expectClose(conv.forward(f64([[1], [2], [3]]), path3()), [2 * 2 + 0.5 - 1, 2 * 2 + 0.5 - 2, 2 * 2 + 0.5 - 3]);
    // A node without incoming edges aggregates 0.
    expectClose(conv.forward(f64([[1], [2], [3]]), i32([[0], [1]])), [0.5 - 1, 2 + 0.5 - 2, 0.5 - 3]);
  });

  it('normalize gives unit rows; rootWeight false drops the root term', () => {
    manualSeed(1);
    const out = new GraphSAGEConv(3, 4, { normalize: true, dtype: 'float64' }).forward(randn64(2, [3, 3]), path3());
    const rows = out.toArraySync() as number[][];
    for (const r of rows) expect(Math.hypot(...r)).toBeCloseTo(1, 12);
    const noRoot = new GraphSAGEConv(2, 2, { rootWeight: false });
    expect(noRoot.linRoot).toBeNull();
    expect(noRoot.parameters()).toHaveLength(2);
  });

  it('passes gradCheck in float64 w.r.t. x and parameters (plain and normalized)', () => {
    manualSeed(3);
    const ei = graph4();
    const conv = new GraphSAGEConv(3, 2, { dtype: 'float64' });
    expectLayerGradOk(conv, [randn64(4, [4, 3])], (x) => conv.forward(x, ei));
    const norm = new GraphSAGEConv(3, 2, { dtype: 'float64', normalize: true });
    expectLayerGradOk(norm, [randn64(5, [4, 3])], (x) => norm.forward(x, ei));
  });
});

describe('GATConv', () => {
  it('matches attention computed by hand on the path 0–1–2 (one head)', () => {
    const conv = new GATConv(1, 1, { dtype: 'float64' });
    conv.loadStateDict({ 'lin.weight': f64([[1]]), attSrc: t3(0.5), attDst: t3(-1), bias: f64([0]) });
    const x = [1, 2, 3];
    const lrelu = (v: number): number => (v > 0 ? v : 0.2 * v);
    // Neighbourhoods with self loops: 0 ← {1, 0}, 1 ← {0, 2, 1}, 2 ← {1, 2}.
    const hood = [[1, 0], [0, 2, 1], [1, 2]];
    const want = hood.map((js, i) => {
      const e = js.map((j) => lrelu(0.5 * x[j] - 1 * x[i]));
      const z = e.reduce((s, v) => s + Math.exp(v), 0);
      return js.reduce((s, j, k) => s + (Math.exp(e[k]) / z) * x[j], 0);
    });
    const { out, alpha, edgeIndex } = conv.forwardWithAttention(f64([[1], [2], [3]]), path3());
    expectClose(out, want);
    expect(edgeIndex.shape).toEqual([2, 7]); // 4 edges + 3 self loops
    // Attention into each node sums to 1.
    const dst = i32([values(edgeIndex).slice(7).map(Math.round)]).reshape([7]);
    expectClose(scatterSum(alpha, dst, 3), [1, 1, 1]);
  });

  it('concatenates or averages heads, and is stable for huge logits', () => {
    manualSeed(4);
    const cat = new GATConv(3, 2, { heads: 3 });
    expect(cat.forward(randn64(1, [4, 3]).cast('float32'), graph4()).shape).toEqual([4, 6]);
    const avg = new GATConv(3, 2, { heads: 3, concat: false });
    expect(avg.forward(randn64(1, [4, 3]).cast('float32'), graph4()).shape).toEqual([4, 2]);
    // Logits around 1e4: a naive exp overflows to Infinity/NaN.
    const big = new GATConv(1, 1, { dtype: 'float64' });
    big.loadStateDict({ 'lin.weight': f64([[1]]), attSrc: t3(1), attDst: t3(1) }, { strict: false });
    const out = values(big.forward(f64([[1e4], [2e4], [3e4]]), path3()));
    expect(out.every(Number.isFinite)).toBe(true);
    // Node 0 attends to itself (1e4 + 1e4) and node 1 (2e4 + 1e4): almost all weight on node 1.
    expect(out[0]).toBeCloseTo(2e4, 6);
  });

  it('drops attention only in training mode, reproducibly for a seed', () => {
    const conv = new GATConv(2, 2, { heads: 2, dropout: 0.5 });
    const x = randn64(7, [4, 2]).cast('float32');
    conv.eval();
    const a = values(conv.forward(x, graph4()));
    expect(values(conv.forward(x, graph4()))).toEqual(a);
    conv.train();
    manualSeed(9);
    const t1 = values(conv.forward(x, graph4()));
    manualSeed(9);
    expect(values(conv.forward(x, graph4()))).toEqual(t1);
    expect(t1).not.toEqual(a);
  });

  it('passes gradCheck in float64 w.r.t. x and parameters (2 heads, concat and mean)', () => {
    manualSeed(5);
    const ei = graph4();
    const conv = new GATConv(3, 2, { heads: 2, dtype: 'float64' });
    conv.loadStateDict({ bias: f64([0.1, 0.2, -0.1, 0.3]) }, { strict: false });
    expectLayerGradOk(conv, [randn64(6, [4, 3])], (x) => conv.forward(x, ei));
    const mean = new GATConv(3, 2, { heads: 2, concat: false, dtype: 'float64' });
    expectLayerGradOk(mean, [randn64(8, [4, 3])], (x) => mean.forward(x, ei));
  });
});

describe('layer input errors', () => {
  const x = tensor([[1, 2], [3, 4], [5, 6]]);
  it('name the layer, what it got and what it expected', () => {
    const layers = [new GCNConv(2, 2), new GraphSAGEConv(2, 2), new GATConv(2, 2)];
    for (const layer of layers) {
      const name = layer.constructor.name;
      expect(() => layer.forward(x, i32([[0, 3], [1, 0]]))).toThrow(ArgumentError);
      expect(() => layer.forward(x, i32([[0, 3], [1, 0]]))).toThrow(`${name}: edgeIndex has node 3 as the source (row 0) of edge 1, but the graph has 3 nodes (expected indices in [0, 3))`);
      expect(() => layer.forward(x, i32([[0, 1], [-1, 0]]))).toThrow(`${name}: edgeIndex has node -1 as the target (row 1) of edge 0`);
      expect(() => layer.forward(x, i32([[0, 1, 2]]))).toThrow(ShapeError);
      expect(() => layer.forward(x, i32([[0, 1, 2]]))).toThrow(`${name}: edgeIndex must have shape [2, E], got [1,3]`);
      expect(() => layer.forward(x, tensor([[0, 1], [1, 0]]))).toThrow(DTypeError);
      expect(() => layer.forward(x, tensor([[0, 1], [1, 0]]))).toThrow(`${name}: edgeIndex must be int32, got float32`);
      expect(() => layer.forward(tensor([[1, 2, 3]]), path3())).toThrow(`${name}: expected node features [N, 2], got [1,3]`);
    }
    expect(() => new GCNConv(0, 2)).toThrow(/GCNConv: inChannels must be a positive integer, got 0/);
    expect(() => new GATConv(2, 2, { heads: 1.5 })).toThrow(/GATConv: heads must be a positive integer/);
    expect(() => new GATConv(2, 2, { dropout: 1 })).toThrow(/GATConv: dropout must be in \[0, 1\)/);
    expect(() => new GraphSAGEConv(2, 2, { dtype: 'int32' })).toThrow(DTypeError);
    expect(() => new GCNConv(2, 2).forward(x, path3(), tensor([1, 2]))).toThrow('GCNConv: edgeWeight must have shape [4] (one weight per edge), got [2]');
  });
});
