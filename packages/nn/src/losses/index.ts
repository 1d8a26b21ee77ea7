export type { Reduction, ReductionOptions } from './reduction.js';
export { mseLoss } from './mse.js';
export { l1Loss } from './l1.js';
export { huberLoss, smoothL1Loss } from './huber.js';
export type { HuberOptions, SmoothL1Options } from './huber.js';
export type { ClassIndexOptions } from './class-index.js';
export { nllLoss } from './nll.js';
export type { NLLOptions } from './nll.js';
export { crossEntropy } from './cross-entropy.js';
export type { CrossEntropyOptions } from './cross-entropy.js';
export { binaryCrossEntropy, bceWithLogits } from './bce.js';
export type { BCEOptions, BCEWithLogitsOptions } from './bce.js';
export { klDiv } from './kl-div.js';
export type { KLDivOptions } from './kl-div.js';
export {
  BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, HuberLoss, KLDivLoss, L1Loss, MSELoss, NLLLoss, SmoothL1Loss,
} from './modules.js';
