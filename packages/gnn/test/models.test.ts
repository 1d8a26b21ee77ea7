import './helpers.js';
import { describe, expect, it } from 'vitest';
import { ArgumentError, manualSeed, tensor } from '@plexus/tensor';
import {
  Graph, GraphBatch, GraphClassifier, NodeClassifier, cyclesVsTrees, graphAccuracy, karateClub, nodeAccuracy, trainGraphClassifier, trainNodeClassifier,
} from '../src/index.js';
import { expectLayerGradOk, i32, randn64 } from './helpers.js';

describe('NodeClassifier', () => {
  it('learns the karate factions from one labelled node each (GCN)', () => {
    manualSeed(0);
    const g = karateClub();
    const model = new NodeClassifier(34, 16, 2);
    const rest = Array.from({ length: 32 }, (_, i) => i + 1);
    const history = trainNodeClassifier(model, g, { trainIndex: [0, 33], testIndex: rest, epochs: 100 });
    expect(history.length).toBe(100);
    expect(history.get('loss')[99]).toBeLessThan(history.get('loss')[0]);
    expect(nodeAccuracy(model, g, rest)).toBeGreaterThan(0.85);
  });

  it('builds GraphSAGE and GAT stacks and checks its options', () => {
    const gat = new NodeClassifier(4, 8, 3, { conv: 'gat', heads: 2, numLayers: 3 });
    expect(gat.forward(randn64(1, [5, 4]).cast('float32'), i32([[0, 1], [1, 2]])).shape).toEqual([5, 3]);
    expect(new NodeClassifier(4, 8, 3, { conv: 'sage' }).embed(randn64(1, [5, 4]).cast('float32'), i32([[0], [1]])).shape).toEqual([5, 8]);
    expect(() => new NodeClassifier(4, 8, 3, { conv: 'gin' as 'gcn' })).toThrow('NodeClassifier: conv must be one of gcn, sage, gat, got gin');
    expect(() => new NodeClassifier(4, 6, 3, { conv: 'gat', heads: 4 })).toThrow('GAT: hiddenChannels (6) must be divisible by heads (4)');
    const g = karateClub();
    expect(() => trainNodeClassifier(new NodeClassifier(34, 4, 2), g, { trainIndex: [0, 34] })).toThrow('trainNodeClassifier: trainIndex holds node 34 at position 1, but the graph has 34 nodes');
    expect(() => trainNodeClassifier(new NodeClassifier(34, 4, 2), g.with({ y: null }), { trainIndex: [0] })).toThrow(ArgumentError);
  });

  it('passes gradCheck end to end in float64 (GCN, 2 layers, eval mode)', () => {
    manualSeed(2);
    const m = new NodeClassifier(3, 4, 2, { dtype: 'float64' }).eval();
    const ei = i32([[0, 1, 1, 2, 3], [1, 0, 2, 1, 0]]);
    expectLayerGradOk(m, [randn64(3, [4, 3])], (x) => m.forward(x, ei));
  });
});

describe('GraphClassifier', () => {
  it('separates cycles from trees with batched graphs and pooling', () => {
    manualSeed(0);
    const gs = cyclesVsTrees({ numGraphs: 60, seed: 1 });
    const model = new GraphClassifier(5, 16, 2, { pool: 'max' });
    const h = trainGraphClassifier(model, gs.slice(0, 45), { epochs: 15, batchSize: 15, valGraphs: gs.slice(45) });
    expect(h.get('valAccuracy')).toHaveLength(15);
    expect(graphAccuracy(model, gs.slice(45))).toBeGreaterThan(0.85);
  });

  it('passes gradCheck in float64 on a batch of two graphs, for each pooling', () => {
    const g1 = new Graph({ x: randn64(1, [3, 2]), edgeIndex: i32([[0, 1, 1, 2], [1, 0, 2, 1]]), y: i32([0]) });
    const g2 = new Graph({ x: randn64(2, [2, 2]), edgeIndex: i32([[0, 1], [1, 0]]), y: i32([1]) });
    const b = GraphBatch.fromGraphs([g1, g2]);
    for (const pool of ['mean', 'add', 'max'] as const) {
      manualSeed(5);
      const m = new GraphClassifier(2, 3, 2, { pool, numLayers: 2, dtype: 'float64', conv: 'sage' });
      expectLayerGradOk(m, [b.x!], (x) => m.forward(x, b.edgeIndex, b.batch, 2));
    }
  });

  it('needs labelled graphs with features', () => {
    const g = new Graph({ x: tensor([[1, 0, 0, 0, 0]]), edgeIndex: i32([[], []]) });
    expect(() => trainGraphClassifier(new GraphClassifier(5, 4, 2), [g])).toThrow('trainGraphClassifier: graph 0 needs one int32 graph label y [1], got none');
  });
});
