import type { CommonDefaults } from '@plexus/app-kit';
import { UsageError, choiceOption, commonUsage, numberOption, parseCli } from '@plexus/app-kit';
import type { KernelName } from '@plexus/rbf';
import { KERNELS } from '@plexus/rbf';

export const TASKS = ['fit1d', 'fit2d', 'moons', 'all'] as const;
export type Task = (typeof TASKS)[number];

/** Per task: centres and samples. */
export const TASK_DEFAULTS = {
  fit1d: { centers: 16, samples: 200 },
  fit2d: { centers: 64, samples: 800 },
  moons: { centers: 40, samples: 1000 },
} as const;

export interface RbfOptions {
  task: Task;
  kernel: KernelName;
  /** lstsq: k-means centres, widths by rule, ridge least squares; gd: then Adam on everything. */
  readout: 'lstsq' | 'gd';
  /** Overrides the number of centres of every task. */
  centers?: number;
  /** Overrides the number of training samples (moons: train + test) of every task. */
  samples?: number;
  ridge: number;
  widthRule: 'nearest' | 'global';
  widthScale: number;
  /** Adam steps of the gd readout (full batch). */
  epochs: number;
  lr: number;
  /** Std of the Gaussian noise of the moons. */
  noise: number;
  seed: number;
  out: string;
  plots: boolean;
}

export const DEFAULTS: CommonDefaults = { epochs: 500, batchSize: 1, lr: 0.01, out: 'out/rbf' };

export const USAGE = `Usage: pnpm demo rbf [options]

Radial basis function networks: centres by k-means (k-means++ seeding), widths by Haykin's rule,
a linear readout by ridge least squares (Cholesky, float64) or by gradient descent.
  fit1d   f(x) = sin(3x)·exp(−x²/10) + 0.2x on [−4, 4]: RMSE on a 1001-point test grid
  fit2d   f(x, y) = sin(πx)·cos(πy) on [−1, 1]²: RMSE on a 51×51 test grid
  moons   two moons (makeMoons, 70% train / 30% test): test accuracy

  --task NAME         ${TASKS.join(', ')} (default all)
  --kernel NAME       ${KERNELS.join(', ')} (default gaussian)
  --readout HOW       lstsq (default) or gd (Adam on readout, centres and widths, full batch)
  --centers N         centres (default ${TASK_DEFAULTS.fit1d.centers} fit1d, ${TASK_DEFAULTS.fit2d.centers} fit2d, ${TASK_DEFAULTS.moons.centers} moons)
  --samples N         training samples (default ${TASK_DEFAULTS.fit1d.samples} fit1d, ${TASK_DEFAULTS.fit2d.samples} fit2d, ${TASK_DEFAULTS.moons.samples} moons in all)
  --ridge X           ridge penalty λ of the least-squares readout (default 1e-8)
  --width-rule RULE   nearest (default: RMS distance to the 2 nearest centres) or global (d_max/√(2k))
  --width-scale X     multiplies the widths (default 1.5)
  --noise X           noise of the moons (default 0.15)
  --epochs N          Adam steps of --readout gd (default ${DEFAULTS.epochs})
  --lr X              Adam learning rate of --readout gd (default ${DEFAULTS.lr})
  --no-plots          skip the PNG/SVG plots
${commonUsage(DEFAULTS).split('\n').filter((l) => !/--(batch-size|epochs|lr) /.test(l)).join('\n')}`;

export function parseOptions(argv: readonly string[]): { options: RbfOptions; backend: string; help: boolean } {
  const { common, values } = parseCli(argv, {
    defaults: DEFAULTS,
    options: {
      task: { type: 'string' },
      kernel: { type: 'string' },
      readout: { type: 'string' },
      centers: { type: 'string' },
      samples: { type: 'string' },
      ridge: { type: 'string' },
      noise: { type: 'string' },
      'width-rule': { type: 'string' },
      'width-scale': { type: 'string' },
      'no-plots': { type: 'boolean' },
    },
  });
  const ridge = values.ridge === undefined ? 1e-8 : Number(values.ridge);
  if (!(Number.isFinite(ridge) && ridge >= 0)) throw new UsageError(`--ridge must be a number >= 0, got '${String(values.ridge)}'`);
  const noise = values.noise === undefined ? 0.15 : Number(values.noise);
  if (!(Number.isFinite(noise) && noise >= 0)) throw new UsageError(`--noise must be a number >= 0, got '${String(values.noise)}'`);
  return {
    backend: common.backend,
    help: common.help,
    options: {
      task: choiceOption('task', values.task, TASKS, 'all'),
      kernel: choiceOption('kernel', values.kernel, KERNELS, 'gaussian'),
      readout: choiceOption('readout', values.readout, ['lstsq', 'gd'] as const, 'lstsq'),
      centers: values.centers === undefined ? undefined : numberOption('centers', values.centers, 1, 'positiveInt'),
      samples: values.samples === undefined ? undefined : numberOption('samples', values.samples, 1, 'positiveInt'),
      ridge,
      widthRule: choiceOption('width-rule', values['width-rule'], ['nearest', 'global'] as const, 'nearest'),
      widthScale: numberOption('width-scale', values['width-scale'], 1.5, 'positive'),
      epochs: common.epochs,
      lr: common.lr,
      noise,
      seed: common.seed,
      out: common.out,
      plots: values['no-plots'] !== true,
    },
  };
}
