// @plexus/nn: Module, Parameter, initializers, layers, activations and losses. Layers record
// gradients through @plexus/autograd, which this package loads.
import '@plexus/autograd';

export { Parameter, isParameter } from './parameter.js';
export { Module, functionalCall } from './module.js';
export { gradCheckModule } from './grad-check-module.js';
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
export { BasicBlock, Bottleneck } from './layers/residual.js';
export type { ResidualBlockOptions } from './layers/residual.js';
export { GlobalAvgPool2d } from './layers/global-pool.js';
export type { GlobalAvgPool2dOptions } from './layers/global-pool.js';
export { MultiheadAttention, generateSquareSubsequentMask, scaledDotProductAttention } from './layers/attention.js';
export type { MultiheadAttentionForwardOptions, MultiheadAttentionOptions, ScaledDotProductAttentionOptions } from './layers/attention.js';
export { TransformerDecoder, TransformerDecoderLayer, TransformerEncoder, TransformerEncoderLayer } from './layers/transformer.js';
export type {
  TransformerActivation, TransformerDecoderLayerForwardOptions, TransformerEncoderLayerForwardOptions, TransformerLayerOptions, TransformerStackOptions,
} from './layers/transformer.js';
export { LearnedPositionalEmbedding, SinusoidalPositionalEncoding } from './layers/positional.js';
export type { LearnedPositionalEmbeddingOptions, PositionalOptions } from './layers/positional.js';
export { GRU, LSTM, RNN, RNNBase } from './layers/rnn.js';
export type { RNNBaseOptions, RNNOptions, RecurrentForwardOptions } from './layers/rnn.js';
export { GRUCell, LSTMCell, RNNCell, RNNCellBase } from './layers/rnn-cells.js';
export type { RNNCellBaseOptions, RNNCellOptions } from './layers/rnn-cells.js';
export { PackedSequence, packPaddedSequence, packSequence, padPackedSequence, padSequence } from './layers/packed-sequence.js';
export type { PackPaddedSequenceOptions, PadPackedSequenceOptions, PadSequenceOptions } from './layers/packed-sequence.js';
