// @plexus/gnn: graph neural networks (message passing over edge indices).
export { Graph } from './graph.js';
export type { GraphInit } from './graph.js';
export { GraphBatch } from './batch.js';
export {
  addSelfLoops, checkEdgeIndex, coalesce, degree, edgeIndexFrom, edgeIndexFromPairs, edgeRows, inferNumNodes, removeSelfLoops, toUndirected,
} from './edge-index.js';
export type { HostEdges } from './edge-index.js';
export { scatterMax, scatterMean, scatterSum, segmentCounts } from './scatter.js';
export { segmentSoftmax } from './segment-softmax.js';
export { GCNConv } from './gcn-conv.js';
export type { GCNConvOptions } from './gcn-conv.js';
export { GraphSAGEConv } from './sage-conv.js';
export type { GraphSAGEConvOptions } from './sage-conv.js';
export { GATConv } from './gat-conv.js';
export type { GATAttention, GATConvOptions } from './gat-conv.js';
export { GLOBAL_POOLS, globalAddPool, globalMaxPool, globalMeanPool } from './pool.js';
export type { GlobalPoolName } from './pool.js';
export { CONV_TYPES, GraphClassifier, NodeClassifier } from './models.js';
export type { ConvStackOptions, ConvType, GraphClassifierOptions, MessagePassing } from './models.js';
export { accuracy, graphAccuracy, nodeAccuracy, trainGraphClassifier, trainNodeClassifier } from './train.js';
export type { GraphTrainOptions, NodeTrainOptions } from './train.js';
export { KARATE_EDGES, KARATE_FACTIONS, karateClub } from './datasets/karate.js';
export { sbmDataset, stochasticBlockModel } from './datasets/sbm.js';
export type { SBMDatasetOptions, SBMOptions } from './datasets/sbm.js';
export { DEGREE_FEATURES, cyclesVsTrees, randomTree } from './datasets/cycles-trees.js';
export type { CyclesVsTreesOptions } from './datasets/cycles-trees.js';
export { PLANETOID_FILES, PLANETOID_NAMES, PLANETOID_URL, loadPlanetoid, loadPlanetoidFiles, parsePlanetoid } from './datasets/planetoid.js';
export type { LoadPlanetoidOptions, PlanetoidDataset, PlanetoidFile, PlanetoidName, PlanetoidParseOptions } from './datasets/planetoid.js';
export { PyGlobal, PyObject, PyTuple, parsePickle } from './io/pickle.js';
export type { ParsePickleOptions, PyKey, PyValue } from './io/pickle.js';
export { adjacencyFromPickle, matrixFromPickle, ndarrayFromPickle } from './io/numpy-pickle.js';
export type { HostArray } from './io/numpy-pickle.js';
export { embeddingScatterSpec, pca2, plotEmbeddings } from './plots.js';
export type { EmbeddingPlotOptions } from './plots.js';
