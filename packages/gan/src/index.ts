// @plexus/gan: a GAN trainer (alternating steps, non-saturating loss, one-sided label smoothing,
// seeded noise), MLP and DCGAN models for 28×28 images, and classifier-based sample quality.
export type { ModelOptions } from './options.js';
export { DCGANDiscriminator, DCGANGenerator, MLPDiscriminator, MLPGenerator } from './models.js';
export type {
  DCGANDiscriminatorOptions, DCGANGeneratorOptions, DCGANInit, GANDiscriminator, GANGenerator, MLPDiscriminatorOptions, MLPGeneratorOptions,
} from './models.js';
export { dcganInit_ } from './init.js';
export { discriminatorLoss, generatorLoss } from './losses.js';
export type { DiscriminatorLossOptions, GeneratorLossOptions } from './losses.js';
export { GANTrainer } from './trainer.js';
export type { GANEpochLogs, GANStepLogs, GANTrainOptions, GANTrainerOptions } from './trainer.js';
export { predictProbabilities, sampleQuality } from './quality.js';
export type { ProbabilityRows, SampleQuality, SampleQualityOptions } from './quality.js';
