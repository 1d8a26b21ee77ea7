// @plexus/autoencoder: dense and convolutional autoencoders, denoising training, a variational
// autoencoder, reconstruction-error anomaly scores with exact ROC-AUC, and PNG image grids.
export type { ModelOptions } from './options.js';
export type { Activation } from './mlp.js';
export { DenseAutoencoder } from './dense.js';
export type { DenseAutoencoderOptions, OutputActivation } from './dense.js';
export { ConvAutoencoder } from './conv.js';
export type { ConvAutoencoderOptions } from './conv.js';
export { VAE } from './vae.js';
export type { VAEForwardOptions, VAEOptions, VAEOutput } from './vae.js';
export { gaussianKL, reparameterize } from './reparameterize.js';
export type { KLReduction, ReparameterizeOptions } from './reparameterize.js';
export { vaeLoss } from './vae-loss.js';
export type { ReconstructionLoss, VAELoss, VAELossInput, VAELossOptions } from './vae-loss.js';
export { addNoise } from './noise.js';
export type { NoiseOptions } from './noise.js';
export { inEvalMode, trainAutoencoder } from './train.js';
export type { Autoencoder, AutoencoderEpochLogs, TrainAutoencoderOptions, TrainAutoencoderResult } from './train.js';
export { reconstruct, reconstructionErrors, rocAuc } from './anomaly.js';
export type { BatchedOptions, ReconstructionErrorOptions } from './anomaly.js';
export { crc32, encodePng } from './png.js';
export type { Image } from './png.js';
export { imageGrid } from './image-grid.js';
export type { ImageGridOptions, PixelData } from './image-grid.js';
export { saveImageGrid, savePng } from './save.js';
export { latentScatterSpec, plotLatentSpace } from './latent-plot.js';
export type { LatentPlotOptions } from './latent-plot.js';
