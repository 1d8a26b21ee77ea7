// @plexus/rbf: radial basis function networks.
export { kMeans } from './kmeans.js';
export type { KMeansOptions, KMeansResult } from './kmeans.js';
export { KERNELS, applyKernel } from './kernels.js';
export type { KernelName } from './kernels.js';
export { RBF } from './rbf-layer.js';
export type { RBFOptions } from './rbf-layer.js';
export { RBFNetwork } from './rbf-network.js';
export type { FitReadoutOptions, InitCentersOptions, RBFNetworkOptions } from './rbf-network.js';
export { widthsFromCenters } from './widths.js';
export type { WidthRule } from './widths.js';
export { cholesky, choleskySolve, ridgeSolve } from './linalg.js';
