import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDataFile } from '../src/datafile.js';
import { PYTHON_RUNNER } from '../src/paths.js';
import type { CellRequest, CellResult } from '../src/protocol.js';
import { parseMarked } from '../src/protocol.js';
import { findTorch } from '../src/python.js';
import { createCell } from '../src/runners/index.js';
import { usePlexusBackend } from '../src/runners/plexus-backend.js';
import { WORKLOADS, workload } from '../src/spec.js';
import { erf, referenceFirstStep } from './reference.js';

// Every runner's first step on the tiny sizes must equal a plain float64 computation of the
// workload, and a training step must change the loss (so the benchmark times real training).

/** float32 math against float64: relative error, with an absolute floor for values near 0. */
function expectMatches(value: number, reference: number, tol = 2e-5): void {
  expect(Number.isFinite(value)).toBe(true);
  expect(Math.abs(value - reference)).toBeLessThanOrEqual(tol * Math.max(Math.abs(reference), 1e-3));
}

async function firstSteps(runner: 'plexus' | 'tfjs', backend: string, id: string, steps: number): Promise<number[]> {
  // createCell selects the backend every time, so the tests can interleave backends.
  const cell = await createCell({ workload: workload(id).id, runner, backend, size: 'tiny' });
  return Array.from({ length: steps }, () => cell.step());
}

// The native backend is optional (it may not be built): checked when it loads, else skipped
// with the reason in the test name.
const cpuUnavailable = await usePlexusBackend('cpu').then(
  () => '',
  (e: unknown) => (e instanceof Error ? e.message : String(e)),
);

describe('the float64 reference itself', () => {
  it('erf matches known values', () => {
    expect(erf(0)).toBe(0);
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 12);
    expect(erf(-1)).toBeCloseTo(-0.8427007929497149, 12);
    expect(erf(2.5)).toBeCloseTo(0.9995930479825550, 12);
    expect(erf(3.5)).toBeCloseTo(0.9999992569016276, 9);
  });
});

describe.each(WORKLOADS.map((w) => [w.id, w] as const))('%s', (id, w) => {
  const reference = referenceFirstStep(w.config.tiny);

  it('Plexus (backend-js) computes the reference first step, and trains', async () => {
    const [first, second, third] = await firstSteps('plexus', 'js', id, 3);
    expectMatches(first, reference);
    if (w.trains) {
      expect(second).toBeLessThan(first);
      expect(third).toBeLessThan(second);
    } else {
      expect(second).toBe(first);
    }
  });

  it.skipIf(cpuUnavailable !== '')(`Plexus (backend-cpu) computes the reference first step, and trains${cpuUnavailable ? ` (skipped: ${cpuUnavailable})` : ''}`, async () => {
    const [first, second] = await firstSteps('plexus', 'cpu', id, 2);
    expectMatches(first, reference);
    if (w.trains) expect(second).toBeLessThan(first);
    else expect(second).toBe(first);
  });

  it('TensorFlow.js cpu computes the same first step', async () => {
    if (id === 'w7') {
      // tfjs cannot differentiate tanh twice: the cell must say so rather than report a number.
      await expect(firstSteps('tfjs', 'cpu', id, 1)).rejects.toThrow(/Cannot compute gradient/);
      return;
    }
    const [first, second] = await firstSteps('tfjs', 'cpu', id, 2);
    expectMatches(first, reference);
    if (w.trains) expect(second).toBeLessThan(first);
  });

  it('TensorFlow.js wasm computes the same first step, or refuses with the reason', async () => {
    if (id === 'w3-train') {
      await expect(firstSteps('tfjs', 'wasm', id, 1)).rejects.toThrow(/no Conv2DBackpropFilter kernel/);
      return;
    }
    if (id === 'w7') {
      await expect(firstSteps('tfjs', 'wasm', id, 1)).rejects.toThrow(/Cannot compute gradient/);
      return;
    }
    expectMatches((await firstSteps('tfjs', 'wasm', id, 1))[0], reference);
  });
});

describe('the PyTorch runner', () => {
  const torch = findTorch(undefined, 1);
  const dir = mkdtempSync(join(os.tmpdir(), 'plexus-bench-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // One interpreter for all the checks: importing torch is the slow part.
  let results: CellResult[] = [];
  beforeAll(() => {
    if (!torch.python) return;
    const requests: CellRequest[] = WORKLOADS.map((w) => {
      writeDataFile(dir, w.id, 'tiny');
      return {
        workload: w.id, runner: 'torch', backend: 'cpu', size: 'tiny', mode: 'check', steps: 2,
        timing: { minTime: 0.01, repeats: 1, warmup: 0, cap: 30 }, threads: 1, dataDir: dir,
      };
    });
    const run = spawnSync(torch.python, [PYTHON_RUNNER, JSON.stringify(requests)], { env: torch.env, encoding: 'utf8' });
    results = parseMarked<CellResult[]>(run.stdout) ?? [];
  });

  it.skipIf(!torch.python).each(WORKLOADS.map((w, i) => [w.id, w, i] as const))('computes the reference first step of %s', (_id, w, i) => {
    const result = results[i];
    expect(result?.note).toMatch(/threads/);
    expect(result?.ok).toBe(true);
    const [first, second] = result?.values ?? [];
    expectMatches(first, referenceFirstStep(w.config.tiny));
    if (w.trains) expect(second).toBeLessThan(first);
    else expect(second).toBe(first);
  });

  it.runIf(!torch.python)('is reported as not installed when no interpreter imports torch', () => {
    expect(torch.note).toMatch(/^not installed/);
  });
});
