import type { TimingOptions } from './measure.js';
import type { Size, WorkloadId } from './spec.js';

/** Who runs a cell. Plexus backends and peers alike are (runner, backend) pairs. */
export type RunnerName = 'plexus' | 'tfjs' | 'torch';

/** What the harness asks of one child process (passed as JSON in argv). */
export interface CellRequest {
  workload: WorkloadId;
  runner: RunnerName;
  backend: string;
  size: Size;
  /** bench: time it; check: run `steps` steps and report their values (losses, checksums). */
  mode: 'bench' | 'check';
  steps?: number;
  timing: TimingOptions;
  /** Threads a peer may use (PyTorch); the JavaScript runners are single-threaded. */
  threads: number;
  /** Folder with `<workload>.json` + `<workload>.bin` (the Python runner reads its data there). */
  dataDir?: string;
}

/** What a child prints, on one line after RESULT_MARKER. */
export interface CellResult {
  ok: boolean;
  /** Work per second in the workload's unit (bench mode). */
  value?: number;
  stepsPerSecond?: number;
  /** Values returned by each step (check mode). */
  values?: number[];
  rssMB: number;
  /** Why the cell has no value, or a short remark on how it ran. */
  note: string;
}

/** What a runner reports about itself before any cell runs. */
export interface ProbeResult {
  ok: boolean;
  /** Versions and settings, e.g. { tfjs: '4.22.0', simd: 'on' }. */
  info: Record<string, string>;
  note: string;
}

export const RESULT_MARKER = '@@plexus-bench ';
/** Printed by a child when its first step is done, so a timeout can say how far it got. */
export const FIRST_STEP_MARKER = '@@plexus-bench-first-step ';

/** The last marked line of a child's stdout, parsed. */
export function parseMarked<T>(stdout: string): T | undefined {
  const lines = stdout.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i].trim();
    if (line.startsWith(RESULT_MARKER)) return JSON.parse(line.slice(RESULT_MARKER.length)) as T;
  }
  return undefined;
}

export function rssMB(): number {
  // maxRSS is in kilobytes.
  return process.resourceUsage().maxRSS / 1024;
}
