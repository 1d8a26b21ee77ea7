import type { ParseArgsConfig } from 'node:util';
import { parseArgs } from 'node:util';

/** A bad command line: apps print the message and the usage, and exit with status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The options every demo app takes. */
export interface CommonOptions {
  backend: string;
  seed: number;
  epochs: number;
  batchSize: number;
  lr: number;
  out: string;
  help: boolean;
}

export type CommonDefaults = Partial<Omit<CommonOptions, 'help'>> & Pick<CommonOptions, 'epochs' | 'batchSize' | 'lr' | 'out'>;

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

export interface ParseCliConfig {
  defaults: CommonDefaults;
  /** The app's own options, in node:util parseArgs' format. */
  options?: OptionsConfig;
}

export interface ParsedCli {
  common: CommonOptions;
  /** Every option's raw value, the app's own included. */
  values: Record<string, string | boolean | undefined>;
}

const COMMON: OptionsConfig = {
  backend: { type: 'string' },
  seed: { type: 'string' },
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  lr: { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

/** A number option, checked. */
export function numberOption(name: string, text: string | boolean | undefined, fallback: number, kind: 'positiveInt' | 'nonNegativeInt' | 'positive'): number {
  if (text === undefined) return fallback;
  const v = typeof text === 'string' && text.trim() !== '' ? Number(text) : NaN;
  const ok = kind === 'positive' ? Number.isFinite(v) && v > 0 : Number.isSafeInteger(v) && (kind === 'nonNegativeInt' ? v >= 0 : v > 0);
  const what = { positiveInt: 'a positive integer', nonNegativeInt: 'an integer >= 0', positive: 'a positive number' }[kind];
  if (!ok) throw new UsageError(`--${name} must be ${what}, got '${String(text)}'`);
  return v;
}

/** One of a fixed set of values. */
export function choiceOption<T extends string>(name: string, text: string | boolean | undefined, choices: readonly T[], fallback: T): T {
  if (text === undefined) return fallback;
  if (typeof text !== 'string' || !(choices as readonly string[]).includes(text)) {
    throw new UsageError(`--${name} must be one of ${choices.join(', ')}, got '${String(text)}'`);
  }
  return text as T;
}

/**
 * Parses --backend, --seed, --epochs, --batch-size, --lr, --out and -h/--help (plus the app's own
 * options) with node:util's parseArgs. Unknown options and bad values throw a UsageError.
 */
export function parseCli(argv: readonly string[], config: ParseCliConfig): ParsedCli {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: [...argv], options: { ...COMMON, ...config.options }, strict: true, allowPositionals: false }) as { values: Record<string, string | boolean | undefined> });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const d = config.defaults;
  const backend = values.backend ?? d.backend ?? 'auto';
  if (typeof backend !== 'string' || backend === '') throw new UsageError('--backend needs a name');
  const out = values.out ?? d.out;
  if (typeof out !== 'string' || out === '') throw new UsageError('--out needs a directory');
  return {
    values,
    common: {
      backend,
      seed: numberOption('seed', values.seed, d.seed ?? 0, 'nonNegativeInt'),
      epochs: numberOption('epochs', values.epochs, d.epochs, 'positiveInt'),
      batchSize: numberOption('batch-size', values['batch-size'], d.batchSize, 'positiveInt'),
      lr: numberOption('lr', values.lr, d.lr, 'positive'),
      out,
      help: values.help === true,
    },
  };
}

/** The help text of the common options, for an app's usage message. */
export function commonUsage(d: CommonDefaults): string {
  return [
    `  --backend NAME      auto (default: native cpu if it works, else js), cpu, js, cuda, trace:<backend>`,
    `  --epochs N          training epochs (default ${d.epochs})`,
    `  --batch-size N      samples per batch (default ${d.batchSize})`,
    `  --lr X              learning rate (default ${d.lr})`,
    `  --seed N            seed of everything random (default ${d.seed ?? 0})`,
    `  --out DIR           where files go (default ${d.out})`,
    '  -h, --help          this help',
  ].join('\n');
}
