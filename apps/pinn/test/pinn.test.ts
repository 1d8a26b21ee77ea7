import '@plexus/backend-js';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '@plexus/app-kit';
import { setBackend } from '@plexus/tensor';
import { PROBLEM_DEFAULTS, parseOptions } from '../src/options.js';
import type { PinnOptions } from '../src/options.js';
import { run } from '../src/run.js';

const out = mkdtempSync(join(tmpdir(), 'plexus-pinn-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const tiny: PinnOptions = {
  problem: 'both',
  dtype: 'float64',
  seed: 0,
  out,
  logEvery: 10,
  poisson: { adamSteps: 30, lr: 1e-2, lbfgsIters: 30, collocation: 16, conditionPoints: 2, hidden: 8, layers: 1, refineRounds: 0, refinePoints: 4, refineIters: 5, refineCandidates: 50 },
  burgers: { adamSteps: 5, lr: 1e-3, lbfgsIters: 5, collocation: 64, conditionPoints: 16, hidden: 6, layers: 2, refineRounds: 1, refinePoints: 8, refineIters: 3, refineCandidates: 200 },
  evalGrid: { poisson: 101, burgersT: 11, burgersX: 21 },
  plots: true,
  derivatives: 'forward',
};

describe('pinn demo', () => {
  it('trains both problems on a tiny configuration, reports errors and writes the plots', async () => {
    setBackend('js');
    const logs: string[] = [];
    const r = await run(tiny, (l) => logs.push(l));
    expect(r.backend).toBe('js');
    expect(r.dtype).toBe('float64');
    expect(r.poisson!.adamSteps).toBe(30);
    expect(r.poisson!.lbfgsIterations).toBeGreaterThan(0);
    expect(r.poisson!.relativeL2).toBeLessThan(0.5);
    expect(r.poisson!.gridPoints).toBe(101);
    expect(r.burgers!.gridPoints).toBe(11 * 21);
    expect(Number.isFinite(r.burgers!.relativeL2)).toBe(true);
    expect(r.burgers!.layers).toEqual([2, 6, 6, 1]);
    // One refinement round added 8 collocation points.
    expect(r.burgers!.collocation).toBe(64 + 8);
    expect(logs.some((l) => l.includes('[burgers] refinement round 1: added the 8 of 200 candidates'))).toBe(true);
    for (const f of ['poisson.png', 'poisson-loss.png', 'burgers.png', 'burgers.svg', 'burgers-slices.png', 'burgers-loss.png', 'result.json']) {
      expect(existsSync(join(out, f))).toBe(true);
    }
    expect(JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')).burgers.relativeL2).toBe(r.burgers!.relativeL2);
    expect(logs.some((l) => l.includes('[burgers] L-BFGS iteration') && l.includes('rel. L2 error'))).toBe(true);
    expect(logs.some((l) => l.includes('u(0.25, 0) ='))).toBe(true);
  }, 120_000);

  it('autograd and forward-mode derivatives train to the same loss', async () => {
    setBackend('js');
    const small = { ...tiny, problem: 'poisson' as const, plots: false, poisson: { ...tiny.poisson, lbfgsIters: 0, adamSteps: 5 } };
    const a = await run({ ...small, derivatives: 'autograd' }, () => {});
    const b = await run({ ...small, derivatives: 'forward' }, () => {});
    expect(Math.abs(a.poisson!.finalLoss - b.poisson!.finalLoss)).toBeLessThan(1e-9 * a.poisson!.finalLoss);
  });

  it('parses the command line with per-problem defaults and rejects bad values', () => {
    const d = parseOptions([]);
    expect(d.options.poisson).toEqual(PROBLEM_DEFAULTS.poisson);
    expect(d.options.burgers).toEqual(PROBLEM_DEFAULTS.burgers);
    expect(d.options).toMatchObject({ problem: 'both', dtype: 'float64', derivatives: 'forward', out: 'out/pinn' });
    const p = parseOptions(['--problem', 'burgers', '--epochs', '50', '--lbfgs-iters', '7', '--dtype', 'float32', '--layers', '3']);
    expect(p.options.burgers).toMatchObject({ adamSteps: 50, lbfgsIters: 7, layers: 3 });
    expect(p.options.poisson.adamSteps).toBe(50);
    expect(p.options.dtype).toBe('float32');
    expect(() => parseOptions(['--dtype', 'float16'])).toThrow(UsageError);
    expect(() => parseOptions(['--problem', 'heat'])).toThrow(/--problem must be one of poisson, burgers, both/);
    expect(() => parseOptions(['--condition-points', '1'])).toThrow(/at least 2/);
  });
});
