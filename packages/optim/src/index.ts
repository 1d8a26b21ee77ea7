export { Optimizer, resolveDefaults } from './optimizer.js';
export type {
  BaseOptions, ParamGroup, ParamGroupInput, Params, ParamState, SavedParamGroup, OptimizerStateDict, StateSpec,
  StateValue, Update,
} from './optimizer.js';
export { SGD, SGD_DEFAULTS } from './sgd.js';
export type { SGDOptions, SGDState } from './sgd.js';
export { Adam, ADAM_DEFAULTS } from './adam.js';
export type { AdamOptions, AdamState } from './adam.js';
export { AdamW, ADAMW_DEFAULTS } from './adamw.js';
export type { AdamWOptions } from './adamw.js';
export { RMSprop, RMSPROP_DEFAULTS } from './rmsprop.js';
export type { RMSpropOptions, RMSpropState } from './rmsprop.js';
export { Adagrad, ADAGRAD_DEFAULTS } from './adagrad.js';
export type { AdagradOptions, AdagradState } from './adagrad.js';
export * from './lr-scheduler/index.js';
export { clipGradNorm, clipGradValue } from './clip-grad.js';
export type { ClipGradNormOptions } from './clip-grad.js';
export { LBFGS, LBFGS_DEFAULTS, cubicInterpolate, strongWolfe } from './lbfgs.js';
export type { LBFGSClosure, LBFGSOptions, StrongWolfeResult } from './lbfgs.js';
export { ExponentialMovingAverage } from './ema.js';
export type { AveragedTensors, ExponentialMovingAverageOptions, ExponentialMovingAverageState } from './ema.js';
