import type { BenchReport, Row } from './harness.js';
import { isPeer } from './harness.js';
import { WORKLOADS } from './spec.js';

/** Three significant figures without exponents: 0.0123, 4.52, 45.2, 452, 4521. */
export function formatValue(v: number): string {
  if (v === 0) return '0';
  if (v >= 100) return v.toFixed(0);
  if (v >= 10) return v.toFixed(1);
  if (v >= 1) return v.toFixed(2);
  return v.toPrecision(3);
}

/** The best peer value of each workload (all metrics are higher-is-better throughputs). */
export function bestPeers(rows: readonly Row[]): Map<string, Row> {
  const best = new Map<string, Row>();
  for (const r of rows) {
    if (!isPeer(r) || r.value === null) continue;
    const cur = best.get(r.workload);
    if (!cur || (cur.value as number) < r.value) best.set(r.workload, r);
  }
  return best;
}

/** value ÷ best peer's value for the row's workload, or null when either is missing. */
export function ratioToBestPeer(row: Row, best: Map<string, Row>): number | null {
  const b = best.get(row.workload);
  return row.value === null || !b || !b.value ? null : row.value / b.value;
}

const title = (id: string): string => WORKLOADS.find((w) => w.id === id)?.title ?? id;
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** One row per (workload, runner/backend), with the ratio to the best peer of that workload. */
export function markdownTable(rows: readonly Row[]): string {
  const best = bestPeers(rows);
  const lines = [
    '| Workload | Runner | Value | Unit | ÷ best peer | Peak RSS (MB) | Note |',
    '| --- | --- | ---: | --- | ---: | ---: | --- |',
  ];
  for (const r of rows) {
    const ratio = ratioToBestPeer(r, best);
    const bestRow = best.get(r.workload);
    const ratioText = ratio === null ? '—' : `${ratio.toFixed(2)}×${bestRow === r ? ' (best)' : ''}`;
    lines.push(
      `| ${cell(title(r.workload))} | ${r.runner}/${r.backend} | ${r.value === null ? '—' : formatValue(r.value)} | ${r.unit} | ${ratioText} | ${r.rssMB ?? '—'} | ${cell(r.note)} |`,
    );
  }
  return lines.join('\n');
}

/** A Plexus backend's ratio to one peer on one workload, e.g. backend-js ÷ tfjs-cpu on W2. */
export function ratioBetween(rows: readonly Row[], workload: string, a: [string, string], b: [string, string]): number | null {
  const find = ([runner, backend]: [string, string]): Row | undefined => rows.find((r) => r.workload === workload && r.runner === runner && r.backend === backend);
  const x = find(a)?.value;
  const y = find(b)?.value;
  return x && y ? x / y : null;
}

// backend-cpu's targets against PyTorch (CPU, OpenBLAS, 2 threads): the minimum ratio per workload.
const CPU_TARGETS: readonly [string, number][] = [
  ['w1-1024', 0.9], ['w2', 1], ['w3-train', 1], ['w3-infer', 1], ['w4', 1], ['w5', 1], ['w6', 1], ['w7', 1],
];

/**
 * PyTorch 1.13's numbers on this kind of machine when the targets were set (the backend-cpu
 * issue; medians of 3 passes). A peer measured in the same run is the fairer yardstick; these
 * show how far that run's PyTorch is from the one the targets were set against.
 */
export const TORCH_REFERENCE: Readonly<Record<string, number>> = {
  'w1-1024': 170, w2: 47_500, 'w3-train': 1_400, 'w3-infer': 2_790, w4: 66, w5: 75, w6: 17.6, w7: 42,
};

const verdict = (r: number, min: number): string => `target ≥ ${min}×: ${r >= min ? 'met' : 'NOT met'}`;

/**
 * The issues' targets: backend-js at least 3× TensorFlow.js's CPU backend on W1 and W2;
 * backend-cpu at least 50× it on W2 and at PyTorch's speed (W1: 0.9×) on W1–W7, against the
 * PyTorch of this run and against the reference numbers.
 */
export function targetLines(rows: readonly Row[]): string[] {
  const out: string[] = [];
  for (const id of ['w1-1024', 'w1-256', 'w2']) {
    const r = ratioBetween(rows, id, ['plexus', 'js'], ['tfjs', 'cpu']);
    if (r !== null) out.push(`plexus/js ÷ tfjs/cpu on ${title(id)}: ${r.toFixed(2)}× (${verdict(r, 3)})`);
  }
  const w2 = ratioBetween(rows, 'w2', ['plexus', 'cpu'], ['tfjs', 'cpu']);
  if (w2 !== null) out.push(`plexus/cpu ÷ tfjs/cpu on ${title('w2')}: ${w2.toFixed(1)}× (${verdict(w2, 50)})`);
  for (const [id, min] of CPU_TARGETS) {
    const r = ratioBetween(rows, id, ['plexus', 'cpu'], ['torch', 'cpu']);
    const cpu = rows.find((x) => x.workload === id && x.runner === 'plexus' && x.backend === 'cpu')?.value;
    const ref = cpu ? cpu / (TORCH_REFERENCE[id]) : null;
    if (r === null && ref === null) continue;
    const parts = [r === null ? null : `${r.toFixed(2)}× this run's torch/cpu (${verdict(r, min)})`, ref === null ? null : `${ref.toFixed(2)}× the reference ${formatValue(TORCH_REFERENCE[id])}`];
    out.push(`plexus/cpu on ${title(id)}: ${parts.filter(Boolean).join('; ')}`);
  }
  return out;
}

/** The whole docs/benchmarks.md page. */
export function markdownDoc(report: BenchReport, command: string): string {
  const m = report.machine;
  const cols = report.columns;
  const version = (label: string, key: string): string => cols[label]?.info[key] ?? '';
  const tfjs = version('tfjs/cpu', 'tfjs') || version('tfjs/wasm', 'tfjs');
  const torchInfo = cols['torch/cpu'];
  const t = report.timing;
  const busy = Math.max(...m.load) > m.cores;
  const lines = [
    '# Benchmarks',
    '',
    '<!-- Generated by apps/bench (`pnpm bench --markdown docs/benchmarks.md`); do not edit by hand. -->',
    '',
    'Plexus backends against TensorFlow.js and PyTorch on the workloads of apps/bench/src/spec.ts. Every',
    'cell (workload × runner) runs in its own process, one after another, with the same data (generated',
    'from one seed; the Python runner reads it from a file) and the same float32 math. Each cell warms up,',
    `then times ${t.repeats} repeat${t.repeats > 1 ? 's' : ''} of at least ${t.minTime} s and reports the median; a cell is capped at ${t.cap} s.`,
    '"÷ best peer" divides by the fastest of TensorFlow.js (cpu, wasm) and PyTorch on that workload.',
    '',
    '## How this was produced',
    '',
    '```sh',
    command,
    '```',
    '',
    `- Date: ${m.date}`,
    `- Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGB} GiB, ${m.platform}`,
    `- Node: ${m.node}`,
    `- Load average (1 min) at start / end: ${m.load[0].toFixed(2)} / ${m.load[1].toFixed(2)} (other work on the machine slows the cells)`,
    `- TensorFlow.js: ${tfjs || 'not run'}${cols['tfjs/wasm']?.ok ? ` (wasm: ${cols['tfjs/wasm'].note})` : ''}`,
    `- PyTorch: ${torchInfo?.ok ? `${torchInfo.info.torch} (Python ${torchInfo.info.python}), BLAS: ${torchInfo.info.blas} via LD_LIBRARY_PATH=${torchInfo.info.ld_library_path}, ${torchInfo.info.threads} threads` : (torchInfo?.note ?? 'not run')}`,
    `- Plexus backends: ${Object.entries(cols).filter(([k]) => k.startsWith('plexus/')).map(([k, v]) => `${k.slice(7)} ${v.ok ? 'ran' : `did not run (${v.note})`}`).join('; ')}`,
    '- Plexus backend-js and TensorFlow.js run on one thread; Plexus backend-cpu (its own thread pool) and PyTorch may use every core.',
    '',
    '## Results',
    '',
    ...(busy
      ? [
          `**The machine was busy during this run (load up to ${Math.max(...m.load).toFixed(1)} on ${m.cores} cores): every number is`,
          'below what an idle machine gives, multi-threaded runners (PyTorch\'s OpenMP above all) the most. Regenerate',
          'on an idle machine before drawing conclusions.**',
          '',
        ]
      : []),
    markdownTable(report.rows),
    '',
  ];
  if (report.size === 'tiny') lines.push('These are toy sizes (`--tiny`): a smoke test of every runner, not a benchmark.', '');
  const targets = report.size === 'full' ? targetLines(report.rows) : [];
  if (targets.length) lines.push('## Targets', '', ...targets.map((s) => `- ${s}`), '');
  lines.push(
    '## Workloads',
    '',
    '- W1: C = A·B, float32, n×n×n; GFLOP/s = 2n³ per second.',
    '- W2: MLP 784-512-256-10, ReLU, softmax cross-entropy, plain SGD, batch 128; training samples/s.',
    '- W3: CNN on 1×28×28, batch 64: conv5×5 32ch pad 2, ReLU, maxpool 2, conv5×5 64ch pad 2, ReLU, maxpool 2, linear 3136→128, ReLU, linear 128→10; softmax cross-entropy, SGD. Training and forward-only samples/s.',
    '- W4: pre-norm transformer encoder block, batch 16, seq 64, d_model 128, 4 heads, FFN 512, exact GELU; MSE to a fixed target; forward + backward + SGD steps/s.',
    '- W5: LSTM, input 64, hidden 128, seq 32, batch 32; MSE of the last hidden state to a target; forward + backward + SGD steps/s.',
    '- W6: sum(relu(a·b + c)) over 4M float32 values; GB/s of inputs read (12 bytes per element).',
    '- W7: PINN step for Burgers\' equation: tanh MLP 2-64-64-64-1 on 4096 points, loss mean((u_t + u·u_x − ν·u_xx)²) with u_x, u_t, u_xx by autograd, SGD; steps/s.',
    '',
  );
  return lines.join('\n');
}
