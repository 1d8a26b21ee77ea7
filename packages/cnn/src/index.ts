// @plexus/cnn: ready convolutional networks (LeNet-5, small ResNets and their plain twins,
// VGG-style nets) and per-layer gradient norms. Built from @plexus/nn layers only.
export type { ModelOptions } from './options.js';
export { LeNet5 } from './lenet.js';
export type { Activation, LeNet5Options } from './lenet.js';
export { ResNet, resnet } from './resnet.js';
export type { ResNetOptions } from './resnet.js';
export { VGG, vgg } from './vgg.js';
export type { VGGConfig, VGGOptions } from './vgg.js';
export { gradientNorms, measureGradientNorms } from './gradient-norms.js';
export type { GradientNorm, GradientNormsOptions, MeasureGradientNormsOptions } from './gradient-norms.js';
