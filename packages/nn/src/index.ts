// @plexus/nn: Module, Parameter, initializers, layers, activations and losses. Layers record
// gradients through @plexus/autograd, which this package loads.
import '@plexus/autograd';

export { Parameter, isParameter } from './parameter.js';
export { Module, functionalCall } from './module.js';
export type { LoadStateDictOptions, LoadStateDictResult, RegisterBufferOptions, SummaryOptions, UnaryModule } from './module.js';
export { ModuleList, Sequential } from './containers.js';
export * as init from './init.js';
export {
  calculateGain, constant_, fanInAndFanOut, kaimingNormal_, kaimingUniform_, normal_, ones_, orthogonal_, uniform_,
  xavierNormal_, xavierUniform_, zeros_,
} from './init.js';
export type { FanMode, InitOptions, KaimingOptions, Nonlinearity, XavierOptions } from './init.js';
export * from './layers/index.js';
export * from './losses/index.js';
