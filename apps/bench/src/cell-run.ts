import { measure, TooSlowError } from './measure.js';
import type { CellRequest, CellResult, ProbeResult, RunnerName } from './protocol.js';
import { FIRST_STEP_MARKER, rssMB } from './protocol.js';
import { UnsupportedError } from './runners/cell.js';
import { createCell } from './runners/index.js';
import { workload } from './spec.js';

/** Runs a cell in this process (the worker calls this; tests may too). */
export async function runCell(req: CellRequest): Promise<CellResult> {
  const w = workload(req.workload);
  const config = w.config[req.size];
  try {
    const cell = await createCell(req);
    if (req.mode === 'check') {
      const values = Array.from({ length: req.steps ?? 1 }, () => cell.step());
      return { ok: true, values, rssMB: rssMB(), note: cell.note ?? '' };
    }
    const m = measure(() => cell.step(), req.timing, undefined, (s) => process.stdout.write(`\n${FIRST_STEP_MARKER}${s.toFixed(3)}\n`));
    const value = (m.stepsPerSecond * w.workPerStep(config)) / w.scale;
    return { ok: true, value, stepsPerSecond: m.stepsPerSecond, rssMB: rssMB(), note: cell.note ?? '' };
  } catch (e) {
    return { ok: false, rssMB: rssMB(), note: describeFailure(e) };
  }
}

/** Turns a failure into the few words a table cell can hold. */
export function describeFailure(e: unknown): string {
  const message = String(e instanceof Error ? e.message : e).split('\n')[0].slice(0, 240);
  if (e instanceof TooSlowError || e instanceof UnsupportedError) return message;
  if (/Cannot compute gradient of y=f\(x\)/.test(message)) {
    return "cannot take u_xx: tfjs's tanh/exp gradients use their saved output, which is off the tape, so tf.grad(tf.grad(…)) throws";
  }
  const kernel = /Kernel '(\w+)' not registered for backend '(\w+)'/.exec(message);
  if (kernel) return `unsupported: no ${kernel[1]} kernel in backend ${kernel[2]}`;
  return `failed: ${message}`;
}

/** Versions and readiness of a JavaScript runner, checked in a child like any cell. */
export async function probeRunner(runner: RunnerName, backend: string): Promise<ProbeResult> {
  try {
    if (runner === 'plexus') {
      const { usePlexusBackend } = await import('./runners/plexus-backend.js');
      await usePlexusBackend(backend);
      return { ok: true, info: {}, note: '' };
    }
    if (runner === 'tfjs') {
      const { useTfjsBackend, packageVersion } = await import('./runners/tfjs-backend.js');
      const note = await useTfjsBackend(backend);
      return { ok: true, info: { tfjs: packageVersion('@tensorflow/tfjs'), [`tfjs-${backend}`]: note }, note };
    }
    return { ok: false, info: {}, note: `probe: '${runner}' is not a JavaScript runner` };
  } catch (e) {
    return { ok: false, info: {}, note: String(e instanceof Error ? e.message : e).split('\n')[0] };
  }
}
