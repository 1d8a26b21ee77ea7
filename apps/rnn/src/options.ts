import type { CommonDefaults } from '@plexus/app-kit';
import { UsageError, choiceOption, commonUsage, numberOption, parseCli } from '@plexus/app-kit';
import type { CellType } from '@plexus/rnn';

export const TASKS = ['mnist', 'adding', 'forecast'] as const;
export type Task = (typeof TASKS)[number];
const CELLS: readonly CellType[] = ['rnn', 'lstm', 'gru'];

/** What every task reads; the command line fills it. */
export interface RnnOptions {
  task: Task;
  /** The recurrent layers to train and compare, one model each. */
  cells: CellType[];
  hidden: number;
  layers: number;
  bidirectional: boolean;
  epochs: number;
  batchSize: number;
  /** Peak learning rate (Adam with a one-cycle schedule). */
  lr: number;
  /** Clip the gradients' joint norm to this (0: no clipping). */
  clip: number;
  seed: number;
  out: string;
  /** mnist: random rotation, shift and scale of the training digits. */
  augment: boolean;
  /** adding: chrono initialisation of the LSTM/GRU gate biases for dependencies up to `length` steps. */
  chrono: boolean;
  /** mnist: 'last' hidden state or 'mean' over time. */
  pooling: 'last' | 'mean';
  /** mnist: use only the first N train and test digits; adding: sequences per epoch; forecast: ignored. */
  limit?: number;
  /** adding: sequence length (100); forecast: input window. */
  length: number;
  /** forecast: values predicted per model call. */
  horizon: number;
  /** 0 silent, 1 progress bar, 2 one line per epoch. */
  verbose: 0 | 1 | 2;
  /** Write the plots (default true). */
  plots: boolean;
}

type TaskDefaults = CommonDefaults & { cells: CellType[]; hidden: number; layers: number; bidirectional: boolean; clip: number; length: number; horizon: number; limit?: number };

export const DEFAULTS: Record<Task, TaskDefaults> = {
  mnist: { epochs: 12, batchSize: 128, lr: 4e-3, out: 'out/rnn', cells: ['lstm', 'gru'], hidden: 128, layers: 1, bidirectional: false, clip: 1, length: 28, horizon: 1 },
  adding: { epochs: 100, batchSize: 64, lr: 2e-3, out: 'out/rnn', cells: ['rnn', 'lstm', 'gru'], hidden: 64, layers: 1, bidirectional: false, clip: 1, length: 100, horizon: 1, limit: 3200 },
  forecast: { epochs: 40, batchSize: 32, lr: 3e-3, out: 'out/rnn', cells: ['lstm'], hidden: 32, layers: 1, bidirectional: false, clip: 1, length: 72, horizon: 12 },
};

export const USAGE = `Usage: pnpm demo rnn --task mnist|adding|forecast [options]

  --task NAME         mnist: row-by-row MNIST (28 steps of 28 pixels) on the bundled digits
                      adding: the adding problem at length 100 (RNN vs LSTM vs GRU)
                      forecast: forecast a noisy seasonal series, against seasonal-naive
  --cells LIST        recurrent layers to compare, e.g. lstm,gru (mnist: lstm,gru; adding: rnn,lstm,gru; forecast: lstm)
  --hidden N          hidden units (mnist ${DEFAULTS.mnist.hidden}, adding ${DEFAULTS.adding.hidden}, forecast ${DEFAULTS.forecast.hidden})
  --layers N          stacked recurrent layers (default 1)
  --bidirectional B   true/false (default false)
  --clip X            clip the gradient norm to X, 0 for none (default 1)
  --augment B         mnist: random rotation ±8°, shift ±8%, scale 0.9–1.1 of training digits (default true)
  --pooling P         mnist: last or mean (default last)
  --chrono B          adding: chrono init of the LSTM/GRU gate biases for T-step memory (default true)
  --limit N           mnist: first N train/test digits (quick runs); adding: sequences per epoch (default ${DEFAULTS.adding.limit})
  --length N          adding: sequence length (default 100); forecast: input window (default ${DEFAULTS.forecast.length})
  --horizon N         forecast: values predicted per step of the rollout (default ${DEFAULTS.forecast.horizon})
  --verbose N         0 silent, 1 progress bar, 2 one line per epoch (default 1)

Per-task defaults of the common options: mnist --epochs ${DEFAULTS.mnist.epochs} --batch-size ${DEFAULTS.mnist.batchSize} --lr ${DEFAULTS.mnist.lr};
adding --epochs ${DEFAULTS.adding.epochs} --batch-size ${DEFAULTS.adding.batchSize} --lr ${DEFAULTS.adding.lr}; forecast --epochs ${DEFAULTS.forecast.epochs} --batch-size ${DEFAULTS.forecast.batchSize} --lr ${DEFAULTS.forecast.lr}.
${commonUsage(DEFAULTS.mnist)}`;

function boolOption(name: string, text: string | boolean | undefined, fallback: boolean): boolean {
  if (text === undefined) return fallback;
  if (text === true || text === 'true' || text === '1' || text === 'yes') return true;
  if (text === 'false' || text === '0' || text === 'no') return false;
  throw new UsageError(`--${name} must be true or false, got '${String(text)}'`);
}

function cellsOption(text: string | boolean | undefined, fallback: CellType[]): CellType[] {
  if (text === undefined) return fallback;
  const list = typeof text === 'string' ? text.split(',').map((s) => s.trim()) : [];
  if (list.length === 0 || list.some((c) => !(CELLS as readonly string[]).includes(c))) {
    throw new UsageError(`--cells must be a comma-separated list of ${CELLS.join(', ')}, got '${String(text)}'`);
  }
  return list as CellType[];
}

/** The task named by --task (needed first: the other defaults depend on it). */
function taskOf(argv: readonly string[]): Task {
  const i = argv.findIndex((a) => a === '--task' || a.startsWith('--task='));
  if (i < 0) return 'mnist';
  const text = argv[i].includes('=') ? argv[i].slice('--task='.length) : argv[i + 1];
  return choiceOption('task', text, TASKS, 'mnist');
}

/** The command line as RnnOptions (plus the backend name and --help); bad values throw UsageError. */
export function parseOptions(argv: readonly string[]): { options: RnnOptions; backend: string; help: boolean } {
  const task = taskOf(argv);
  const d = DEFAULTS[task];
  const { common, values } = parseCli(argv, {
    defaults: d,
    options: {
      task: { type: 'string' },
      cells: { type: 'string' },
      hidden: { type: 'string' },
      layers: { type: 'string' },
      bidirectional: { type: 'string' },
      clip: { type: 'string' },
      augment: { type: 'string' },
      pooling: { type: 'string' },
      chrono: { type: 'string' },
      limit: { type: 'string' },
      length: { type: 'string' },
      horizon: { type: 'string' },
      verbose: { type: 'string' },
    },
  });
  const clip = values.clip === undefined ? d.clip : Number(values.clip);
  if (!(Number.isFinite(clip) && clip >= 0)) throw new UsageError(`--clip must be a number >= 0, got '${String(values.clip)}'`);
  const verbose = numberOption('verbose', values.verbose, 1, 'nonNegativeInt');
  if (verbose > 2) throw new UsageError(`--verbose must be 0, 1 or 2, got ${verbose}`);
  const limit = values.limit === undefined ? d.limit : numberOption('limit', values.limit, 0, 'positiveInt');
  const options: RnnOptions = {
    task,
    cells: cellsOption(values.cells, d.cells),
    hidden: numberOption('hidden', values.hidden, d.hidden, 'positiveInt'),
    layers: numberOption('layers', values.layers, d.layers, 'positiveInt'),
    bidirectional: boolOption('bidirectional', values.bidirectional, d.bidirectional),
    epochs: common.epochs,
    batchSize: common.batchSize,
    lr: common.lr,
    clip,
    seed: common.seed,
    out: common.out,
    augment: boolOption('augment', values.augment, true),
    chrono: boolOption('chrono', values.chrono, task === 'adding'),
    pooling: choiceOption('pooling', values.pooling, ['last', 'mean'] as const, 'last'),
    limit,
    length: numberOption('length', values.length, d.length, 'positiveInt'),
    horizon: numberOption('horizon', values.horizon, d.horizon, 'positiveInt'),
    verbose: verbose as 0 | 1 | 2,
    plots: true,
  };
  if (task === 'adding' && options.length < 2) throw new UsageError(`--length must be >= 2 for the adding problem, got ${options.length}`);
  return { options, backend: common.backend, help: common.help };
}
