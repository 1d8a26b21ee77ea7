import type { CommonDefaults } from '@plexus/app-kit';
import { UsageError, choiceOption, commonUsage, numberOption, parseCli } from '@plexus/app-kit';

export const TASKS = ['sort', 'reverse', 'charlm'] as const;
export type TaskName = (typeof TASKS)[number];

/** Model and training settings shared by both demos. */
interface Shared {
  seed: number;
  epochs: number;
  batchSize: number;
  /** Peak learning rate of the one-cycle schedule (AdamW). */
  lr: number;
  out: string;
  dModel: number;
  heads: number;
  layers: number;
  dropout: number;
  /** 0 silent, 1 progress bar, 2 one line per epoch. */
  verbose: 0 | 1 | 2;
  /** Write the PNG/SVG plots (default true). */
  plots: boolean;
}

export interface SequenceOptions extends Shared {
  task: 'sort' | 'reverse';
  numTrain: number;
  numVal: number;
  numTest: number;
  seqLen: number;
  symbols: number;
}

export interface CharLMOptions extends Shared {
  task: 'charlm';
  /** A text file; default: the repository's Markdown (README.md, docs/**.md, packages/*\/README.md). */
  text?: string;
  blockSize: number;
  /** Training batches (random windows) per epoch. */
  steps: number;
  /** Fraction of the text (its end) held out for validation. */
  valFraction: number;
  /** Characters sampled at the end. */
  sampleLength: number;
  temperature: number;
  topK: number | null;
  topP: number | null;
  prompt: string;
}

export type TransformerOptions = SequenceOptions | CharLMOptions;

type Defaults = CommonDefaults & { dModel: number; heads: number; layers: number; dropout: number };

export const SEQUENCE_DEFAULTS: Defaults & { numTrain: number; numVal: number; numTest: number; seqLen: number; symbols: number } = {
  epochs: 12, batchSize: 64, lr: 2e-3, out: 'out/transformer', dModel: 64, heads: 4, layers: 3, dropout: 0,
  numTrain: 20000, numVal: 1000, numTest: 2000, seqLen: 16, symbols: 10,
};

export const CHARLM_DEFAULTS: Defaults & { blockSize: number; steps: number; valFraction: number; sampleLength: number; temperature: number; topK: number } = {
  epochs: 10, batchSize: 32, lr: 2e-3, out: 'out/transformer', dModel: 128, heads: 4, layers: 3, dropout: 0.1,
  blockSize: 64, steps: 80, valFraction: 0.1, sampleLength: 400, temperature: 0.8, topK: 20,
};

export const USAGE = `Usage: pnpm demo transformer [--task sort|reverse|charlm] [options]

--task sort (default) / reverse: a transformer encoder reads ${SEQUENCE_DEFAULTS.seqLen} symbols out of ${SEQUENCE_DEFAULTS.symbols} and
predicts, at every position, the symbol of the sorted (reversed) sequence there; scored by
exact-sequence accuracy on held-out sequences that never occur in training.
  --train N --val N --test N   sequences (default ${SEQUENCE_DEFAULTS.numTrain} / ${SEQUENCE_DEFAULTS.numVal} / ${SEQUENCE_DEFAULTS.numTest})
  --seq-len N  --symbols N     (default ${SEQUENCE_DEFAULTS.seqLen}, ${SEQUENCE_DEFAULTS.symbols})
  model: --d-model ${SEQUENCE_DEFAULTS.dModel} --heads ${SEQUENCE_DEFAULTS.heads} --layers ${SEQUENCE_DEFAULTS.layers} --dropout ${SEQUENCE_DEFAULTS.dropout}; --epochs ${SEQUENCE_DEFAULTS.epochs} --batch-size ${SEQUENCE_DEFAULTS.batchSize} --lr ${SEQUENCE_DEFAULTS.lr}

--task charlm: a GPT-style character-level language model; validation bits per character per
epoch (plot bpc.png), then sampled text.
  --text PATH         text to learn (default: the repository's README.md, docs/**/*.md and packages/*/README.md)
  --block-size N      context length (default ${CHARLM_DEFAULTS.blockSize})
  --steps N           training batches per epoch (default ${CHARLM_DEFAULTS.steps})
  --val-fraction X    the end of the text held out for validation (default ${CHARLM_DEFAULTS.valFraction})
  --sample-length N   characters to generate at the end (default ${CHARLM_DEFAULTS.sampleLength})
  --temperature X     sampling temperature, 0 = greedy (default ${CHARLM_DEFAULTS.temperature})
  --top-k N           sample among the N most likely characters (default ${CHARLM_DEFAULTS.topK}; 0 = all)
  --top-p X           nucleus sampling: the smallest set with probability >= X (default off)
  --prompt TEXT       text the sample continues (default: a newline)
  model: --d-model ${CHARLM_DEFAULTS.dModel} --heads ${CHARLM_DEFAULTS.heads} --layers ${CHARLM_DEFAULTS.layers} --dropout ${CHARLM_DEFAULTS.dropout}; --epochs ${CHARLM_DEFAULTS.epochs} --batch-size ${CHARLM_DEFAULTS.batchSize} --lr ${CHARLM_DEFAULTS.lr}

Common options (defaults of the sort task shown):
${commonUsage(SEQUENCE_DEFAULTS)}`;

const OWN = {
  task: { type: 'string' },
  'd-model': { type: 'string' },
  heads: { type: 'string' },
  layers: { type: 'string' },
  dropout: { type: 'string' },
  train: { type: 'string' },
  val: { type: 'string' },
  test: { type: 'string' },
  'seq-len': { type: 'string' },
  symbols: { type: 'string' },
  text: { type: 'string' },
  'block-size': { type: 'string' },
  steps: { type: 'string' },
  'val-fraction': { type: 'string' },
  'sample-length': { type: 'string' },
  temperature: { type: 'string' },
  'top-k': { type: 'string' },
  'top-p': { type: 'string' },
  prompt: { type: 'string' },
  verbose: { type: 'string' },
} as const;

function fraction(name: string, text: string | boolean | undefined, fallback: number, { open = false, zero = false } = {}): number {
  if (text === undefined) return fallback;
  const v = typeof text === 'string' && text.trim() !== '' ? Number(text) : NaN;
  const ok = Number.isFinite(v) && (zero ? v >= 0 : v > 0) && (open ? v < 1 : v <= 1);
  if (!ok) throw new UsageError(`--${name} must be a number in ${zero ? '[0' : '(0'}, 1${open ? ')' : ']'}, got '${String(text)}'`);
  return v;
}

/** The task named by --task (to choose the defaults before parsing). */
function taskOf(argv: readonly string[]): TaskName {
  const i = argv.findIndex((a) => a === '--task' || a.startsWith('--task='));
  if (i < 0) return 'sort';
  const text = argv[i].includes('=') ? argv[i].slice('--task='.length) : argv[i + 1];
  return choiceOption('task', text, TASKS, 'sort');
}

/** The command line as options (plus the backend name and --help); bad values throw UsageError. */
export function parseOptions(argv: readonly string[]): { options: TransformerOptions; backend: string; help: boolean } {
  const task = taskOf(argv);
  const d = task === 'charlm' ? CHARLM_DEFAULTS : SEQUENCE_DEFAULTS;
  const { common, values } = parseCli(argv, { defaults: d, options: OWN });
  const only = (names: string[], forTask: string) => {
    for (const n of names) if (values[n] !== undefined) throw new UsageError(`--${n} applies to --task ${forTask}`);
  };
  const verbose = values.verbose === undefined ? 1 : numberOption('verbose', values.verbose, 1, 'nonNegativeInt');
  if (verbose > 2) throw new UsageError(`--verbose must be 0, 1 or 2, got ${verbose}`);
  const shared: Shared = {
    seed: common.seed,
    epochs: common.epochs,
    batchSize: common.batchSize,
    lr: common.lr,
    out: common.out,
    dModel: numberOption('d-model', values['d-model'], d.dModel, 'positiveInt'),
    heads: numberOption('heads', values.heads, d.heads, 'positiveInt'),
    layers: numberOption('layers', values.layers, d.layers, 'positiveInt'),
    dropout: fraction('dropout', values.dropout, d.dropout, { open: true, zero: true }),
    verbose: verbose as 0 | 1 | 2,
    plots: true,
  };
  if (shared.dModel % shared.heads !== 0) throw new UsageError(`--d-model (${shared.dModel}) must be divisible by --heads (${shared.heads})`);
  let options: TransformerOptions;
  if (task === 'charlm') {
    only(['train', 'val', 'test', 'seq-len', 'symbols'], 'sort or reverse');
    const c = CHARLM_DEFAULTS;
    const topK = numberOption('top-k', values['top-k'], c.topK, 'nonNegativeInt');
    const text = values.text;
    if (text !== undefined && (typeof text !== 'string' || text === '')) throw new UsageError('--text needs a file path');
    options = {
      ...shared,
      task,
      text,
      blockSize: numberOption('block-size', values['block-size'], c.blockSize, 'positiveInt'),
      steps: numberOption('steps', values.steps, c.steps, 'positiveInt'),
      valFraction: fraction('val-fraction', values['val-fraction'], c.valFraction, { open: true }),
      sampleLength: numberOption('sample-length', values['sample-length'], c.sampleLength, 'nonNegativeInt'),
      temperature: values.temperature === undefined ? c.temperature : temperatureOption(values.temperature),
      topK: topK === 0 ? null : topK,
      topP: values['top-p'] === undefined ? null : fraction('top-p', values['top-p'], 1),
      prompt: typeof values.prompt === 'string' ? values.prompt : '\n',
    };
  } else {
    only(['text', 'block-size', 'steps', 'val-fraction', 'sample-length', 'temperature', 'top-k', 'top-p', 'prompt'], 'charlm');
    const s = SEQUENCE_DEFAULTS;
    options = {
      ...shared,
      task,
      numTrain: numberOption('train', values.train, s.numTrain, 'positiveInt'),
      numVal: numberOption('val', values.val, s.numVal, 'positiveInt'),
      numTest: numberOption('test', values.test, s.numTest, 'positiveInt'),
      seqLen: numberOption('seq-len', values['seq-len'], s.seqLen, 'positiveInt'),
      symbols: numberOption('symbols', values.symbols, s.symbols, 'positiveInt'),
    };
  }
  return { options, backend: common.backend, help: common.help };
}

function temperatureOption(text: string | boolean): number {
  const v = typeof text === 'string' && text.trim() !== '' ? Number(text) : NaN;
  if (!(Number.isFinite(v) && v >= 0)) throw new UsageError(`--temperature must be a number >= 0 (0 = greedy), got '${String(text)}'`);
  return v;
}
