// @plexus/transformer: ready transformer models (an encoder classifier/tagger and a GPT-style
// language model with sampling and a key/value cache), plus the text and sequence-task helpers
// their demos use. The building blocks (attention, encoder/decoder layers, positions) are in @plexus/nn.
export { TransformerClassifier } from './classifier.js';
export type { Pooling, TransformerClassifierConfig, TransformerClassifierForwardOptions } from './classifier.js';
export { Block, CausalSelfAttention, GPT, MLP } from './gpt.js';
export type { GPTConfig, GPTForwardOptions } from './gpt.js';
export { generate } from './generate.js';
export type { GenerateOptions } from './generate.js';
export { KVCache, causalMaskWithPast } from './kv-cache.js';
export type { LayerCache } from './kv-cache.js';
export { sampleIndex, sampleRows, samplingProbabilities } from './sampling.js';
export type { SamplingOptions } from './sampling.js';
export { BitsPerCharacter, SequenceAccuracy, TokenAccuracy, bitsPerCharacter, sequenceCrossEntropy } from './metrics.js';
export { makeSequenceTask, solveSequence } from './tasks.js';
export type { SequenceSplit, SequenceTaskName, SequenceTaskOptions } from './tasks.js';
export { CharTokenizer, randomWindows, sequentialWindows } from './text.js';
export type { WindowOptions } from './text.js';
