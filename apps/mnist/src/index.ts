export { main, formatConfusion } from './cli.js';
export type { RunIO } from './cli.js';
export { cnn, mlp, createModel, MODEL_KINDS } from './models.js';
export type { ModelKind } from './models.js';
export { digitsLoaders, TransformedImages, MEAN, STD } from './data.js';
