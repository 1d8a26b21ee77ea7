import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { round } from '@plexus/app-kit';
import { AdamW, OneCycleLR } from '@plexus/optim';
import { Generator, fromData, getBackend, manualSeed } from '@plexus/tensor';
import { CSVLogger, fit, plotLearningCurves } from '@plexus/train';
import { BitsPerCharacter, CharTokenizer, GPT, randomWindows, sequenceCrossEntropy, sequentialWindows } from '@plexus/transformer';
import { loadCorpus } from './corpus.js';
import type { CharLMOptions } from './options.js';

export interface CharLMResult {
  task: 'charlm';
  backend: string;
  seed: number;
  sources: number;
  textChars: number;
  vocabSize: number;
  params: number;
  blockSize: number;
  epochs: number;
  stepsPerEpoch: number;
  /** Validation bits per character after each epoch. */
  valBpcPerEpoch: number[];
  trainBpcPerEpoch: number[];
  valBpc: number;
  bestValBpc: number;
  trainSeconds: number;
  sampleSeconds: number;
  sampling: { temperature: number; topK: number | null; topP: number | null; seed: number };
  sample: string;
  seconds: number;
  files: string[];
}

/** Trains a character-level GPT on a text, reports validation bits per character, samples text. */
export async function runCharLM(o: CharLMOptions, log: (line: string) => void = console.log): Promise<CharLMResult> {
  const started = performance.now();
  if (o.plots) mkdirSync(o.out, { recursive: true });
  const corpus = loadCorpus(o.text);
  // The prompt's characters belong to the vocabulary too, so any prompt can be encoded.
  const tokenizer = CharTokenizer.fromText(corpus.text + o.prompt);
  const data = tokenizer.encode(corpus.text);
  const split = Math.floor(data.length * (1 - o.valFraction));
  const trainData = data.subarray(0, split);
  const valData = data.subarray(split);
  if (valData.length < o.blockSize + 1) throw new Error(`the validation text (${valData.length} characters) is shorter than --block-size + 1 (${o.blockSize + 1}); use a longer text or a larger --val-fraction`);
  log(`text: ${data.length} characters from ${corpus.sources.length} file(s), ${tokenizer.vocabSize} distinct; ${trainData.length} train / ${valData.length} validation`);

  manualSeed(o.seed);
  const model = new GPT({ vocabSize: tokenizer.vocabSize, blockSize: o.blockSize, nLayer: o.layers, nHead: o.heads, nEmbd: o.dModel, dropout: o.dropout });
  const train = randomWindows(trainData, { blockSize: o.blockSize, batchSize: o.batchSize, steps: o.steps, generator: new Generator(o.seed + 1) });
  const val = sequentialWindows(valData, { blockSize: o.blockSize, batchSize: o.batchSize });
  // As nanoGPT: weight decay on the matrices (embeddings included), none on biases and LayerNorms.
  const params = model.parameters();
  const optimizer = new AdamW([
    { params: params.filter((p) => p.rank >= 2), weightDecay: 0.1 },
    { params: params.filter((p) => p.rank < 2), weightDecay: 0 },
  ], { lr: o.lr, betas: [0.9, 0.95] });
  // A short warm-up (10% of the steps): the runs are short, the default 30% would waste a third of them.
  const scheduler = new OneCycleLR(optimizer, { maxLr: o.lr, epochs: o.epochs, stepsPerEpoch: o.steps, pctStart: 0.1 });
  log(`GPT: ${o.layers} layers, d=${o.dModel}, ${o.heads} heads, context ${o.blockSize}, ${model.numParameters()} parameters; ${o.epochs} epochs × ${o.steps} batches of ${o.batchSize}`);
  const fitStart = performance.now();
  const history = await fit(model, {
    train,
    val,
    epochs: o.epochs,
    optimizer,
    scheduler,
    loss: sequenceCrossEntropy,
    metrics: [new BitsPerCharacter()],
    clipGradNorm: 1,
    verbose: o.verbose,
    // One row per epoch, written as it ends, so a long run's progress survives an interruption.
    callbacks: o.plots ? [new CSVLogger(join(o.out, 'charlm-history.csv'))] : [],
  });
  const trainSeconds = (performance.now() - fitStart) / 1000;
  const valBpcPerEpoch = history.get('valBpc').map((v) => round(v));
  valBpcPerEpoch.forEach((v, i) => log(`epoch ${i + 1}: validation ${v.toFixed(3)} bits per character`));

  const prompt = tokenizer.encode(o.prompt);
  const sampleStart = performance.now();
  const out = model.generate(fromData('charlm', prompt, [1, prompt.length], { dtype: 'int32' }), o.sampleLength, {
    temperature: o.temperature, topK: o.topK, topP: o.topP, seed: o.seed,
  });
  const sampleSeconds = (performance.now() - sampleStart) / 1000;
  const sample = tokenizer.decode(out.dataSync() as Int32Array);
  log(`sample (temperature ${o.temperature}, top-k ${o.topK ?? 'off'}, top-p ${o.topP ?? 'off'}, ${o.sampleLength} characters in ${sampleSeconds.toFixed(1)} s):\n${sample}\n`);

  const files: string[] = [];
  if (o.plots) {
    const bpc = await plotLearningCurves(history, join(o.out, 'bpc'), { title: 'Character-level GPT: bits per character', keys: ['bpc'] });
    const samplePath = join(o.out, 'sample.txt');
    writeFileSync(samplePath, sample);
    files.push(bpc.png, bpc.svg, samplePath, join(o.out, 'charlm-history.csv'));
  }
  return {
    task: 'charlm',
    backend: getBackend().name,
    seed: o.seed,
    sources: corpus.sources.length,
    textChars: data.length,
    vocabSize: tokenizer.vocabSize,
    params: model.numParameters(),
    blockSize: o.blockSize,
    epochs: history.length,
    stepsPerEpoch: o.steps,
    valBpcPerEpoch,
    trainBpcPerEpoch: history.get('bpc').map((v) => round(v)),
    valBpc: valBpcPerEpoch[valBpcPerEpoch.length - 1] ?? NaN,
    bestValBpc: Math.min(...valBpcPerEpoch),
    trainSeconds: round(trainSeconds, 1),
    sampleSeconds: round(sampleSeconds, 2),
    sampling: { temperature: o.temperature, topK: o.topK, topP: o.topP, seed: o.seed },
    sample,
    seconds: round((performance.now() - started) / 1000, 1),
    files,
  };
}
