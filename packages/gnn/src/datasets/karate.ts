import { eye, fromData } from '@plexus/tensor';
import { edgeIndexFrom, toUndirected } from '../edge-index.js';
import { Graph } from '../graph.js';

/**
 * Zachary's karate club (Zachary, 1977): 78 friendships among 34 members, as in networkx's
 * karate_club_graph (0-based). Each pair is listed once, smaller node first.
 */
export const KARATE_EDGES: readonly (readonly [number, number])[] = [
  [0, 1], [0, 2], [0, 3], [0, 4], [0, 5], [0, 6], [0, 7], [0, 8], [0, 10], [0, 11], [0, 12], [0, 13], [0, 17], [0, 19], [0, 21], [0, 31],
  [1, 2], [1, 3], [1, 7], [1, 13], [1, 17], [1, 19], [1, 21], [1, 30],
  [2, 3], [2, 7], [2, 8], [2, 9], [2, 13], [2, 27], [2, 28], [2, 32],
  [3, 7], [3, 12], [3, 13], [4, 6], [4, 10], [5, 6], [5, 10], [5, 16], [6, 16],
  [8, 30], [8, 32], [8, 33], [9, 33], [13, 33], [14, 32], [14, 33], [15, 32], [15, 33], [18, 32], [18, 33], [19, 33],
  [20, 32], [20, 33], [22, 32], [22, 33], [23, 25], [23, 27], [23, 29], [23, 32], [23, 33], [24, 25], [24, 27], [24, 31],
  [25, 31], [26, 29], [26, 33], [27, 33], [28, 31], [28, 33], [29, 32], [29, 33], [30, 32], [30, 33], [31, 32], [31, 33], [32, 33],
];

/**
 * The faction each member joined after the split: 0 = Mr. Hi's club (node 0, the instructor),
 * 1 = the Officer's (node 33, the administrator). networkx's 'club' attribute.
 */
export const KARATE_FACTIONS: readonly number[] = [
  0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
];

/**
 * The karate club as a Graph: 34 nodes, 156 directed edges (both directions of the 78), one-hot
 * identity features x = I₃₄ (as in Kipf & Welling's featureless experiment) and y = faction.
 */
export function karateClub(): Graph {
  const edges = toUndirected(edgeIndexFrom(KARATE_EDGES.map((e) => e[0]), KARATE_EDGES.map((e) => e[1])), 34);
  return new Graph({ x: eye(34), edgeIndex: edges, y: fromData('karateClub', Int32Array.from(KARATE_FACTIONS), [34]) });
}
