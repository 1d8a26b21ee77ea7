import { parseArgs } from 'node:util';
import type { Column } from './harness.js';
import { PEERS, columnLabel } from './harness.js';
import type { TimingOptions } from './measure.js';
import type { Size, Workload } from './spec.js';
import { selectWorkloads } from './spec.js';

export const USAGE = `Usage: pnpm bench [options]

Runs each workload on each Plexus backend present and on the peers, one process per cell.

  --workload LIST   workloads: all (default) or a comma list of w1…w7 / w1-1024, w1-256, w3-train, w3-infer
  --peers LIST      all (default), none, or a comma list of tfjs-cpu, tfjs-wasm, tfjs, torch
  --backends LIST   Plexus backends (default js,cpu; cpu is used when @plexus/backend-cpu loads)
  --json FILE       write the rows as JSON: [{workload, runner, backend, value, unit, rssMB, note}]
  --markdown FILE   write the results page (docs/benchmarks.md)
  --quick           1 repeat of ≥ 0.5 s per cell instead of 3 of ≥ 3 s (same sizes)
  --tiny            toy sizes and a few steps: checks that every runner works, measures nothing
  --min-time S      seconds per timed repeat        --repeats N   timed repeats (median reported)
  --cap S           seconds a cell may take (default 60; 30 with --quick)
  --python PATH     interpreter for the PyTorch runner (default: python3, then /usr/bin/python3)
  -h, --help        this text`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface CliOptions {
  workloads: Workload[];
  backends: string[];
  peers: Column[];
  size: Size;
  timing: TimingOptions;
  json?: string;
  markdown?: string;
  python?: string;
  help: boolean;
}

const PRESETS: Record<'full' | 'quick' | 'tiny', TimingOptions> = {
  full: { minTime: 3, repeats: 3, warmup: 1, cap: 60 },
  // A shorter cap keeps --quick within a few minutes even when a peer cannot finish a step.
  quick: { minTime: 0.5, repeats: 1, warmup: 0, cap: 30 },
  tiny: { minTime: 0.05, repeats: 1, warmup: 0, cap: 30 },
};

function positive(name: string, text: string | undefined, integer: boolean): number | undefined {
  if (text === undefined) return undefined;
  const v = Number(text);
  if (!Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v))) {
    throw new UsageError(`--${name} must be a positive ${integer ? 'integer' : 'number'}, got '${text}'`);
  }
  return v;
}

export function parsePeers(list: string): Column[] {
  const names = list.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (names.includes('all')) return [...PEERS];
  if (names.length === 0 || names.includes('none')) return [];
  const picked = new Set<string>();
  for (const name of names) {
    const hits = PEERS.filter((p) => columnLabel(p).replace('/', '-') === name || p.runner === name);
    if (hits.length === 0) throw new UsageError(`--peers: unknown peer '${name}' (known: all, none, tfjs, ${PEERS.map((p) => columnLabel(p).replace('/', '-')).join(', ')})`);
    hits.forEach((h) => picked.add(columnLabel(h)));
  }
  return PEERS.filter((p) => picked.has(columnLabel(p)));
}

/** Parses the command line (without node and script). Throws UsageError on bad input. */
export function parseCli(argv: readonly string[]): CliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        workload: { type: 'string', default: 'all' },
        peers: { type: 'string', default: 'all' },
        backends: { type: 'string', default: 'js,cpu' },
        json: { type: 'string' },
        markdown: { type: 'string' },
        quick: { type: 'boolean', default: false },
        tiny: { type: 'boolean', default: false },
        'min-time': { type: 'string' },
        repeats: { type: 'string' },
        cap: { type: 'string' },
        python: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  let workloads: Workload[];
  try {
    workloads = selectWorkloads(values.workload);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const preset = PRESETS[values.tiny ? 'tiny' : values.quick ? 'quick' : 'full'];
  const timing: TimingOptions = {
    ...preset,
    minTime: positive('min-time', values['min-time'], false) ?? preset.minTime,
    repeats: positive('repeats', values.repeats, true) ?? preset.repeats,
    cap: positive('cap', values.cap, false) ?? preset.cap,
  };
  const backends = values.backends.split(',').map((s) => s.trim()).filter(Boolean);
  if (backends.length === 0) throw new UsageError('--backends: name at least one Plexus backend (js, cpu)');
  return {
    workloads,
    backends,
    peers: parsePeers(values.peers),
    size: values.tiny ? 'tiny' : 'full',
    timing,
    json: values.json,
    markdown: values.markdown,
    python: values.python,
    help: values.help,
  };
}
