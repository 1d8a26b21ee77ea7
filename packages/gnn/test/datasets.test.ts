import './helpers.js';
import { describe, expect, it } from 'vitest';
import { ArgumentError, Generator } from '@plexus/tensor';
import { KARATE_EDGES, cyclesVsTrees, degree, karateClub, randomTree, sbmDataset, stochasticBlockModel } from '../src/index.js';
import { values } from './helpers.js';

describe('karateClub', () => {
  it('is the 34-node, 78-edge graph with the two factions', () => {
    const g = karateClub();
    expect(g.numNodes).toBe(34);
    expect(KARATE_EDGES).toHaveLength(78);
    expect(new Set(KARATE_EDGES.map(([a, b]) => `${a}-${b}`)).size).toBe(78);
    expect(g.numEdges).toBe(156);
    const deg = values(degree(g.edgeIndex, 34));
    // Published degrees: the instructor (0) 16, the administrator (33) 17, node 32 12.
    expect([deg[0], deg[33], deg[32]]).toEqual([16, 17, 12]);
    expect(deg.reduce((a, b) => a + b, 0)).toBe(156);
    const y = values(g.y!);
    expect(y.filter((v) => v === 0)).toHaveLength(17);
    expect([y[0], y[33], y[8], y[9]]).toEqual([0, 1, 0, 1]);
    expect(g.x!.shape).toEqual([34, 34]);
  });
});

describe('stochastic block model', () => {
  it('is seeded, symmetric and denser inside blocks', () => {
    const a = stochasticBlockModel([30, 30], [[0.5, 0.05], [0.05, 0.5]], { seed: 1 });
    const b = stochasticBlockModel([30, 30], [[0.5, 0.05], [0.05, 0.5]], { seed: 1 });
    expect(values(a)).toEqual(values(b));
    expect(values(stochasticBlockModel([30, 30], [[0.5, 0.05], [0.05, 0.5]], { seed: 2 }))).not.toEqual(values(a));
    const [src, dst] = a.toArraySync() as number[][];
    const keys = new Set(src.map((s, i) => `${s}-${dst[i]}`));
    for (let i = 0; i < src.length; i++) expect(keys.has(`${dst[i]}-${src[i]}`)).toBe(true);
    expect(src.every((s, i) => s !== dst[i])).toBe(true);
    const inside = src.filter((s, i) => (s < 30) === (dst[i] < 30)).length;
    // Expected 2·(2·C(30,2)·0.5) = 870 inside, 2·900·0.05 = 90 across.
    expect(inside).toBeGreaterThan(750);
    expect(src.length - inside).toBeLessThan(150);
    expect(() => stochasticBlockModel([3, 3], [[0.5, 0.1], [0.2, 0.5]])).toThrow('stochasticBlockModel: an undirected model needs a symmetric edgeProbs');
    expect(() => stochasticBlockModel([3, 0], [[0.5, 0.1], [0.1, 0.5]])).toThrow(ArgumentError);
  });

  it('sbmDataset has equal communities, labels and noisy features', () => {
    const g = sbmDataset({ numNodes: 100, numBlocks: 4, seed: 3 });
    expect(g.x!.shape).toEqual([100, 8]);
    expect(values(g.y!).filter((v) => v === 3)).toHaveLength(25);
  });
});

describe('cycles vs trees', () => {
  it('randomTree decodes a Prüfer sequence into a tree', () => {
    const gen = new Generator(0);
    for (const n of [3, 7, 15]) {
      const edges = randomTree(n, gen);
      expect(edges).toHaveLength(n - 1);
      // Connected: a union-find over the edges joins everything.
      const parent = Array.from({ length: n }, (_, i) => i);
      const find = (v: number): number => (parent[v] === v ? v : (parent[v] = find(parent[v])));
      for (const [a, b] of edges) parent[find(a)] = find(b);
      expect(new Set(Array.from({ length: n }, (_, i) => find(i))).size).toBe(1);
    }
  });

  it('gives balanced, seeded graphs: cycles all degree 2, trees with n − 1 edges', () => {
    const gs = cyclesVsTrees({ numGraphs: 20, minNodes: 5, maxNodes: 9, seed: 4 });
    expect(gs).toHaveLength(20);
    const labels = gs.map((g) => values(g.y!)[0]);
    expect(labels.filter((v) => v === 0)).toHaveLength(10);
    for (const g of gs) {
      expect(g.numNodes).toBeGreaterThanOrEqual(5);
      expect(g.numNodes).toBeLessThanOrEqual(9);
      const cycle = values(g.y!)[0] === 0;
      expect(g.numEdges / 2).toBe(cycle ? g.numNodes : g.numNodes - 1);
      if (cycle) expect(values(degree(g.edgeIndex, g.numNodes)).every((d) => d === 2)).toBe(true);
    }
    expect(values(cyclesVsTrees({ numGraphs: 20, minNodes: 5, maxNodes: 9, seed: 4 })[3].edgeIndex)).toEqual(values(gs[3].edgeIndex));
    expect(() => cyclesVsTrees({ minNodes: 2 })).toThrow('cyclesVsTrees: need integers 3 <= minNodes <= maxNodes, got 2 and 20');
  });
});
