import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { runChild } from './child.js';
import { writeDataFile } from './datafile.js';
import type { MachineInfo } from './env.js';
import { machineInfo } from './env.js';
import type { TimingOptions } from './measure.js';
import { APP_DIR, PYTHON_RUNNER, workerCommand } from './paths.js';
import type { CellRequest, CellResult, ProbeResult, RunnerName } from './protocol.js';
import { findTorch } from './python.js';
import type { Size, Workload } from './spec.js';

/** One column of the comparison: a Plexus backend or a peer. */
export interface Column {
  runner: RunnerName;
  backend: string;
}

/** The peers, in table order. `--peers` names them as runner-backend (tfjs-cpu, …). */
export const PEERS: readonly Column[] = [
  { runner: 'tfjs', backend: 'cpu' },
  { runner: 'tfjs', backend: 'wasm' },
  { runner: 'torch', backend: 'cpu' },
];

export const columnLabel = (c: Column): string => `${c.runner}/${c.backend}`;
export const isPeer = (c: { runner: RunnerName }): boolean => c.runner !== 'plexus';

/** One row of the JSON output (and of the table). */
export interface Row {
  workload: string;
  runner: RunnerName;
  backend: string;
  /** In `unit`; null when the cell has no number (the note says why). */
  value: number | null;
  unit: string;
  rssMB: number | null;
  note: string;
}

export interface BenchOptions {
  workloads: readonly Workload[];
  /** Plexus backends to try ('js', 'cpu'); a missing optional one gets a row saying why. */
  backends: readonly string[];
  peers: readonly Column[];
  size: Size;
  timing: TimingOptions;
  /** Interpreter for the PyTorch runner; default: python3, then /usr/bin/python3. */
  python?: string;
  /** Progress lines (the CLI prints them on stderr). */
  log?: (line: string) => void;
}

export interface BenchReport {
  rows: Row[];
  machine: MachineInfo;
  /** Per column label: versions and settings, or why it did not run. */
  columns: Record<string, { ok: boolean; info: Record<string, string>; note: string }>;
  size: Size;
  timing: TimingOptions;
}

/** Cells run one after another: never two at once, so each has the machine to itself. */
export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const log = options.log ?? (() => undefined);
  const loadAtStart = os.loadavg()[0];
  const threads = os.availableParallelism();
  const columns: Column[] = [...options.backends.map((backend) => ({ runner: 'plexus' as const, backend })), ...options.peers];
  const status: BenchReport['columns'] = {};
  const worker = workerCommand();

  let torch: ReturnType<typeof findTorch> | undefined;
  for (const col of columns) {
    const label = columnLabel(col);
    if (col.runner === 'torch') {
      torch = findTorch(options.python, threads);
      status[label] = { ok: Boolean(torch.python), info: torch.info, note: torch.note };
    } else {
      const probe = await runChild<ProbeResult>(worker.command, [...worker.args, '--probe', col.runner, col.backend], { cwd: APP_DIR, capSeconds: 60 });
      status[label] = probe.result ?? { ok: false, info: {}, note: probe.failure ?? 'probe failed' };
    }
    log(`${label}: ${status[label].ok ? 'ready' : 'unavailable'}${status[label].note ? ` (${status[label].note})` : ''}`);
  }

  const dataDir = torch?.python ? mkdtempSync(join(os.tmpdir(), 'plexus-bench-')) : undefined;
  const rows: Row[] = [];
  const total = options.workloads.length * columns.length;
  try {
    for (const w of options.workloads) {
      if (dataDir) writeDataFile(dataDir, w.id, options.size);
      for (const col of columns) {
        const label = columnLabel(col);
        const row: Row = { workload: w.id, runner: col.runner, backend: col.backend, value: null, unit: w.unit, rssMB: null, note: '' };
        if (!status[label].ok) {
          row.note = status[label].note || 'unavailable';
        } else {
          const req: CellRequest = {
            workload: w.id, runner: col.runner, backend: col.backend, size: options.size, mode: 'bench',
            timing: options.timing, threads, dataDir,
          };
          const outcome =
            col.runner === 'torch' && torch?.python
              ? await runChild<CellResult>(torch.python, [PYTHON_RUNNER, JSON.stringify(req)], { cwd: APP_DIR, env: torch.env, capSeconds: options.timing.cap })
              : await runChild<CellResult>(worker.command, [...worker.args, JSON.stringify(req)], { cwd: APP_DIR, capSeconds: options.timing.cap });
          const r = outcome.result;
          if (r) {
            row.rssMB = Math.round(r.rssMB);
            row.note = r.note;
            if (r.ok && r.stepsPerSecond !== undefined) row.value = (r.stepsPerSecond * w.workPerStep(w.config[options.size])) / w.scale;
          } else {
            row.note = outcome.failure ?? 'no result';
          }
        }
        rows.push(row);
        const shown = row.value === null ? row.note : `${row.value.toPrecision(4)} ${row.unit}`;
        log(`[${String(rows.length).padStart(2)}/${total}] ${w.id.padEnd(8)} ${label.padEnd(11)} ${shown}`);
      }
    }
  } finally {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
  return { rows, machine: machineInfo(loadAtStart), columns: status, size: options.size, timing: options.timing };
}
